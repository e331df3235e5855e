"""Measured: taps from a push to the acknowledgement, on a phone (390×844).

A nurse mentions the physician; the push that leaves for the physician's phone (pywebpush replaced by a mock
that keeps the payload) names the page the notification opens. The signed-in phone opens that address, as
tapping the notification does, and every tap from there is counted until the 「確認しました」 is stored:
the list opens with the item's button on the first screen, so it takes one tap (docs/api.md).
"""
import json
from unittest import mock

import pytest

from renkei.network import services
from renkei.network.models import PostAcknowledgement
from tests.e2e.conftest import doctor_and_nurse_team, log_in
from tests.factories import PASSWORD, totp_device
from tests.network.factories import push_subscription

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN_HEIGHT = 844
TAPS_FROM_PUSH_TO_ACKNOWLEDGEMENT = 1


@pytest.fixture
def mentioned_doctor(db, settings):
    settings.VAPID_PUBLIC_KEY = "BCVaS6aZijhBXx42TfGSaot0IH7tqTgNh_26yQay69bNCsIeJU2GjR-PaPW8ZzhD19PRbrD1F7bBnoesjS6S_MA"
    settings.VAPID_PRIVATE_KEY = "55UWBJtcr1oqgIZ8XXpDpAOQzqT-xQonMvqxtJKzOQI"
    settings.PUSH_IN_BACKGROUND = False
    settings.NETWORK_POLL_SECONDS = 600
    patient, doctor, nurse = doctor_and_nurse_team()
    push_subscription(doctor)
    with mock.patch("pywebpush.webpush") as sent:
        post = services.create_post(author=nurse, body="@doctor 仙骨部の発赤が広がっています。処置の指示をお願いします。",
                                    patient=patient)
    push_url = json.loads(sent.call_args.kwargs["data"])["url"]
    return doctor, totp_device(doctor), post, push_url


def test_one_tap_from_the_push_to_the_acknowledgement(page, live_server, mentioned_doctor):
    doctor, device, post, push_url = mentioned_doctor
    log_in(page, live_server, doctor.username, PASSWORD, device.bin_key)
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()

    page.goto(f"{live_server.url}{push_url}")  # what tapping the notification opens
    button = page.locator(f"#post-{post.pk}").get_by_role("button", name="確認しました")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SCREEN_HEIGHT  # on the first screen, no scrolling
    assert box["height"] >= 44  # a thumb's tap target
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    while not PostAcknowledgement.objects.filter(post=post, user=doctor).exists():
        assert taps < 5, "the acknowledgement was not stored within five taps"
        with page.expect_navigation():
            tap(button)
    assert taps == TAPS_FROM_PUSH_TO_ACKNOWLEDGEMENT
    assert "確認が必要なものはありません。" in page.content()
