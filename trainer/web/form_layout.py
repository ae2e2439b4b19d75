"""Pieces of a form's layout for django-crispy-forms, drawn by Saq's own template pack
(templates/saq/). A form says what it holds and in which order; the pack alone says how a
label, a required mark, help text, an error or a button looks, so every form reads alike.

Why our own pack: crispy-forms' packs are tied to a CSS framework (Bootstrap, Tailwind,
the GOV.UK frontend), and Saq has its own small stylesheet (static/css/saq.css) under a
strict CSP. The pack's templates use its classes and nothing inline.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import BaseInput, Field, Layout, LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django.template.loader import render_to_string


class Submit(BaseInput):
    """The form's button: `<button type="submit">` in Saq's look, the first one primary."""

    input_type = "submit"
    field_classes = "button"

    def __init__(self, label, *, primary: bool = True, name: str = "", **kwargs):
        super().__init__(name, label, **kwargs)
        if primary:
            self.field_classes += " button-primary"


class Hidden(BaseInput):
    """A value the form carries back (a token, the language in use): `value` may be a
    template expression, e.g. "{{ once_token }}"."""

    input_type = "hidden"
    template = "%s/layout/hidden.html"


def Once() -> Hidden:  # noqa: N802 (reads as the layout object it is)
    """The token of a form that makes something: every copy of it acts once
    (trainer.web.once; the token comes from once_context)."""
    return Hidden("once", "{{ once_token }}")


class FieldWith(Field):
    """A field drawn by the pack with more for its template: `empty` (said when a list of
    choices has none), `notes` (value -> an object the template `note_template` draws under
    that choice, such as what a scenario offers a follow-up)."""

    def __init__(self, *fields, empty="", notes=None, note_template="", **kwargs):
        super().__init__(*fields, **kwargs)
        self.extra = {"empty": empty, "notes": notes or {}, "note_template": note_template}

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        return super().render(
            form, context, template_pack, extra_context={**(extra_context or {}), **self.extra}
        )


class Details(LayoutObject):
    """Fields folded under a summary that opens them (`<details>`): open when one of them
    has an error or a value, so nothing typed or wrong is hidden."""

    template = "%s/layout/details.html"

    def __init__(self, summary, *fields):
        self.summary = summary
        self.fields = list(fields)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        html = self.get_rendered_fields(form, context, template_pack, **kwargs)
        bound = [form[name] for name in self.fields if isinstance(name, str)]
        is_open = any(field.errors or field.value() for field in bound)
        return render_to_string(
            self.get_template_name(template_pack),
            {"summary": self.summary, "fields": html, "open": is_open},
        )


class Static(LayoutObject):
    """A fact the form states without asking it: "Organisation: School 12"."""

    template = "%s/layout/static.html"

    def __init__(self, label, value):
        self.label = label
        self.value = value
        self.fields = []

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(
            self.get_template_name(template_pack), {"label": self.label, "value": self.value}
        )


class Aside(LayoutObject):
    """A line of the page between two fields, from a template of its concern (a link to
    the guides, say): words, never a field."""

    def __init__(self, template, **context):
        self.template = template
        self.context = context
        self.fields = []

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.template, {**context.flatten(), **self.context})


class CheckItem(LayoutObject):
    """One message of a check with its two answers (Scam / Not a scam): the message is drawn
    by the concern's template `message_template` with `item` in its context."""

    template = "%s/layout/check_item.html"

    def __init__(self, name, *, item, message_template):
        self.name = name
        self.item = item
        self.message_template = message_template
        self.fields = [name]

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_field(
            self.name,
            form,
            context,
            template=self.get_template_name(template_pack),
            template_pack=template_pack,
            extra_context={"item": self.item, "message_template": self.message_template},
        )


def form_helper(*layout, method: str = "post", css_class: str = "", **settings) -> FormHelper:
    """A helper with this layout; `settings` set more of FormHelper's attributes or the
    pack's own (`hide_required_marks=True` leaves the required marks out)."""
    helper = FormHelper()
    helper.form_method = method
    helper.form_class = css_class
    helper.layout = Layout(*layout)
    for name, value in settings.items():
        setattr(helper, name, value)
    return helper
