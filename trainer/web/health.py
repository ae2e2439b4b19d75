"""When the database is away: a page that says so, and a health check for the load balancer.

A database that is down, restarting or hung (the connect or statement timeout of
trainer/settings.py fired) raises OperationalError or InterfaceError. Players then get
`503.html` in their language, with Retry-After, not gunicorn's bare "Internal Server Error".

The page is rendered without the request, like Django's 500 page: the request's context
processors would read the session and the messages, which live in the database that just
failed. The language is the one LocaleMiddleware chose for the request.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_away_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseAwayMiddleware:
    """A view (or its template) that fails on the database gives the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DATABASE_AWAY):
            return database_away_response()
        return None


def server_error_or_database_away(request: HttpRequest) -> HttpResponse:
    """handler500: a database failure outside a view (a middleware saving the session)
    still gives the 503 page; anything else Django's 500 page."""
    if isinstance(sys.exception(), DATABASE_AWAY):
        return database_away_response()
    return server_error(request)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: "ok" when the database answers a trivial query, else 503.
    It says nothing else (no versions, no counts) because anyone can ask."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
