"""Safe by default: strict CSP, no inline code, escaped author text, a clean deploy check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import path, reverse

from scenarios.models import Message
from tests.factories import build_scenario
from trainer.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_page_sends_a_strict_content_security_policy(client):
    build_scenario()
    policy = client.get(reverse("catalogue"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_hold_no_inline_script_style_or_safe_filter():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert "<style" not in text and " style=" not in text, template
        assert not re.search(r"\bon[a-z]+=", text), template
        assert "|safe" not in text and "autoescape off" not in text, template


@pytest.mark.django_db
def test_author_text_is_shown_as_text_never_as_markup(client):
    scenario = build_scenario()
    Message.objects.filter(key="m0-hello").update(
        text='<script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    response = client.post(reverse("scenario_start", args=[scenario.slug, "en"]))
    html = client.get(response.url).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and '<script>alert("x")' not in html


def test_deploy_check_is_silent_under_production_settings():
    env = {
        **os.environ,
        "SAQ_PRODUCTION": "1",
        "SECRET_KEY": "x7#kq0-" + "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6",
        "ALLOWED_HOSTS": "saq.example.kz",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {**os.environ, "SAQ_PRODUCTION": "1", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "a.kz"}
    env.pop(missing)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert f"The environment variable {missing} must be set." in done.stderr


STRONG_KEY = "x7#kq0-" + "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6"


def manage_check(**variables: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAQ_PRODUCTION": "1", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "a.kz"}
    env.pop("SAQ_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env | variables,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done


@pytest.mark.parametrize(
    ("variables", "said"),
    [
        ({"SECRET_KEY": "short"}, "The environment variable SECRET_KEY is too weak for production"),
        (
            {"SECRET_KEY": "k" * 60},
            "The environment variable SECRET_KEY is too weak for production",
        ),
        (
            {"SECRET_KEY": "django-insecure-" + STRONG_KEY},
            "The environment variable SECRET_KEY is too weak for production",
        ),
        ({"SAQ_DEBUG": "1"}, "SAQ_DEBUG=1 is refused with SAQ_PRODUCTION=1"),
    ],
    ids=["short-key", "one-letter-key", "django-insecure-key", "debug"],
)
def test_production_refuses_to_start_with_a_weak_configuration(variables, said):
    """Issue 12, item 9: `check --deploy` only warns; the settings themselves refuse."""
    done = manage_check(**variables)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and said in done.stderr


def test_production_starts_with_a_strong_key_and_debug_off():
    done = manage_check()
    assert done.returncode == 0, done.stderr


def test_the_server_refuses_to_start_without_the_static_files_manifest(tmp_path):
    """Without collectstatic every production page would answer 500: the WSGI start-up says
    so at once, naming the command; with the manifest it starts."""
    script = (
        "import django.conf, sys; "
        "django.conf.settings.STATIC_ROOT = sys.argv[1]; "
        "import trainer.wsgi; print('started')"
    )
    env = {**os.environ, "SAQ_PRODUCTION": "1", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "a.kz"}
    env.pop("SAQ_DEBUG", None)
    env["DJANGO_SETTINGS_MODULE"] = "trainer.settings"

    def start() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    refused = start()
    assert refused.returncode != 0
    assert "run `manage.py collectstatic --noinput`" in refused.stderr
    assert str(tmp_path / "staticfiles.json") in refused.stderr
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    started = start()
    assert started.returncode == 0 and "started" in started.stdout, started.stderr


def test_environment_helpers_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("SAQ_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SAQ_FLAG='maybe' is not a yes/no value"):
        env_bool("SAQ_FLAG")
    monkeypatch.setenv("SAQ_FLAG", "Yes")
    assert env_bool("SAQ_FLAG") is True
    monkeypatch.setenv("SAQ_NUMBER", "12a")
    with pytest.raises(ImproperlyConfigured, match="SAQ_NUMBER='12a' is not a whole number"):
        env_int("SAQ_NUMBER", 3)
    monkeypatch.setenv("SAQ_HOSTS", " a.kz, ,b.kz ")
    assert env_list("SAQ_HOSTS") == ["a.kz", "b.kz"]
    monkeypatch.setenv("SAQ_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="SAQ_HOSTS must list at least one value"):
        env_list("SAQ_HOSTS", required=True)
    monkeypatch.delenv("SAQ_MISSING", raising=False)
    assert env_str("SAQ_MISSING", "fallback") == "fallback"


# Issue 12, item 10: HEAD answers like GET; the CSP on error pages with DEBUG on. -------------


def test_no_view_is_get_only_without_head():
    """require_safe, never require_GET: HEAD (a link checker, a monitor) answers as GET does."""
    sources = [*(ROOT / "trainer").rglob("*.py"), *(ROOT / "scenarios").rglob("*.py")]
    assert [path for path in sources if "require_GET" in path.read_text()] == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/verify/", "/verify/AAAA-AAAA-AAAA-AAAA"])
def test_head_answers_as_get_does(client, path):
    build_scenario()
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code and head.status_code != 405
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]


@pytest.mark.django_db
def test_head_on_a_facilitators_page_answers_as_get_does(client):
    from tests.session_factories import facilitator

    client.force_login(facilitator("alice"))
    url = reverse("facilitator:home")
    assert client.head(url).status_code == client.get(url).status_code == 200


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls("tests.test_security")
@pytest.mark.parametrize(("url", "status"), [("/nowhere/", 404), ("/boom/", 500)])
def test_error_pages_carry_the_policy_with_debug_on(settings, url, status):
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
