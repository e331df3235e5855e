"""Web Push: who gets one, with what payload (never patient data), and what happens when a push service refuses.

No test reaches a push service: `pywebpush.webpush` is replaced by a mock that records its calls.
"""
import datetime
import json
from unittest import mock

import pytest
import requests
from django.utils import timezone
from pywebpush import WebPushException

from renkei.network import push
from renkei.network.models import Notification, NotificationPreference, Post, PushSubscription
from renkei.network.services import create_post
from tests.network.factories import push_subscription

pytestmark = pytest.mark.django_db

SECRETS = ("武蔵野", "テスト花子", "むさしの", "褥瘡", "往診", "訪看")


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY = "BCVaS6aZijhBXx42TfGSaot0IH7tqTgNh_26yQay69bNCsIeJU2GjR-PaPW8ZzhD19PRbrD1F7bBnoesjS6S_MA"
    settings.VAPID_PRIVATE_KEY = "55UWBJtcr1oqgIZ8XXpDpAOQzqT-xQonMvqxtJKzOQI"


@pytest.fixture
def webpush():
    with mock.patch("pywebpush.webpush") as sender:
        yield sender


@pytest.fixture
def doctors_phone(world):
    return push_subscription(world.physician)


def _mention(world, django_capture_on_commit_callbacks, body="@physician 褥瘡の写真を見てください"):
    with django_capture_on_commit_callbacks(execute=True):
        return create_post(author=world.nurse, body=body, patient=world.patient)


def _sent_endpoints(webpush):
    return [c.args[0]["endpoint"] for c in webpush.call_args_list]


def test_a_mention_is_pushed_to_the_mentioned_users_device(world, vapid, webpush, doctors_phone,
                                                           django_capture_on_commit_callbacks):
    _mention(world, django_capture_on_commit_callbacks)
    assert _sent_endpoints(webpush) == [doctors_phone.endpoint]


def test_the_push_carries_the_devices_keys(world, vapid, webpush, doctors_phone, django_capture_on_commit_callbacks):
    _mention(world, django_capture_on_commit_callbacks)
    assert webpush.call_args.args[0]["keys"] == {"p256dh": doctors_phone.p256dh, "auth": doctors_phone.auth}


def test_the_payload_carries_no_patient_data(world, vapid, webpush, doctors_phone, django_capture_on_commit_callbacks):
    _mention(world, django_capture_on_commit_callbacks)
    data = webpush.call_args.kwargs["data"]
    assert json.loads(data) == {"title": "Renkei", "body": "新しい連絡があります", "url": "/network/doctor/"}
    assert not [word for word in SECRETS if word in data]


def test_a_physicians_push_opens_their_list_with_the_acknowledge_buttons(world, vapid, webpush, doctors_phone,
                                                                         django_capture_on_commit_callbacks):
    _mention(world, django_capture_on_commit_callbacks)
    assert json.loads(webpush.call_args.kwargs["data"])["url"] == "/network/doctor/"


