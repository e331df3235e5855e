"""Browser tests: Playwright driving Debian's Chromium against a live test server.

They skip where /usr/bin/chromium is absent, except when RENKEI_REQUIRE_BROWSER=1 (CI), where
a missing browser fails the run.
"""
import os
import shutil
import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django_otp.oath import TOTP

from tests.e2e.signin import sign_in
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite(django_db_setup):
    """On SQLite the test database lives in memory and Django's live server shares its one connection among
    the server's threads: two requests at once (a page's polling beside the next navigation) break each other's
    savepoints ("no such savepoint") and one answers 503. There the live server takes one request at a time;
    on PostgreSQL each thread has its own connection and requests run side by side as in production."""
    if connection.vendor != "sqlite":
        yield
        return
    lock = threading.Lock()
    original = WSGIHandler.__call__

    def serialised(self, environ, start_response):
        with lock:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = serialised
    try:
        yield
    finally:
        WSGIHandler.__call__ = original


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("RENKEI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required for browser tests but {CHROMIUM} is missing")
        pytest.skip("Chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page. It depends on the live server so that it is closed before the server stops and
    the database is flushed; leaving for about:blank first stops the page's polling, so no request of it
    is still writing while the database is emptied."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    yield page
    try:
        page.goto("about:blank", wait_until="load")
    finally:
        context.close()


def log_in(page, live_server, username, password, key):
    """Sign in through the login page and the TOTP step (key: the device's secret bytes)."""
    sign_in(page, live_server.url, username, password, f"{TOTP(key).token():06d}")


def log_in_as(page, live_server, user, device):
    """Sign in as a test user (tests.factories.PASSWORD) with its TOTP device."""
    log_in(page, live_server, user.username, PASSWORD, device.bin_key)


def doctor_and_nurse_team():
    """Musashino (a transactional test flushes the seeded municipalities) and a fictional patient whose care
    team is a physician (`doctor`, the manager, who obtained the consent) and a visiting nurse (`nurse`):
    (patient, doctor, nurse)."""
    from renkei.core.models import Municipality, Profession
    from renkei.network.models import TeamRole
    from tests.factories import UserFactory
    from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

    Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})
    patient = PatientFactory(name="武蔵野 テスト花子", name_kana="むさしの てすとはなこ")
    doctor = UserFactory(username="doctor", name="往診 一郎", profession=Profession.PHYSICIAN)
    nurse = UserFactory(username="nurse", name="訪看 さくら", profession=Profession.NURSE)
    CareTeamMemberFactory(patient=patient, user=doctor, role=TeamRole.PHYSICIAN, is_manager=True)
    CareTeamMemberFactory(patient=patient, user=nurse, role=TeamRole.VISITING_NURSE)
    ConsentFactory(patient=patient, obtained_by=doctor)
    return patient, doctor, nurse
