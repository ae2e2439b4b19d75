"""A module run (its checks, its scenarios, its result) and the booster that follows it."""

from django.urls import path

from trainer.runs import booster_views, views

urlpatterns = [
    path("m/<slug:slug>/<str:language>/", views.module_start, name="module_start"),
    path("run/<uuid:run_id>/", views.module_run, name="module_run"),
    path("run/<uuid:run_id>/check/<str:phase>/", views.module_check, name="module_check"),
    path("run/<uuid:run_id>/play/<slug:slug>/", views.module_play, name="module_play"),
    path("run/<uuid:run_id>/result/", views.module_result, name="module_result"),
    path("booster/<str:token>/", booster_views.booster, name="booster"),
]
