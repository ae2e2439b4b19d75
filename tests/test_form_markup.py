"""Every form a person fills in is drawn by Saq's template pack for django-crispy-forms
(templates/saq/): labels, required marks, help text and errors come from one place, and
each error and help text is tied to its field with aria-describedby."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from trainer.web.form_layout import Details, Once, Submit, form_helper

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FIELD_MARKUP = re.compile(r"<(input|select|textarea|label)\b", re.IGNORECASE)

# Field markup outside the pack, each for a reason:
ALLOWED = {
    # The header's switcher on every page, play pages served from the page cache included:
    # a row of buttons, one per language, and the page to come back to; nothing to type.
    "_language_switcher.html",
    # The play step (trainer/play) and its form: its checkboxes mark the messages of the
    # story, drawn as chat bubbles, with the step's choices as buttons and the position it
    # answers, rendered once per position into the page cache; content to mark, not
    # fields to fill in.
    "play/play.html",
    # Each message's marks: a checkbox for its words and one for its part (its link,
    # sender, payment request or attachment), drawn beside the message's card.
    "play/_message.html",
    # The label of the play page's <progress> bar, which is no form field.
    "play/_progress.html",
}


def outside_the_pack() -> dict[str, list[str]]:
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        # The pack itself; the admin's pages keep Django admin's own forms and look.
        if name.startswith(("saq/", "admin/")) or name in ALLOWED:
            continue
        tags = FIELD_MARKUP.findall(path.read_text())
        if tags:
            found[name] = tags
    return found


def test_no_template_outside_the_pack_holds_field_markup():
    assert outside_the_pack() == {}


def test_every_allowed_template_still_needs_its_place_on_the_list():
    for name in ALLOWED:
        assert FIELD_MARKUP.search((TEMPLATES / name).read_text()), name


class Sample(forms.Form):
    code = forms.CharField(label="Code", help_text="Six characters.")
    note = forms.CharField(label="Note", required=False)
    kinds = forms.MultipleChoiceField(
        label="Kinds",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Any of them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Once(), "code", "kinds", Details("More", "note"), Submit("Send"), css_class="x"
        )


def rendered(form: forms.Form) -> str:
    request = RequestFactory().get("/")
    context = Context({"form": form, "once_token": "t0k", "request": request, "csrf_token": "c"})
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(context)


@pytest.mark.django_db
def test_the_pack_ties_help_and_errors_to_their_field_and_marks_what_is_required():
    html = rendered(Sample({"note": "kept"}))
    assert html.count("<form") == 1 and 'class="x"' in html
    assert '<input type="hidden" name="once" value="t0k">' in html
    assert "csrfmiddlewaretoken" in html
    # A text field: label with its mark, help and error, both named by the input.
    assert '<label for="id_code">Code <span class="required-mark" aria-hidden="true">' in html
    assert '<p class="help" id="id_code_helptext">Six characters.</p>' in html
    assert (
        '<div id="id_code_errors"><p class="field-error">This field is required.</p></div>' in html
    )
    code_input = re.search(r'<input type="text" name="code"[^>]*>', html)[0]
    assert 'aria-describedby="id_code_helptext id_code_errors"' in code_input
    assert 'aria-invalid="true"' in code_input and "required" in code_input
    # A group of checkboxes: a fieldset named by its legend, described by help and error.
    fieldset = re.search(r"<fieldset[^>]*>", html)[0]
    assert 'id="id_kinds"' in fieldset
    assert 'aria-describedby="id_kinds_helptext id_kinds_errors"' in fieldset
    assert re.search(r"<legend>Kinds <span class=\"required-mark\"", html)
    # An optional field has no mark, and is folded open because it holds a value.
    assert '<details class="form-more" open>' in html
    assert re.search(r'<label for="id_note">Note</label>', html)
    assert '<button type="submit" class="button button-primary">Send</button>' in html


@pytest.mark.django_db
def test_an_unsent_form_shows_no_error_and_folds_its_empty_extras_away():
    html = rendered(Sample())
    assert "field-error" not in html and "aria-invalid" not in html
    assert '<details class="form-more">' in html
    code_input = re.search(r'<input type="text" name="code"[^>]*>', html)[0]
    assert 'aria-describedby="id_code_helptext"' in code_input
