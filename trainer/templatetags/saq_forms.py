"""Tags of Saq's form template pack (templates/saq/): the ids that tie a field's help text
and errors to its control, and the control drawn with them."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.simple_tag
def field_ids(field: BoundField) -> dict[str, str]:
    """The ids of the field's help text and errors, and its aria-describedby: those of
    them the page shows. The help's id is Django's own, `<id>_helptext`."""
    ids = {"help": f"{field.auto_id}_helptext", "errors": f"{field.auto_id}_errors"}
    shown = []
    if field.help_text:
        shown.append(ids["help"])
    if field.errors:
        shown.append(ids["errors"])
    return {**ids, "described_by": " ".join(shown)}


@register.simple_tag
def widget_described(field: BoundField, described_by: str) -> str:
    """The field's control, described by its help and errors (Django adds aria-invalid
    when it has errors)."""
    if not described_by:
        return field.as_widget()
    return field.as_widget(attrs={"aria-describedby": described_by})


@register.simple_tag
def note_for(notes: dict, value):
    """What `notes` holds for a choice's value (a model's id behind Django's wrapper)."""
    return notes.get(getattr(value, "value", value))
