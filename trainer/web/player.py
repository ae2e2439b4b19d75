"""Who is playing, without an account: a random key in a signed cookie of the browser."""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_SALT = "saq.player"


def player_key(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(
        settings.PLAYER_COOKIE_NAME,
        default=None,
        salt=_SALT,
        max_age=settings.PLAYER_COOKIE_MAX_AGE,
    )


def new_player_key() -> str:
    return secrets.token_urlsafe(24)


def with_player_key(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give the browser its player key with a page whose form makes something (a Start, a
    Join), so that every copy of that form is sent with the same key and acts once."""
    if player_key(request) is None:
        remember_player(response, new_player_key())
    return response


def remember_player(response: HttpResponse, key: str) -> None:
    response.set_signed_cookie(
        settings.PLAYER_COOKIE_NAME,
        key,
        salt=_SALT,
        max_age=settings.PLAYER_COOKIE_MAX_AGE,
        secure=settings.PLAYER_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
