"""Filters of the scenario list. Channel, kind and status are read from each scenario's
working version (its draft if it has one, else the published), annotated on the list's
one query, so filtering adds no query per row."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scenarios.models import Channel

DRAFT, PUBLISHED, CHANGED = "draft", "published", "changed"


def status_of(scenario) -> str:
    """Read from the list's annotations (`working_published_at`)."""
    if scenario.current_version_id is None:
        return _("draft, never published")
    if scenario.working_published_at is None:
        return _("published; changes in a draft")
    return _("published")


class ChannelFilter(admin.SimpleListFilter):
    title = gettext_lazy("channel")
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        return Channel.choices

    def queryset(self, request, queryset):
        if self.value() in Channel.values:
            return queryset.filter(working_channel=self.value())
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (DRAFT, _("draft, never published")),
            (PUBLISHED, _("published")),
            (CHANGED, _("published; changes in a draft")),
        ]

    def queryset(self, request, queryset):
        if self.value() == DRAFT:
            return queryset.filter(current_version__isnull=True)
        if self.value() == PUBLISHED:
            return queryset.filter(
                current_version__isnull=False, working_published_at__isnull=False
            )
        if self.value() == CHANGED:
            return queryset.filter(current_version__isnull=False, working_published_at__isnull=True)
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("scam or legitimate")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("scam", _("scam")), ("legitimate", _("legitimate"))]

    def queryset(self, request, queryset):
        if self.value() in ("scam", "legitimate"):
            return queryset.filter(working_legitimate=self.value() == "legitimate")
        return queryset
