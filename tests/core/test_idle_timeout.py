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


@pytest.mark.parametrize("pauses, logged_in", [
    ([29], True),  # used within the limit
    ([20, 20], True),  # each request restarts the clock
    ([31], False),  # idle past the limit
])
def test_a_session_stays_logged_in_while_each_pause_is_within_the_limit(user_client, clock, pauses, logged_in):
    for minutes in pauses:
        _after(clock, minutes)
        user_client.get("/")
    assert ("_auth_user_id" in user_client.session) is logged_in


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
