"""WSGI entry point for gunicorn and other servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainer.settings")
application = get_wsgi_application()

from trainer.web.startup import static_manifest_check  # noqa: E402 (needs the settings)

static_manifest_check()
