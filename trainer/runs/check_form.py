"""The form of a check, and of a booster: each message with two answers, "Scam" and "Not a
scam". The views read the answers themselves (trainer.runs.views.answers_in), so a
refused check keeps every answer it was given; the form lays them out and marks the
messages left without one."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from trainer.runs.progress import CheckItemView
from trainer.web.form_layout import CheckItem, Hidden, Submit, form_helper

ANSWERS = [
    ("scam", pgettext_lazy("check answer", "Scam")),
    ("genuine", pgettext_lazy("check answer", "Not a scam")),
]


class AnswerRadios(forms.RadioSelect):
    """Radio buttons whose ids say their answer (`item-7-scam`), not their place."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if attrs and attrs.get("id"):
            option["attrs"]["id"] = f"{attrs['id']}-{value}"
        return option


class CheckForm(forms.Form):
    """One radio group per item, named `item-<id>` (its fieldset's id too: the list of
    missing answers links to it). Bound to the answers sent back when some were missing,
    so those items say so."""

    # The page lists what is missing after a send; the browser's own prompt would stop
    # the form at the first gap and keep that list from being shown.
    use_required_attribute = False

    def __init__(
        self,
        items: list[CheckItemView],
        answers: dict[int, str],
        *,
        refused: bool,
        submit: str,
        method: str = "post",
        hidden: tuple = (),
    ):
        data = {f"item-{item_id}": value for item_id, value in answers.items()}
        super().__init__(data if refused else None, initial=data, auto_id="%s")
        for item in items:
            self.fields[f"item-{item.id}"] = forms.ChoiceField(
                label=item.label,
                choices=ANSWERS,
                widget=AnswerRadios,
                error_messages={"required": gettext_lazy("Choose an answer for this message.")},
            )
        self.helper = form_helper(
            *[Hidden(name, value) for name, value in hidden],
            *[
                CheckItem(
                    f"item-{item.id}", item=item, message_template="runs/_module_message.html"
                )
                for item in items
            ],
            Submit(submit),
            method=method,
            css_class="check js-once",
            hide_required_marks=True,
        )
