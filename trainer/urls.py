"""The site's URLs: each concern of trainer brings its own, the admin comes last."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from trainer.sessions.forms import (
    FacilitatorLoginForm,
    FacilitatorPasswordResetForm,
    FacilitatorSetPasswordForm,
)
from trainer.web.health import healthz

# A database failure outside a view still gets the "try again in a minute" page (503).
handler500 = "trainer.web.health.server_error_or_database_away"

urlpatterns = [
    # The load balancer's health check: "ok" when the database answers (trainer/web/health.py).
    path("healthz", healthz, name="healthz"),
    path("", include("trainer.play.urls")),
    path("", include("trainer.runs.urls")),
    path("", include("trainer.certificates.urls")),
    path("", include("trainer.sessions.urls")),
    path("facilitator/", include("trainer.sessions.facilitator.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="facilitator/login.html",
            authentication_form=FacilitatorLoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # A facilitator who forgot the password: Django's reset, by e-mail (EMAIL_* settings).
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="facilitator/password_reset.html",
            form_class=FacilitatorPasswordResetForm,
            email_template_name="facilitator/password_reset_email.txt",
            subject_template_name="facilitator/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="facilitator/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="facilitator/password_reset_confirm.html",
            form_class=FacilitatorSetPasswordForm,
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="facilitator/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # set_language: the language switcher on every page posts here (see templates/base.html).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("trainer.authors.urls")),
    path("admin/", admin.site.urls),
]

# `make bench` only (SAQ_BENCH=1): a tiny page through the same middleware, the baseline
# the benchmark compares the play pages with.
if settings.BENCH:
    bare = TemplateView.as_view(template_name="bench/bare.html", extra_context={"name": "Saq"})
    urlpatterns.append(path("bench/bare/", bare))
