"""Password lock-out by username from any address, short, with JSON for API callers."""
import pytest

from renkei.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESSES = [f"203.0.113.{i}" for i in range(1, 7)]


def _guess(client, user, ip, password="wrong-guess"):
    return client.post("/accounts/login/", {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def _spread(client, user, guesses=24):
    """Guesses spread evenly over six addresses."""
    for i in range(guesses):
        _guess(client, user, ADDRESSES[i % len(ADDRESSES)])


def test_24_guesses_over_6_addresses_lock_the_account(client, user):
    _spread(client, user)
    r = _guess(client, user, "198.51.100.1", password=PASSWORD)
    assert r.status_code == 429


def test_the_lock_out_is_audited(client, user):
    _spread(client, user)
    assert AuditEvent.objects.filter(action="login.lockout", detail=f"username={user.username}").exists()


def test_the_page_says_how_long_the_lock_lasts(client, user, settings):
    _spread(client, user)
    body = _guess(client, user, "198.51.100.1", password=PASSWORD).content.decode()
    assert f"{settings.AXES_COOLOFF_TIME * 60:.0f}分間ログインできません" in body


def test_the_lock_ends_after_the_cool_off(client, user, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    _spread(client, user)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME))
    assert _guess(client, user, "198.51.100.1", password=PASSWORD).status_code == 302


def test_fewer_failures_than_the_limit_lock_nothing(client, user, settings):
    _spread(client, user, guesses=settings.AXES_FAILURE_LIMIT - 1)
    assert _guess(client, user, "198.51.100.1", password=PASSWORD).status_code == 302


def test_another_account_is_not_locked(client, user):
    _spread(client, user)
    other = UserFactory()
    assert _guess(client, other, ADDRESSES[0], password=PASSWORD).status_code == 302


def _token(client, user, password):
    body = {"username": user.username, "password": password, "otp": "000000"}
    return client.post("/api/v1/auth/token", body, content_type="application/json", REMOTE_ADDR="198.51.100.1")


def test_a_locked_out_api_caller_gets_json_429(client, user):
    _spread(client, user)
    r = _token(client, user, PASSWORD)
    assert r.status_code == 429 and r["Content-Type"] == "application/json" and "ログインできません" in r.json()["detail"]


def test_api_failures_lock_the_account_too(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, user, "wrong-guess")
    assert _token(client, user, PASSWORD).json()["detail"].startswith("ログインの失敗が続いたため")
