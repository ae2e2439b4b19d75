"""Saq's settings: one file, read from the environment.

Development needs no variables at all. Production (SAQ_PRODUCTION=1) refuses
to start without SECRET_KEY and ALLOWED_HOSTS, with a weak SECRET_KEY or with
SAQ_DEBUG=1, and turns on every safeguard that `manage.py check --deploy` looks for.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from trainer.env import env_bool, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_bool("SAQ_PRODUCTION", False)
DEBUG = env_bool("SAQ_DEBUG", not PRODUCTION)
# `make bench` only: adds a bare page (bench/bare/) the benchmark measures the play pages against.
BENCH = env_bool("SAQ_BENCH", False)
# Behind a load balancer: trust its X-Forwarded-Proto, and the address it appends to
# X-Forwarded-For (what the join-code, login and /verify/ throttles count by).
BEHIND_PROXY = env_bool("SAQ_BEHIND_PROXY", False)

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "SAQ_DEBUG=1 is refused with SAQ_PRODUCTION=1: debug pages show settings and code "
        "to anyone. Unset SAQ_DEBUG."
    )
if PRODUCTION:
    SECRET_KEY = env_secret_key("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
else:
    # A fixed key is fine on a developer's machine; production must bring its own.
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
# Rotating the key: the new one in SECRET_KEY, the old ones here for as long as what they
# signed should keep working. Without them, the player cookies, the booster links and the
# return codes already handed out stop working at once.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# The site's own address, without a trailing slash: learning records (xAPI) name players'
# accounts and Saq's activities under it, so it must stay the same once records are sent.
SITE_URL = env_str(
    "SAQ_SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "crispy_forms",
    "scenarios",
    "trainer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trainer.web.csp.ContentSecurityPolicyMiddleware",  # django-csp, error pages too
    # Inside the CSP and outside the rest: a database that is away gives the 503 page.
    "trainer.web.health.DatabaseAwayMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed logins (facilitators' and the admin's) before Django checks
# the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "trainer.urls"
WSGI_APPLICATION = "trainer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # A token for the forms that make something: a repeat of one acts once.
                "trainer.web.once.once_context",
            ],
        },
    },
]

# Every form a person fills in is laid out by django-crispy-forms with Saq's own template
# pack (templates/saq/): one place for labels, required marks, help text and errors linked
# to their field, in Saq's look and under the strict CSP (no framework CSS, nothing inline).
CRISPY_TEMPLATE_PACK = "saq"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("saq",)
# A layout that names a field the form lacks is a bug to see, not to hide.
CRISPY_FAIL_SILENTLY = False

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection the database dropped (a restart, a fail-over) is found at the
        # first query of a request and replaced, instead of failing it. On PostgreSQL the
        # check reads the socket rather than asking the server (trainer/web/postgresql).
        conn_health_checks=True,
    )
}
# A database that is away or hung must not hold a request until gunicorn kills the worker:
# connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, a statement (or its wait for a
# lock) after DATABASE_STATEMENT_TIMEOUT_MS; the player then gets the 503 page
# (trainer/web/health.py). PostgreSQL only; 0 turns the statement timeout off (long migrations).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 10_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "trainer.web.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
        }
    )
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters bound by the server, and a statement a connection has run twice kept
        # prepared: the play pages' few statements are parsed and planned once per
        # connection, which halves PostgreSQL's CPU per request (docs/deploy.md has the
        # figures). Off (0) behind a pooler that cannot keep prepared statements (PgBouncer
        # before 1.21 in transaction mode).
        DATABASES["default"]["OPTIONS"].update(
            {"server_side_binding": True, "prepare_threshold": 2}
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # With several workers, a transaction takes SQLite's write lock when it begins instead of
    # failing half-way with "database is locked"; WAL lets pages be read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too, not SQLite's in-memory database, whose table locks fail at once
    # where a real database waits its turn: concurrent requests are tested as they run.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A first visit follows the browser's Accept-Language (LocaleMiddleware); a language chosen
# with the switcher (Django's set_language view) is kept in a cookie and wins from then on.
LANGUAGE_CODE = "en"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Django has no Kazakh number or date formats; these give "0,5" and "150 000" as in Russian,
# and dates written out in Kazakh; English dates are written day first.
FORMAT_MODULE_PATH = ["trainer.formats"]
# Off on purpose: with it on, every number printed in a template is grouped, ids in forms
# and links too ("1 234"). Amounts and rates are formatted where they are shown, by the
# tenge, percent and decimal filters (trainer/templatetags/saq.py).
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
# collectstatic gathers files here for production; elsewhere they are served from static/.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the files are served straight from static/, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Nothing inline, nothing from elsewhere: author and player text can never run as script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# A form sent with a stale or missing CSRF token gets Saq's own page, in the reader's language.
CSRF_FAILURE_VIEW = "trainer.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "facilitator:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after 5 wrong passwords for one account from one address,
# that pair waits 15 minutes. Keyed on the pair, so a stranger cannot lock a facilitator out
# from everywhere by typing their name. Failures live in the database (the default handler),
# so every worker sees them and each test starts clean; `manage.py axes_reset` lifts them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "facilitator/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "trainer.web.addresses.axes_client_address"  # IPv6 by its /64
AXES_VERBOSE = False

# E-mail: only a facilitator's password reset sends any. Development prints it on the
# console (runserver's output) unless EMAIL_HOST names an SMTP server; production sends
# through SMTP, by default to a mail server on the same machine (README, Settings).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Saq <noreply@localhost>")
# A reset link works for three days, and once.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer asks the app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The browser's attempts are tied to this signed cookie, so no account is needed to play.
PLAYER_COOKIE_NAME = "saq_player"
PLAYER_COOKIE_MAX_AGE = 60 * 60 * 24 * 90
PLAYER_COOKIE_SECURE = PRODUCTION

# Sessions: how many wrong join codes one browser, and one address, may type in a minute
# before they are asked to slow down (a class behind one address shares the second; see
# docs/security.md), and how often the facilitator's live board asks for fresh figures.
JOIN_WRONG_CODES_PER_MINUTE = 10
JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS = 30
BOARD_REFRESH_SECONDS = env_int("SAQ_BOARD_REFRESH_SECONDS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
