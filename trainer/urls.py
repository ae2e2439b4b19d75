from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from trainer import views
from trainer.sessions import views as join_views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("s/<slug:slug>/<str:language>/", views.scenario_start, name="scenario_start"),
    path("play/<uuid:attempt_id>/", views.play, name="play"),
    path("play/<uuid:attempt_id>/result/", views.result, name="result"),
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
    path("admin/", admin.site.urls),
]

# `make bench` only (SAQ_BENCH=1): a tiny page through the same middleware, the baseline
# the benchmark compares the play pages with.
if settings.BENCH:
    bare = TemplateView.as_view(template_name="bench/bare.html", extra_context={"name": "Saq"})
    urlpatterns.append(path("bench/bare/", bare))
