"""Helpers for the authoring tests: personas, and posting the admin's forms with inlines."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

AUTHORS = "Authors"
PASSWORD = "a-long-test-password-7"


def authors_group() -> Group:
    """The Authors group as migration 0003 makes it (a flushed database lost it)."""
    migration = importlib.import_module("scenarios.migrations.0003_authors_group")
    migration.add_authors_group(apps, None)
    return Group.objects.get(name=AUTHORS)


def author(username: str = "aigerim") -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(authors_group())
    return user


def staff_without_group(username: str = "bolat") -> User:
    return User.objects.create_user(username, password=PASSWORD, is_staff=True)


def superuser(username: str = "root") -> User:
    return User.objects.create_superuser(username, password=PASSWORD)


@pytest.fixture
def author_client(client):
    client.force_login(author())
    return client


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """The POST data of an inline formset: its management form and each row's fields."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    return data


def version_form(version, steps: list[dict], initial: int = 0, **fields) -> dict:
    data = {
        "title": version.title,
        "summary": version.summary,
        "channel": version.channel,
        "difficulty": str(version.difficulty),
        "based_on": version.based_on,
        "basis": version.basis,
        "sources": "\n".join(version.sources),
        "minutes_given": "" if version.minutes_given is None else str(version.minutes_given),
        "discussion": "\n".join(version.discussion),
        **fields,
    }
    if version.legitimate:
        data["legitimate"] = "on"
    return {**data, **formset("steps", steps, initial)}


def step_form(step, messages: list[dict], choices: list[dict], **fields) -> dict:
    data = {
        "key": step.key,
        "title": step.title,
        "sender_name": step.sender_name,
        "ending": step.ending,
        "text": step.text,
        "loss_kzt": "" if step.loss_kzt is None else str(step.loss_kzt),
        **fields,
    }
    if step.is_start:
        data["is_start"] = "on"
    existing_messages = step.messages.count()
    existing_choices = step.choices.count()
    return {
        **data,
        **formset("messages", messages, existing_messages),
        **formset("choices", choices, existing_choices),
    }
