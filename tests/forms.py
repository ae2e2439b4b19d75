"""Forms as a browser sends them: with the token the page gave them (trainer.web.once)."""

import re

from django.test import Client

_ONCE = re.compile(r'<input type="hidden" name="once" value="([^"]+)">')


def once_token(html: str) -> str:
    """The token of the page's form that makes something; every copy of it acts once."""
    found = _ONCE.findall(html)
    assert found, "the page has no form with a once token"
    return found[-1]


def page_token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return once_token(response.content.decode())
