"""Sessions in Redis (REDIS_URL: the cached_db engine, docs/scaling.md): any app server finds a session, losing
Redis's copy logs nobody out, and logout, a new password and a reset second factor still end sessions.

Needs the Redis server at 127.0.0.1:6379 (its database 15, keys under a prefix of this run); without it the
tests skip, unless RENKEI_REQUIRE_REDIS=1 (CI) makes its absence a failure.
"""
import os
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from renkei.core.models import AuditEvent

REDIS_URL = "redis://127.0.0.1:6379/15"
NEW_PASSWORD = "another-Secret-2026"
pytestmark = pytest.mark.django_db


def _redis_reachable():
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.fixture(autouse=True)
def redis_sessions(settings):
    if not _redis_reachable():
        if os.environ.get("RENKEI_REQUIRE_REDIS") == "1":
            pytest.fail("RENKEI_REQUIRE_REDIS=1 but no Redis answers at 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "renkei.core.rediscache.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": f"renkei-test-{uuid.uuid4().hex}"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    cache.clear()


@pytest.fixture
def member(db):
    from tests.factories import UserFactory

    user = UserFactory(username="sessions")
    user.set_password("first-Secret-2026")
    user.save()
    return user


def _signed_in_as(member):
    """A browser of its own (a client with no state but its cookie), signed in with the second factor."""
    from tests.factories import verify_client

    return verify_client(Client(), member)


def _signed_in(client):
    return client.get("/accounts/tokens/").status_code == 200


def _same_cookie(client):
    """Another app server's view of the browser: a new client that carries only the session cookie."""
    other = Client()
    other.cookies = client.cookies
    return other


def _key(client):
    return client.cookies["sessionid"].value


def _cached(key):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    return cache.get(KEY_PREFIX + key) is not None


def test_a_session_lives_in_redis_and_in_the_database(member):
    browser = _signed_in_as(member)
    assert _signed_in(browser)
    key = _key(browser)
    assert _cached(key) and Session.objects.filter(session_key=key).exists()


def test_another_app_server_finds_the_session(member):
    browser = _signed_in_as(member)
    assert _signed_in(_same_cookie(browser))


def test_a_session_survives_the_loss_of_its_redis_copy(member):
    browser = _signed_in_as(member)
    cache.clear()  # Redis restarted without its data, or evicted the key
    assert _signed_in(_same_cookie(browser))


def test_logout_ends_the_session_in_redis_and_the_database(member):
    browser = _signed_in_as(member)
    key = _key(browser)
    assert browser.post("/accounts/logout/").status_code in (200, 302)
    assert not _cached(key) and not Session.objects.filter(session_key=key).exists()
    stale = Client()
    stale.cookies["sessionid"] = key
    assert not _signed_in(stale)


def test_a_new_password_ends_the_other_sessions(member):
    browser = _signed_in_as(member)
    member.set_password(NEW_PASSWORD)
    member.save()
    assert not _signed_in(_same_cookie(browser))


def test_a_reset_second_factor_ends_the_sessions_in_redis_too(member):
    browser = _signed_in_as(member)
    key = _key(browser)
    assert _cached(key)
    member.totpdevice_set.get().delete()
    assert not _cached(key) and not Session.objects.filter(session_key=key).exists()
    assert not _signed_in(_same_cookie(browser))
    assert AuditEvent.objects.filter(action="otp.reset", detail__endswith="sessions ended=1").exists()
