"""The shared small world of the tests: one helper to log in with the second factor, and factories."""
import os

import pytest

os.environ.setdefault("RENKEI_TESTING", "1")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def login(client):
    """login(user) logs the test client in with a verified second factor and returns it."""
    from tests.factories import verify_client

    def _login(user, verified=True):
        return verify_client(client, user, verified=verified)

    return _login
