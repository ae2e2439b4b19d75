"""Red-flag types (in every language, side by side) and modules in the admin."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scenarios.authoring.play_links import CHECK_STATS, play_link
from scenarios.check_pool import PoolEntry, pool_description, pool_shortfall_of
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
    fields = ["order", "key", "channel", "sender", "text", "legitimate", "flag", "form"]
    extra = 1

    def get_queryset(self, request):
        # A retired item is kept for the runs that drew it, and is no longer the module's.
        return super().get_queryset(request).in_pool()


def _pool_counts() -> dict[str, Count]:
    """Annotations counting a module's pool (items not retired) by form and side."""
    in_pool = Q(check_items__retired_at__isnull=True)
    return {
        f"pool_{form or 'none'}_{'genuine' if legitimate else 'scams'}": Count(
            "check_items",
            filter=in_pool & Q(check_items__form=form, check_items__legitimate=legitimate),
            distinct=True,
        )
        for form in ("a", "b", "booster", "")
        for legitimate in (False, True)
    }


def module_pool(module) -> list[PoolEntry]:
    """A stand-in pool with the counts annotated on the module (ids do not matter here)."""
    return [
        PoolEntry(0, legitimate, form)
        for form in ("a", "b", "booster", "")
        for legitimate in (False, True)
        for _ in range(
            getattr(module, f"pool_{form or 'none'}_{'genuine' if legitimate else 'scams'}")
        )
    ]


class ModuleAdmin(admin.ModelAdmin):
    """A module's check pool is shown with its counts by form and side (after the items
    whose form is not set are shared out), the check it gives, and a warning when that is
    smaller than the module's check size."""

    form = ModuleForm
    list_display = ["title", "slug", "language", "scenario_count", "pool_summary"]
    list_filter = ["language"]
    search_fields = ["slug", "title"]
    readonly_fields = ["pool_summary", "check_answers"]
    inlines = [ModuleScenarioInline, CheckItemInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(scenario_total=Count("entries", distinct=True), **_pool_counts())
        )

    @admin.display(description=gettext_lazy("scenarios"), ordering="scenario_total")
    def scenario_count(self, module) -> int:
        return module.scenario_total

    @admin.display(description=gettext_lazy("check pool"))
    def pool_summary(self, module) -> str:
        if not hasattr(module, "pool_a_scams"):  # a module being added
            return "—"
        return pool_description(module_pool(module), module.check_size)

    @admin.display(description=gettext_lazy("answers to the check"))
    def check_answers(self, module) -> str:
        link = play_link(CHECK_STATS, module.pk) if module.pk else ""
        if not link:
            return "—"
        return format_html('<a href="{}">{}</a>', link, _("How the check items were answered"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        module = self.get_queryset(request).get(pk=form.instance.pk)
        short = pool_shortfall_of(module_pool(module), module.check_size)
        if short:
            messages.warning(
                request, _("The check pool is too small: %(short)s.") % {"short": short}
            )
