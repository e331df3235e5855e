"""The one small world of every app's tests (after healthchecks' hc/test.py): the same names mean the same
people in every test module, and a helper to log in with the second factor.

Staff and coordinators act for Musashino (13203) unless their name says another city."""
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


_SEEDS_FLUSHED = {"yes": False}
_DB_FIXTURES = {"db", "transactional_db", "live_server"}


def _transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """The rows the migrations seed (the area's municipalities, Musashino's program rules) are there in every
    database test, also after a transactional (e.g. browser) test flushed the database."""
    uses_db = request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(request.fixturenames)
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    if _SEEDS_FLUSHED["yes"] or _transactional(request):
        import importlib

        from django.apps import apps

        importlib.import_module("renkei.core.migrations.0002_seed_municipalities").seed(apps, None)
        importlib.import_module("renkei.programs.migrations.0006_seed_musashino_rules").seed(apps, None)
        _SEEDS_FLUSHED["yes"] = False
    yield
    if _transactional(request):
        _SEEDS_FLUSHED["yes"] = True


@pytest.fixture
def login(client):
    """login(user) logs the test client in with a verified second factor and returns it."""
    from tests.factories import verify_client

    def _login(user, verified=True):
        return verify_client(client, user, verified=verified)

    return _login


# ---------------------------------------------------------------- the world's people


@pytest.fixture
def staff(db):
    """Musashino's municipal staff member (市職員)."""
    from tests.factories import staff_user

    return staff_user(username="staff", name="市役 花子")


@pytest.fixture
def staff_mitaka(db):
    """Mitaka's municipal staff member, who acts for Mitaka only."""
    from tests.factories import mitaka, staff_user

    return staff_user(mitaka(), username="staff_mitaka", name="三鷹 市役")


@pytest.fixture
def coordinator(db):
    """Musashino's coordinator (在宅医療・介護連携コーディネーター)."""
    from tests.factories import coordinator_user

    return coordinator_user(username="coordinator", name="連携 調子")


@pytest.fixture
def user(db):
    """A professional on no team who logs in with a password and an enrolled TOTP device (`user.device`)."""
    from tests.factories import UserFactory, totp_device

    u = UserFactory(username="hanako", email="hanako@example.invalid")
    u.device = totp_device(u)
    return u


@pytest.fixture
def world(db):
    """The care side of the world: a patient, its team, a hospital's liaison, a stranger (tests/world.py)."""
    from tests import world

    return world.build()


@pytest.fixture
def staff_client(login, staff):
    """The test client, logged in as `staff`."""
    return login(staff)


@pytest.fixture
def coordinator_client(login, coordinator):
    """The test client, logged in as `coordinator`."""
    return login(coordinator)


@pytest.fixture
def bearer():
    """bearer(user) -> the Authorization header value of a fresh API token."""
    from tests.factories import api_key

    def _bearer(user):
        return f"Bearer {api_key(user)}"

    return _bearer


@pytest.fixture
def audit_queries():
    """Queries one audit row costs: one round trip on PostgreSQL, the chain read and the INSERT elsewhere."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 2
