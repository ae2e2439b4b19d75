from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from trainer import booster_views, certificate_views, module_views, views
from trainer.authoring.preview import preview_start
from trainer.authoring.views import scenario_stats
from trainer.sessions import views as join_views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("s/<slug:slug>/<str:language>/", views.scenario_start, name="scenario_start"),
    path("play/<uuid:attempt_id>/", views.play, name="play"),
    path("play/<uuid:attempt_id>/result/", views.result, name="result"),
    path("m/<slug:slug>/<str:language>/", module_views.module_start, name="module_start"),
    path("run/<uuid:run_id>/", module_views.module_run, name="module_run"),
    path("run/<uuid:run_id>/check/<str:phase>/", module_views.module_check, name="module_check"),
    path("run/<uuid:run_id>/play/<slug:slug>/", module_views.module_play, name="module_play"),
    path("run/<uuid:run_id>/result/", module_views.module_result, name="module_result"),
    # set_language: the language switcher on every page posts here (see templates/base.html).
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("join/", join_views.join, name="join"),
    path("join/<str:code>/", join_views.session_page, name="join_session"),
    path("join/<str:code>/play/<int:number>/", join_views.session_play, name="session_play"),
    path("facilitator/", include("trainer.facilitator.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="facilitator/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("run/<uuid:run_id>/certificate/", certificate_views.certificate, name="certificate"),
    path(
        "run/<uuid:run_id>/certificate/pdf/",
        certificate_views.certificate_download,
        name="certificate_pdf",
    ),
    path("booster/<str:token>/", booster_views.booster, name="booster"),
    path("verify/", certificate_views.verify, name="verify"),
    # /verify/<code>, as printed on a certificate, with or without the closing slash.
    re_path(r"^verify/(?P<code>[^/]+)/?$", certificate_views.verify_code, name="verify_code"),
    path("admin/", admin.site.urls),
]

# `make bench` only (SAQ_BENCH=1): a tiny page through the same middleware, the baseline
# the benchmark compares the play pages with.
if settings.BENCH:
    bare = TemplateView.as_view(template_name="bench/bare.html", extra_context={"name": "Saq"})
    urlpatterns.append(path("bench/bare/", bare))
