import pytest

from scenarios.content import clear_cache


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    """Each test starts with an empty content cache: ids are reused between tests."""
    clear_cache()
    yield
    clear_cache()


from tests.authoring import author_client  # noqa: E402, F401 (a fixture for the authoring tests)
