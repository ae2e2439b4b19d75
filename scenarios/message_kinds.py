"""What a message can be besides plain text (pack format version 2, docs/scenario-pack.md).

Each kind names the fields it shows (kept on `Message.details`) and, for a link, a sender,
a payment request or an attachment, the *part* a player can point at apart from the
message's own words. One table here is read by the pack rules, the admin's form, the
exporter and the play page, so they cannot disagree about what a kind holds.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TEXT = "text"
# Where a flag sits when it sits on the message's own words (a pack's default `flag_part`).
WHOLE = "message"


@dataclass(frozen=True)
class Kind:
    label: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    # The part a player can mark apart from the words ("" when the kind has none).
    part: str = ""
    # Whether the message must have words of its own; a card (a link, a payment...) may not.
    text_required: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: dict[str, Kind] = {
    TEXT: Kind(_("Text"), text_required=True),
    "link": Kind(_("Link"), ("url",), ("title",), part="link"),
    "sender": Kind(_("Sender"), ("name",), ("handle", "verified"), part="sender"),
    "payment": Kind(_("Payment request"), ("amount", "to"), ("recipient",), part="payment"),
    "receipt": Kind(_("Receipt or transfer screenshot"), ("title",), ("amount", "to", "recipient")),
    "attachment": Kind(_("Attachment"), ("file_name",), ("size", "file_type"), part="attachment"),
    "voice": Kind(_("Voice message"), (), ("duration",), text_required=True),
}
# A picture is no kind of its own: any message may show one, with its `image` and `alt`
# (the message's own fields, scenarios.pictures), as a chat shows a photo with a caption.

# The fields that are true or false; every other field is a line of text.
FLAGS_FIELDS = frozenset({"verified"})
PARTS = tuple(kind.part for kind in KINDS.values() if kind.part)
# What the player points at on a part, as the mark's control and the debrief name it.
PART_LABELS = {
    WHOLE: _("the message"),
    "link": _("the link"),
    "sender": _("the sender"),
    "payment": _("the payment request"),
    "attachment": _("the attachment"),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in KINDS.items()]


def part_of(kind: str) -> str:
    return KINDS[kind].part if kind in KINDS else ""


def flag_on_part(kind: str, text: str, flag_part: str, has_flag: bool) -> bool:
    """Whether a message's flag sits on its part: where the pack says so, or on a card with
    no words of its own."""
    return bool(has_flag and part_of(kind) and (flag_part not in ("", WHOLE) or not text))


def detail_problems(kind: str, text: str, details: dict) -> list[tuple[str, str]]:
    """What is wrong with a message of `kind`: (field, problem) pairs, empty when right."""
    found: list[tuple[str, str]] = []
    spec = KINDS.get(kind)
    if spec is None:
        return [("kind", str(_("unknown kind of message")))]
    if spec.text_required and not text.strip():
        found.append(("text", str(_("a message of this kind needs its text"))))
    for name in spec.required:
        if not details.get(name):
            found.append((name, str(_("a message of this kind needs this field"))))
    for name, value in details.items():
        if name not in spec.fields:
            found.append((name, str(_("not a field of this kind of message"))))
        elif name in FLAGS_FIELDS and not isinstance(value, bool):
            found.append((name, str(_("true or false"))))
        elif name not in FLAGS_FIELDS and not isinstance(value, str):
            found.append((name, str(_("a line of text"))))
    return found


def flag_part_problem(kind: str, text: str, flag_part: str, has_flag: bool) -> str:
    """Why `flag_part` cannot be where the flag sits, or "" when it can."""
    if flag_part in ("", WHOLE):
        if has_flag and part_of(kind) and not text.strip():
            return str(_("the message has no words of its own: put the flag on its part"))
        return ""
    if not has_flag:
        return str(_("a flag part needs a flag"))
    if flag_part != part_of(kind):
        return str(_("this kind of message has no such part"))
    return ""
