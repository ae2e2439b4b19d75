"""Every URL of the facilitator's area. tests/test_facilitator_access.py checks each one
with its personas, and fails on a URL added here without them."""

from django.urls import path

from trainer.sessions.facilitator import (
    follow_ups,
    guides,
    live,
    players,
    projector,
    reports,
    views,
)

app_name = "facilitator"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:session_id>/", views.session_overview, name="session"),
    path("sessions/<uuid:session_id>/qr.svg", views.session_qr, name="qr"),
    path("sessions/<uuid:session_id>/board/", live.board, name="board"),
    path("sessions/<uuid:session_id>/board/live/", live.board_fragment, name="board_live"),
    path("sessions/<uuid:session_id>/group/<int:number>/", live.group, name="group"),
    path("sessions/<uuid:session_id>/projector/", projector.projector, name="projector"),
    path(
        "sessions/<uuid:session_id>/projector/lobby/",
        projector.lobby_fragment,
        name="projector_lobby",
    ),
    path(
        "sessions/<uuid:session_id>/projector/group/<int:number>/",
        projector.projector_group,
        name="projector_group",
    ),
    path("sessions/<uuid:session_id>/players/", players.player_list, name="players"),
    path(
        "sessions/<uuid:session_id>/players/<int:player_id>/return-code/<int:round>/",
        players.return_code_reissue_view,
        name="return_code_reissue",
    ),
    path(
        "sessions/<uuid:session_id>/players/<int:player_id>/rename/",
        players.player_rename_view,
        name="player_rename",
    ),
    path(
        "sessions/<uuid:session_id>/players/<int:player_id>/remove/",
        players.player_remove_view,
        name="player_remove",
    ),
    path("sessions/<uuid:session_id>/close/", views.session_close_view, name="close"),
    path("sessions/<uuid:session_id>/reopen/", views.session_reopen_view, name="reopen"),
    path("sessions/<uuid:session_id>/report/", reports.report, name="report"),
    path("sessions/<uuid:session_id>/report.csv", reports.report_download, name="report_csv"),
    path("sessions/<uuid:session_id>/delete/", views.session_delete_view, name="delete"),
    path(
        "sessions/<uuid:session_id>/follow-up/new/",
        follow_ups.follow_up_new,
        name="follow_up_new",
    ),
    path(
        "sessions/<uuid:session_id>/follow-up/report/",
        follow_ups.follow_up_report_view,
        name="follow_up_report",
    ),
    path(
        "sessions/<uuid:session_id>/follow-up/report.csv",
        follow_ups.follow_up_report_download,
        name="follow_up_report_csv",
    ),
    path("guides/", guides.guide_list, name="guides"),
    path("guides/<slug:slug>/<str:language>/", guides.guide_page, name="guide"),
    path("guides/<slug:slug>/<str:language>/guide.pdf", guides.guide_download, name="guide_pdf"),
]
