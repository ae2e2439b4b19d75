"""What the site checks as it starts to serve (trainer/wsgi.py), before the first request."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def static_manifest_check() -> None:
    """In production the static files are served by their hashed names, read from the
    manifest `collectstatic` writes: without it every page would answer 500, so the server
    refuses to start and says what to run."""
    if not settings.PRODUCTION:
        return
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        raise ImproperlyConfigured(
            f"No static files manifest at {manifest}: run `manage.py collectstatic --noinput` "
            "before starting Saq with SAQ_PRODUCTION=1 (without it every page answers 500)."
        )
