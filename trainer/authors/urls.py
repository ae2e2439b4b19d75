"""Authors' pages that read play, beside the admin's own (matched before it)."""

from django.urls import path

from trainer.authors.preview import preview_start
from trainer.authors.views import module_check_stats_view, scenario_stats

urlpatterns = [
    path(
        "admin/scenarios/scenarioversion/<int:version_id>/preview/",
        preview_start,
        name="authoring_preview",
    ),
    path(
        "admin/scenarios/scenario/<int:scenario_id>/stats/",
        scenario_stats,
        name="authoring_stats",
    ),
    path(
        "admin/scenarios/module/<int:module_id>/check-stats/",
        module_check_stats_view,
        name="authoring_check_stats",
    ),
]
