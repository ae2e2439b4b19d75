"""Red-flag types (in every language, side by side) and modules in the admin."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy

from scenarios.models import CheckItem, ModuleScenario

from .forms import ModuleForm, ModuleScenarioFormSet, RedFlagTypeForm, language_label


def _name_column(code: str, language: str):
    @admin.display(description=language_label("name (%(language)s)", language))
    def column(flag_type) -> str:
        return flag_type.name.get(code) or "—"

    column.__name__ = f"name_{code}"
    return column


class RedFlagTypeAdmin(admin.ModelAdmin):
    """A type's code is its identity: typed when the type is added, read-only after. Packs,
    reports and exported files name types by code, so a renamed code would be another
    type; a new code is added as a new type."""

    form = RedFlagTypeForm
    search_fields = ["code", "name", "advice"]
    list_display = [
        "code",
        *(_name_column(code, name) for code, name in settings.LANGUAGES),
        "asks_for",
    ]

    def get_fields(self, request, obj=None):
        names = [f"name_{code}" for code, _name in settings.LANGUAGES]
        advice = [f"advice_{code}" for code, _name in settings.LANGUAGES]
        return ["code", *names, *advice, "asks_for"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []


class ModuleScenarioInline(admin.TabularInline):
    model = ModuleScenario
    formset = ModuleScenarioFormSet
    fields = ["order", "scenario"]
    extra = 1
    autocomplete_fields = ["scenario"]


class CheckItemInline(admin.TabularInline):
    model = CheckItem
    fields = ["order", "key", "channel", "sender", "text", "legitimate", "flag"]
    extra = 1

    def get_queryset(self, request):
        # A retired item is kept for the runs that drew it, and is no longer the module's.
        return super().get_queryset(request).in_pool()


class ModuleAdmin(admin.ModelAdmin):
    form = ModuleForm
    list_display = ["title", "slug", "language", "scenario_count"]
    list_filter = ["language"]
    search_fields = ["slug", "title"]
    inlines = [ModuleScenarioInline, CheckItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(scenario_total=Count("entries"))

    @admin.display(description=gettext_lazy("scenarios"), ordering="scenario_total")
    def scenario_count(self, module) -> int:
        return module.scenario_total
