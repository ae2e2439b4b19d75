"""`{% play_link "preview" version.pk as url %}`: see scenarios.authoring.play_links."""

from django import template

from scenarios.authoring.play_links import play_link as _play_link

register = template.Library()


@register.simple_tag
def play_link(name: str, object_id: int) -> str:
    return _play_link(name, object_id)
