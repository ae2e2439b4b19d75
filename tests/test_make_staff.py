"""`manage.py make_staff` makes an author or a facilitator in one line, and again changes
nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.authoring import authors_group
from trainer.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("make_staff", *args, "--no-input", stdout=out)
    return out.getvalue()


def test_an_author_is_staff_in_the_authors_group_and_nothing_more():
    authors_group()  # as its migration makes it: a flushed database lost it
    said = run("--author", "aigerim")
    account = get_user_model().objects.get(username="aigerim")
    assert account.is_staff and not account.is_superuser and not account.has_usable_password()
    assert list(account.groups.values_list("name", flat=True)) == ["Authors"]
    assert not Membership.objects.exists()
    assert "aigerim is an author" in said and "manage.py changepassword aigerim" in said


def test_a_facilitator_gets_a_role_in_the_organisation_made_for_them_once():
    said = run("--facilitator", "dana", "--organisation", "School 12")
    again = run("--facilitator", "dana", "--organisation", "school-12")
    place = Organisation.objects.get()
    assert (place.name, place.slug) == ("School 12", "school-12")
    membership = Membership.objects.get()
    assert (membership.user.username, membership.role) == ("dana", Role.FACILITATOR)
    assert membership.user.is_staff and not membership.user.groups.exists()
    assert "Made the organisation School 12." in said
    assert "dana is a facilitator of School 12" in again and "Made" not in again


def test_a_facilitator_needs_an_organisation_and_an_author_none():
    with pytest.raises(CommandError, match="add --organisation ORG"):
        run("--facilitator", "dana")
    with pytest.raises(CommandError, match="leave out --organisation"):
        run("--author", "aigerim", "--organisation", "School 12")
    assert not get_user_model().objects.exists()
