"""What of a translated draft still reads exactly as the version it was copied from.

Publishing a translation with its source language's text left in would show players a
story half in another language, and the graph check cannot see it (the structure is whole).
So publishing a translation asks first when any of its prose is identical to the source's:
the title and summary, and each step's, message's and choice's texts, matched by step key,
message key and choice order. Text without a letter (an amount, a name of digits) is
left out: it may rightly read the same in every language.
"""

from django.utils.translation import gettext as _

from scenarios.models import ScenarioVersion, Step


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


def _steps(version_id: int) -> dict[str, Step]:
    steps = Step.objects.filter(version_id=version_id).prefetch_related("messages", "choices")
    return {step.key: step for step in steps}


def identical_to_source(version: ScenarioVersion) -> list[str]:
    """Each text of the translation that is word for word its source's, in plain words."""
    source = version.translated_from
    if source is None:
        return []
    found = []

    def same(place: str, ours: str, theirs: str) -> None:
        if ours.strip() and ours.strip() == theirs.strip() and _has_letters(ours):
            found.append(_("%(place)s: “%(text)s”") % {"place": place, "text": _short(ours)})

    same(_("the title"), version.title, source.title)
    same(_("the summary"), version.summary, source.summary)
    theirs = _steps(source.pk)
    for key, step in _steps(version.pk).items():
        original = theirs.get(key)
        if original is None:
            continue
        where = _('step "%(key)s"') % {"key": key}
        same(_("%(step)s, title") % {"step": where}, step.title, original.title)
        same(_("%(step)s, text") % {"step": where}, step.text, original.text)
        messages = {m.key: m for m in original.messages.all()}
        for message in step.messages.all():
            other = messages.get(message.key)
            if other is not None:
                place = _("%(step)s, message %(key)s") % {"step": where, "key": message.key}
                same(place, message.text, other.text)
                same(place, message.explanation, other.explanation)
        choices = {c.order: c for c in original.choices.all()}
        for choice in step.choices.all():
            other = choices.get(choice.order)
            if other is not None:
                place = _("%(step)s, choice %(number)d") % {
                    "step": where,
                    "number": choice.order + 1,
                }
                same(place, choice.text, other.text)
                same(place, choice.feedback, other.feedback)
    return found


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
