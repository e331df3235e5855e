"""An idle session is logged out after SESSION_IDLE_TIMEOUT_MINUTES (30 by default)."""
import pytest

from renkei.core import middleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the middleware."""
    state = {"now": NOW}
    monkeypatch.setattr(middleware.time, "time", lambda: state["now"])
    return state


@pytest.fixture
def user_client(login, clock):
    c = login(UserFactory())
    c.get("/")  # the first request starts the idle clock
    return c


def _after(clock, minutes):
    clock["now"] += minutes * 60


def test_the_default_is_thirty_minutes(settings):
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30


def test_a_session_used_within_the_limit_stays_logged_in(user_client, clock):
    _after(clock, 29)
    user_client.get("/")
    assert "_auth_user_id" in user_client.session


def test_each_request_restarts_the_clock(user_client, clock):
    _after(clock, 20)
    user_client.get("/")
    _after(clock, 20)
    user_client.get("/")
    assert "_auth_user_id" in user_client.session


def test_an_idle_session_is_logged_out(user_client, clock):
    _after(clock, 31)
    user_client.get("/")
    assert "_auth_user_id" not in user_client.session


def test_an_idle_session_must_log_in_again_for_a_protected_page(user_client, clock):
    _after(clock, 31)
    r = user_client.get("/accounts/tokens/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_login_page_explains_the_timeout(user_client, clock):
    _after(clock, 31)
    r = user_client.get("/accounts/tokens/", follow=True)
    assert "一定時間操作がなかったため、ログアウトしました" in r.content.decode()


def test_the_limit_is_configurable(user_client, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    _after(clock, 6)
    user_client.get("/")
    assert "_auth_user_id" not in user_client.session


def test_the_explanation_is_shown_only_once(user_client, clock):
    _after(clock, 31)
    user_client.get("/accounts/tokens/", follow=True)
    assert "一定時間操作がなかった" not in user_client.get("/accounts/login/").content.decode()
