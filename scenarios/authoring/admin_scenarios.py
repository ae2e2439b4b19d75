"""The scenario list and each scenario's page in the admin: status, versions, graph check,
picture, and the buttons that start a draft, translate, import and export."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from scenarios.models import Channel, Scenario, ScenarioVersion

from .admin_filters import ChannelFilter, KindFilter, StatusFilter, status_of
from .drafts import (
    AuthoringRefused,
    draft_edit_begins,
    draft_start,
    scenario_create,
    scenario_draft,
    scenario_translate,
)
from .forms import ScenarioCreateForm
from .graph import story_check
from .picture import picture_build
from .story import story_load
from .transfer import export_report_page, selection_export
from .uploads import import_view


class ScenarioAdmin(admin.ModelAdmin):
    form = ScenarioCreateForm
    list_display = ["title", "slug", "language", "channel", "kind", "status", "published"]
    list_display_links = ["title"]
    list_filter = ["language", ChannelFilter, StatusFilter, KindFilter]
    search_fields = ["slug", "versions__title"]
    actions = ["export_selected"]
    ordering = ["slug", "language"]

    class Media:
        css = {"all": ["css/authoring.css"]}

    def get_queryset(self, request):
        # The working version is the newest: the draft if there is one, else the published.
        latest = ScenarioVersion.objects.filter(scenario=OuterRef("pk")).order_by("-number")
        fields = ["pk", "title", "channel", "legitimate", "published_at"]
        annotations = {f"working_{f}": Subquery(latest.values(f)[:1]) for f in fields}
        return (
            super().get_queryset(request).select_related("current_version").annotate(**annotations)
        )

    @admin.display(description=gettext_lazy("title"), ordering="working_title")
    def title(self, scenario) -> str:
        return scenario.working_title or "—"

    @admin.display(description=gettext_lazy("channel"), ordering="working_channel")
    def channel(self, scenario) -> str:
        return Channel(scenario.working_channel).label if scenario.working_channel else "—"

    @admin.display(description=gettext_lazy("scam or legitimate"))
    def kind(self, scenario) -> str:
        return _("legitimate") if scenario.working_legitimate else _("scam")

    @admin.display(description=gettext_lazy("status"))
    def status(self, scenario) -> str:
        return status_of(scenario)

    @admin.display(description=gettext_lazy("published version"))
    def published(self, scenario) -> str:
        version = scenario.current_version
        return str(version.number) if version else "—"

    # Adding: the scenario and its first draft, then straight to the draft's page.

    def get_fields(self, request, obj=None):
        return ["slug", "language", *ScenarioCreateForm.version_fields]

    def save_model(self, request, obj, form, change):
        content = {name: form.cleaned_data[name] for name in form.version_fields}
        scenario_create(scenario=obj, **content)

    def response_add(self, request, obj, post_url_continue=None):
        draft = obj.versions.get()
        message = _("The scenario is created as a draft. Now add its steps.")
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(_version_url(draft))

    # The scenario's page.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        scenario = self.get_object(request, unquote(object_id))
        if scenario is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, scenario):
            raise PermissionDenied
        versions = list(scenario.versions.select_related("published_by").order_by("-number"))
        draft = scenario_draft(scenario)
        working = draft or scenario.current_version or (versions[0] if versions else None)
        story = story_load(working) if working else None
        taken = set(Scenario.objects.filter(slug=scenario.slug).values_list("language", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": working.title if working else str(scenario),
            "subtitle": str(scenario),
            "scenario": scenario,
            "status": status_of(scenario),
            "versions": versions,
            "draft": draft,
            "working": working,
            "check": story_check(story) if story else None,
            "picture": picture_build(story) if story else None,
            "can_change": self.has_change_permission(request, scenario),
            "can_delete": self.has_delete_permission(request, scenario),
            "other_languages": [(c, n) for c, n in settings.LANGUAGES if c not in taken],
            "media": self.media,
        }
        return TemplateResponse(request, "admin/scenarios/scenario/overview.html", context)

    def delete_view(self, request, object_id, extra_context=None):
        scenario = self.get_object(request, unquote(object_id))
        if request.method == "POST" and scenario is not None:
            draft = scenario_draft(scenario)
            if draft is not None and self.has_delete_permission(request, scenario):
                draft_edit_begins(draft)
        return super().delete_view(request, object_id, extra_context)

    # Buttons on the scenario's page and the list.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_packs), name="scenarios_scenario_import"),
            path("<int:pk>/draft/", wrap(self.start_draft), name="scenarios_scenario_draft"),
            path("<int:pk>/translate/", wrap(self.translate), name="scenarios_scenario_translate"),
            *super().get_urls(),
        ]

    def _changeable(self, request, pk: int) -> Scenario:
        scenario = get_object_or_404(Scenario.objects.select_related("current_version"), pk=pk)
        if not self.has_change_permission(request, scenario):
            raise PermissionDenied
        return scenario

    @staticmethod
    def _back(scenario: Scenario) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:scenarios_scenario_change", args=[scenario.pk]))

    @method_decorator(require_POST)
    def start_draft(self, request, pk):
        draft = draft_start(scenario=self._changeable(request, pk))
        return HttpResponseRedirect(_version_url(draft))

    @method_decorator(require_POST)
    def translate(self, request, pk):
        scenario = self._changeable(request, pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            copy = scenario_translate(scenario=scenario, language=request.POST.get("language", ""))
        except AuthoringRefused as refused:
            for problem in refused.problems:
                self.message_user(request, problem, messages.ERROR)
            return self._back(scenario)
        message = _(
            "A copy of published version %(number)d to translate is ready as a draft: replace "
            "each text with its translation. Each step's page shows the text it was copied from."
        )
        self.message_user(
            request, message % {"number": copy.translated_from.number}, messages.SUCCESS
        )
        draft = scenario_draft(scenario)
        if draft is not None:
            message = _(
                "Draft version %(number)d of the original is not published: its edits are not "
                "in the copy. Add them to the translation when the draft is published."
            )
            self.message_user(request, message % {"number": draft.number}, messages.WARNING)
        return HttpResponseRedirect(_version_url(copy))

    def import_packs(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        return import_view(self, request)

    @admin.action(description=gettext_lazy("Export the selected scenarios as a pack file"))
    def export_selected(self, request, queryset):
        """First a page saying what the pack will hold (each scenario's published version,
        and the drafts it leaves out), then the file from that page's button."""
        chosen = list(queryset.select_related(None).select_related("current_version"))
        if request.POST.get("download") != "yes":
            return export_report_page(self, request, chosen)
        data, left_out = selection_export(chosen)
        if len(left_out) == len(chosen):
            message = _("Nothing of the selected scenarios is published: there is no pack to save.")
            self.message_user(request, message, messages.WARNING)
            return None
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="saq-scenarios.json"'
        return response


def _version_url(version: ScenarioVersion) -> str:
    return reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
