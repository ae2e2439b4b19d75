"""A translation's step page shows, beside each field, the text it was copied from.

A translated draft remembers its source version (`ScenarioVersion.translated_from`); a step
is matched by key, a message by key and a choice by its order (the copy has the same
structure). The source text is shown read-only, escaped like any author's text.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scenarios.models import Step

SOURCE_FIELD = "source_text"


@dataclass
class Source:
    language: str  # its name, in the page's language
    number: int
    step: Step | None
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)  # key: text, explanation
    choices: dict[int, tuple[str, str]] = field(default_factory=dict)  # order: text, feedback


def source_of(step: Step | None) -> Source | None:
    """What a translated draft's step was copied from, or None when it is no translation."""
    if step is None or step.pk is None:
        return None
    source_version = step.version.translated_from
    if source_version is None:
        return None
    original = (
        Step.objects.filter(version=source_version, key=step.key)
        .prefetch_related("messages", "choices")
        .first()
    )
    code = source_version.scenario.language
    language = str(dict(settings.LANGUAGES).get(code, code))
    source = Source(language, source_version.number, original)
    if original is not None:
        source.messages = {m.key: (m.text, m.explanation) for m in original.messages.all()}
        source.choices = {c.order: (c.text, c.feedback) for c in original.choices.all()}
    return source


def _pairs(pairs: list[tuple[str, str]]):
    shown = [(label, text) for label, text in pairs if text]
    if not shown:
        return "—"
    return format_html_join(
        "", '<p class="source-text"><span class="source-label">{}</span> {}</p>', shown
    )


class SourceBesideStep:
    """For the step's own page: the source step's title, sender and text, in a fieldset."""

    def _source(self, request, obj):
        cached = getattr(request, "_step_source", None)
        if cached is None or cached[0] != obj:
            request._step_source = (obj, source_of(obj))
        return request._step_source[1]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        source = self._source(request, obj)
        if source is not None:
            title = _("Translated from %(language)s, version %(number)d") % {
                "language": source.language,
                "number": source.number,
            }
            fieldsets.insert(0, (title, {"fields": [SOURCE_FIELD], "classes": ["source"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, SOURCE_FIELD] if self._source(request, obj) else fields

    def source_text(self, obj):
        source = source_of(obj)
        if source is None or source.step is None:
            return _("No step with this key in the source version.")
        step = source.step
        return _pairs(
            [
                (_("title:"), step.title),
                (_("sender:"), step.sender_name),
                (_("text:"), step.text),
            ]
        )

    source_text.short_description = gettext_lazy("source text")


class SourceBesideRows:
    """For the messages' and choices' tables: a column with each row's source text."""

    def _row_source(self, obj) -> tuple[str, str] | None:
        raise NotImplementedError

    def get_formset(self, request, obj=None, **kwargs):
        self._translation = source_of(obj)
        return super().get_formset(request, obj, **kwargs)

    def _translated(self, obj) -> bool:
        if not hasattr(self, "_translation"):
            self._translation = source_of(obj)
        return self._translation is not None

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._translated(obj) and SOURCE_FIELD not in fields:
            fields.insert(fields.index("text"), SOURCE_FIELD)
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, SOURCE_FIELD] if self._translated(obj) else fields

    def source_text(self, row):
        found = self._row_source(row) if row is not None and row.pk else None
        if found is None:
            return "—"
        return (
            format_html("{}", found[0])
            if not found[1]
            else _pairs([(_("text:"), found[0]), (self.second_label(), found[1])])
        )

    source_text.short_description = gettext_lazy("source text")


class SourceBesideMessages(SourceBesideRows):
    def _row_source(self, message):
        return self._translation.messages.get(message.key) if self._translation else None

    def second_label(self) -> str:
        return _("explanation:")


class SourceBesideChoices(SourceBesideRows):
    def _row_source(self, choice):
        return self._translation.choices.get(choice.order) if self._translation else None

    def second_label(self) -> str:
        return _("feedback:")


def publish_confirm_page(model_admin, request, version, texts: list[str]) -> TemplateResponse:
    """Asked before a translation is published with texts still in its source's words."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Publish with untranslated text?"),
        "version": version,
        "scenario": version.scenario,
        "texts": texts,
        "source": version.translated_from,
    }
    return TemplateResponse(
        request, "admin/scenarios/scenarioversion/publish_confirm.html", context
    )
