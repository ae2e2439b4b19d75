"""A run's certificate, its PDF, and /verify/ for whoever is shown one."""

from django.urls import path, re_path

from trainer.certificates import views

urlpatterns = [
    path("run/<uuid:run_id>/certificate/", views.certificate, name="certificate"),
    path("run/<uuid:run_id>/certificate/pdf/", views.certificate_download, name="certificate_pdf"),
    path("verify/", views.verify, name="verify"),
    # /verify/<code>, as printed on a certificate, with or without the closing slash.
    re_path(r"^verify/(?P<code>[^/]+)/?$", views.verify_code, name="verify_code"),
]
