"""Small helpers that read settings from the environment and refuse bad values.

A typo in a deployment's environment should stop the site at start-up with a
message that names the variable, not surface later as odd behaviour.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value; use 1 or 0.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    raw = env_str(name, required=required)
    if raw is None:
        return list(default or [])
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if required and not items:
        raise ImproperlyConfigured(f"The environment variable {name} must list at least one value.")
    return items


def env_secret_key(name: str) -> str:
    """A production signing key: required, and as strong as `check --deploy` asks (at least
    50 characters, 5 of them different, not one Django made for development). A weak key
    would let anyone forge player cookies, booster links and return codes."""
    value = env_str(name, required=True)
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"The environment variable {name} is too weak for production: use at least 50 "
            "random characters, e.g. from python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'."
        )
    return value
