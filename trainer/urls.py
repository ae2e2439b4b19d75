from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

from trainer import views
from trainer.authoring.preview import preview_start
from trainer.authoring.views import scenario_stats

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("s/<slug:slug>/<str:language>/", views.scenario_start, name="scenario_start"),
    path("play/<uuid:attempt_id>/", views.play, name="play"),
    path("play/<uuid:attempt_id>/result/", views.result, name="result"),
    # Authors' pages that read play, beside the admin's own (matched before it).
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
    path("admin/", admin.site.urls),
]

# `make bench` only (SAQ_BENCH=1): a tiny page through the same middleware, the baseline
# the benchmark compares the play pages with.
if settings.BENCH:
    bare = TemplateView.as_view(template_name="bench/bare.html", extra_context={"name": "Saq"})
    urlpatterns.append(path("bench/bare/", bare))
