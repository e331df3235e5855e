import pytest

from tests.factories import api_key


@pytest.fixture
def bearer():
    """bearer(user) -> the Authorization header value of a fresh API token."""

    def _bearer(user):
        return f"Bearer {api_key(user)}"

    return _bearer
