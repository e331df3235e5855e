"""In the browser: the service worker installs for the whole site, keeps only static files, and the
通知設定 page runs its script under the Content-Security-Policy."""
import time

import pytest

from tests.e2e.conftest import log_in_as
from tests.e2e.test_network import team  # noqa: F401  (the fixture, shared with the network's test)

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_until(page, expression, seconds=15):
    """Poll an expression through page.evaluate (wait_for_function evaluates a string, which the page's
    Content-Security-Policy forbids: no 'unsafe-eval')."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {seconds} s: {expression}"
        page.wait_for_timeout(200)

KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) { urls.push(new URL(request.url).pathname); }
  }
  return urls;
}"""


def test_the_worker_controls_the_site_and_keeps_only_static_files(page, live_server, team):  # noqa: F811
    patient, people = team
    log_in_as(page, live_server, *people["nurse"])
    scope = page.evaluate("navigator.serviceWorker.ready.then(function (r) { return r.scope; })")
    page.goto(f"{live_server.url}/network/{patient.pk}/")  # a patient page, now under the worker
    _wait_until(page, "navigator.serviceWorker.controller !== null")
    page.reload()
    kept = page.evaluate(KEPT_URLS)
    assert scope == f"{live_server.url}/"
    assert kept and all(path.startswith("/static/") for path in kept)


def test_the_settings_page_offers_this_device_without_a_policy_violation(page, live_server, team, settings):  # noqa: F811
    settings.VAPID_PUBLIC_KEY = "BCVaS6aZijhBXx42TfGSaot0IH7tqTgNh_26yQay69bNCsIeJU2GjR-PaPW8ZzhD19PRbrD1F7bBnoesjS6S_MA"
    settings.VAPID_PRIVATE_KEY = "55UWBJtcr1oqgIZ8XXpDpAOQzqT-xQonMvqxtJKzOQI"
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    _patient, people = team
    log_in_as(page, live_server, *people["nurse"])
    page.get_by_role("link", name="通知設定").click()
    _wait_until(page, "document.getElementById('push-status').textContent.indexOf('確認しています') < 0")
    status = page.locator("#push-status").inner_text()
    assert ("まだ通知を受け取っていません" in status or "拒否" in status or "対応していません" in status)
    assert violations == []
