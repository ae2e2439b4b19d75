"""The admin pages "Where players go wrong" of a scenario, and "How the check items were
answered" of a module."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from scenarios.content import version_content
from scenarios.models import Module, Scenario, ScenarioVersion

from .check_stats import TOO_EASY_ANSWERS, TOO_EASY_PERCENT, module_check_stats
from .stats import version_stats


@staff_member_required
@require_safe
def scenario_stats(request: HttpRequest, scenario_id: int) -> HttpResponse:
    if not request.user.has_perm("scenarios.view_scenario"):
        raise PermissionDenied
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    published = list(
        ScenarioVersion.objects.filter(scenario=scenario, published_at__isnull=False)
        .order_by("-number")
        .values_list("pk", "number")
    )
    chosen = None
    if published:
        wanted = request.GET.get("version")
        numbers = {str(number): pk for pk, number in published}
        if wanted is not None and wanted not in numbers:
            raise Http404
        chosen = numbers.get(wanted) or scenario.current_version_id or published[0][0]
    content = version_content(chosen) if chosen else None
    context = {
        **admin.site.each_context(request),
        "opts": Scenario._meta,
        "title": _("Where players go wrong"),
        "scenario": scenario,
        "versions": [number for _pk, number in published],
        "content": content,
        "stats": version_stats(content) if content else None,
    }
    return TemplateResponse(request, "admin/scenarios/scenario/stats.html", context)


@staff_member_required
@require_safe
def module_check_stats_view(request: HttpRequest, module_id: int) -> HttpResponse:
    if not request.user.has_perm("scenarios.view_module"):
        raise PermissionDenied
    module = get_object_or_404(Module, pk=module_id)
    context = {
        **admin.site.each_context(request),
        "opts": Module._meta,
        "title": _("How the check items were answered"),
        "module": module,
        "stats": module_check_stats(module),
        "too_easy_answers": TOO_EASY_ANSWERS,
        "too_easy_percent": TOO_EASY_PERCENT,
    }
    return TemplateResponse(request, "admin/scenarios/module/check_stats.html", context)
