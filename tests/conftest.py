import io

import pytest
from django.core.management import call_command
from django.utils import translation

from scenarios.content import clear_cache


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """The kk and ru pages are tested as served: compile the .po files when out of date."""
    call_command("compile_catalogues", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    """Each test starts with an empty content cache: ids are reused between tests."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Kazakh or Russian leaves its language active in the thread; each test
    starts from the default, as a new request would."""
    yield
    translation.deactivate()


from tests.authoring import author_client  # noqa: E402, F401 (a fixture for the authoring tests)
