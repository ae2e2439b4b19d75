"""Playing a scenario alone: the catalogue, a scenario's start page, its steps, its ending."""

from django.urls import path

from trainer.play import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("s/<slug:slug>/<str:language>/", views.scenario_start, name="scenario_start"),
    path("play/<uuid:attempt_id>/", views.play, name="play"),
    path("play/<uuid:attempt_id>/result/", views.result, name="result"),
]
