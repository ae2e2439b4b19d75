"""Playing a scenario alone: the catalogue, a scenario's start page, its steps, its ending,
and the pictures its messages show."""

from django.urls import path, re_path

from trainer.play import pictures, views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("s/<slug:slug>/", views.scenario_in_language, name="scenario_in_language"),
    path("s/<slug:slug>/<str:language>/", views.scenario_start, name="scenario_start"),
    path("play/<uuid:attempt_id>/", views.play, name="play"),
    path("play/<uuid:attempt_id>/result/", views.result, name="result"),
    re_path(
        r"^pictures/(?P<sha256>[0-9a-f]{64})\.(?P<extension>png|jpg|webp)$",
        pictures.picture_file,
        name="picture",
    ),
]
