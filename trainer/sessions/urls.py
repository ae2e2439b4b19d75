"""A player's side of a facilitator's session: joining, the session's page, its scenarios."""

from django.urls import path

from trainer.sessions import join_views

urlpatterns = [
    path("join/", join_views.join, name="join"),
    path("join/<str:code>/", join_views.player_session, name="join_session"),
    path("join/<str:code>/play/<int:number>/", join_views.session_play, name="session_play"),
    path("join/<str:code>/return-code/", join_views.return_code_show, name="return_code_show"),
    path(
        "join/<str:code>/return-code/kept/<int:round>/",
        join_views.return_code_kept,
        name="return_code_kept",
    ),
]