def test_anyone_elses_push_opens_the_bell(world, vapid, webpush, django_capture_on_commit_callbacks):
    nurses = push_subscription(world.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        create_post(author=world.physician, body="@nurse 訪問をお願いします", patient=world.patient)
    assert _sent_endpoints(webpush) == [nurses.endpoint]
    assert json.loads(webpush.call_args.kwargs["data"])["url"] == "/network/notifications/"


def test_an_important_post_is_pushed_to_the_team_but_not_its_author(world, vapid, webpush,
                                                                     django_capture_on_commit_callbacks):
    doctors, nurses = push_subscription(world.physician), push_subscription(world.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        create_post(author=world.nurse, body="転倒あり", patient=world.patient, important=True)
    assert _sent_endpoints(webpush) == [doctors.endpoint] and nurses.endpoint not in _sent_endpoints(webpush)


def test_a_reply_is_in_the_bell_but_not_pushed(world, vapid, webpush, doctors_phone, django_capture_on_commit_callbacks):
    parent = Post.objects.create(patient=world.patient, author=world.physician, body="訪問予定")
    with django_capture_on_commit_callbacks(execute=True):
        create_post(author=world.nurse, body="了解です", patient=world.patient, parent=parent)
    assert Notification.objects.filter(recipient=world.physician, kind="reply").exists() and not webpush.called


def test_nothing_is_sent_without_a_vapid_key_pair(world, webpush, doctors_phone, django_capture_on_commit_callbacks):
    _mention(world, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=world.physician).exists() and not webpush.called


def test_nothing_is_sent_before_the_commit(world, vapid, webpush, doctors_phone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_post(author=world.nurse, body="@physician 確認お願いします", patient=world.patient)
    assert callbacks and not webpush.called


def test_a_kind_turned_off_is_not_pushed_but_stays_in_the_bell(world, vapid, webpush, doctors_phone,
                                                               django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.physician, push_mention=False)
    _mention(world, django_capture_on_commit_callbacks)
    assert not webpush.called and Notification.objects.filter(recipient=world.physician, read_at=None).exists()


def test_quiet_hours_hold_the_push_back(world, vapid, webpush, doctors_phone, django_capture_on_commit_callbacks):
    now = timezone.localtime()
    NotificationPreference.objects.create(user=world.physician, quiet_start=(now - datetime.timedelta(minutes=30)).time(),
                                          quiet_end=(now + datetime.timedelta(minutes=30)).time())
    _mention(world, django_capture_on_commit_callbacks)
    assert not webpush.called and Notification.objects.filter(recipient=world.physician).exists()


def test_outside_quiet_hours_the_push_goes(world, vapid, webpush, doctors_phone, django_capture_on_commit_callbacks):
    now = timezone.localtime()
    NotificationPreference.objects.create(user=world.physician, quiet_start=(now + datetime.timedelta(hours=1)).time(),
                                          quiet_end=(now + datetime.timedelta(hours=2)).time())
    _mention(world, django_capture_on_commit_callbacks)
    assert webpush.called


@pytest.mark.parametrize("start, end, now, quiet", [
    ("22:00", "07:00", "23:30", True),
    ("22:00", "07:00", "06:59", True),
    ("22:00", "07:00", "07:00", False),
    ("22:00", "07:00", "12:00", False),
    ("22:00", "07:00", "22:00", True),
    ("12:00", "13:00", "12:30", True),
    ("12:00", "13:00", "13:00", False),
    ("12:00", "13:00", "11:59", False),
    ("08:00", "08:00", "08:00", False),
    (None, None, "03:00", False),
])
def test_quiet_hours(start, end, now, quiet):
    def t(text):
        return datetime.time.fromisoformat(text) if text else None

    assert push.in_quiet_hours(t(start), t(end), t(now)) is quiet


def test_a_device_the_push_service_no_longer_knows_is_forgotten(world, vapid, webpush, doctors_phone,
                                                                 django_capture_on_commit_callbacks):
    gone = requests.Response()
    gone.status_code = 410
    webpush.side_effect = WebPushException("Push failed: 410 Gone", response=gone)
    _mention(world, django_capture_on_commit_callbacks)
    assert not PushSubscription.objects.filter(pk=doctors_phone.pk).exists()


def test_a_refusal_of_another_kind_keeps_the_device_and_is_logged(world, vapid, webpush, doctors_phone, caplog,
                                                                  django_capture_on_commit_callbacks):
    busy = requests.Response()
    busy.status_code = 429
    webpush.side_effect = WebPushException("Push failed: 429", response=busy)
    _mention(world, django_capture_on_commit_callbacks)
    assert PushSubscription.objects.filter(pk=doctors_phone.pk).exists() and "429" in caplog.text


def test_an_unreachable_push_service_does_not_break_the_post(world, vapid, webpush, doctors_phone, caplog,
                                                             django_capture_on_commit_callbacks):
    webpush.side_effect = requests.ConnectionError("no route to host")
    post = _mention(world, django_capture_on_commit_callbacks)
    assert Post.objects.filter(pk=post.pk).exists() and "ConnectionError" in caplog.text


def test_the_post_page_answers_normally_when_the_push_fails(world, vapid, webpush, doctors_phone, login,
                                                            django_capture_on_commit_callbacks):
    webpush.side_effect = RuntimeError("broken key")
    client = login(world.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/network/{world.patient.pk}/posts/", {"body": "@physician 確認お願いします"})
    assert response.status_code == 302 and webpush.called


def test_a_delivered_push_notes_when_the_device_was_used(world, vapid, webpush, doctors_phone,
                                                         django_capture_on_commit_callbacks):
    _mention(world, django_capture_on_commit_callbacks)
    doctors_phone.refresh_from_db()
    assert doctors_phone.last_used_at is not None


def test_every_device_of_the_user_gets_the_push(world, vapid, webpush, django_capture_on_commit_callbacks):
    phones = {push_subscription(world.physician).endpoint, push_subscription(world.physician).endpoint}
    _mention(world, django_capture_on_commit_callbacks)
    assert set(_sent_endpoints(webpush)) == phones


def test_the_vapid_claims_name_a_contact(world, vapid, webpush, doctors_phone, settings,
                                         django_capture_on_commit_callbacks):
    settings.VAPID_SUBJECT = "mailto:renkei@example.jp"
    _mention(world, django_capture_on_commit_callbacks)
    assert webpush.call_args.kwargs["vapid_claims"] == {"sub": "mailto:renkei@example.jp"}
    assert webpush.call_args.kwargs["vapid_private_key"] == settings.VAPID_PRIVATE_KEY


def test_the_recipients_devices_are_found_in_two_queries(world, vapid, webpush, django_assert_num_queries):
    for user in (world.physician, world.nurse):
        push_subscription(user)
        push_subscription(user)
    # The two reads (preferences, devices), then one UPDATE of the devices used.
    with django_assert_num_queries(3):
        push.send([world.physician.pk, world.nurse.pk], kind="important")
    assert webpush.call_count == 4


def test_outside_the_tests_the_push_leaves_on_a_background_thread(world, vapid, webpush, doctors_phone, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.PUSH_IN_BACKGROUND = True
    with mock.patch.object(push._executor, "submit") as submit:
        _mention(world, django_capture_on_commit_callbacks)
    assert submit.call_args.args == (push._deliver_in_background, [doctors_phone], "mention") and not webpush.called


def test_a_deactivated_account_gets_no_push(world, vapid, webpush, doctors_phone):
    world.physician.is_active = False
    world.physician.save(update_fields=["is_active"])
    push.send([world.physician.pk], kind="mention")
    assert not webpush.called
