"""A facilitator who forgot the password sets a new one through Django's password reset:
a link by e-mail (the console in development, SMTP in production), working once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.session_factories import facilitator

pytestmark = pytest.mark.django_db

NEW = "a brand new passphrase 42"


@pytest.fixture
def alice(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    account = facilitator("alice", password="forgotten one")
    account.email = "alice@school1.kz"
    account.save()
    return account


def test_the_login_page_offers_a_reset():
    page = Client().get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in page


def test_a_link_by_e_mail_sets_a_new_password_once(alice):
    client = Client()
    form = client.get(reverse("password_reset")).content.decode()
    assert 'name="email"' in form
    response = client.post(reverse("password_reset"), {"email": "ALICE@school1.kz"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["alice@school1.kz"] and sent.subject == "Saq: set a new password"
    assert "for the Saq account alice." in sent.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", sent.body)[1]
    page = client.get(link, follow=True)
    assert "Set a new password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert get_user_model().objects.get(pk=alice.pk).check_password(NEW)
    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(alice):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.kz"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []
