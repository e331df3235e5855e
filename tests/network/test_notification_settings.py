"""通知設定: which notifications reach the phones, quiet hours, and this browser's registration."""
import datetime
import json

import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.network.models import NotificationPreference, PushSubscription
from tests.network.factories import browser_keys, push_subscription

pytestmark = pytest.mark.django_db
URL = reverse("network:notification_settings")


def _save(client, **values):
    data = {"push_mention": "on", "push_important": "on", "push_sheet": "on", "push_backbed": "on", **values}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_the_user_menu_links_to_the_settings(world, login):
    page = login(world.nurse).get(reverse("network:notifications")).content.decode()
    assert f'href="{URL}"' in page and "通知設定" in page


def test_it_shows_every_kind_on_by_default(world, login):
    page = login(world.nurse).get(URL).content.decode()
    assert page.count("checked") == 4


def test_it_says_push_is_off_without_a_key_pair(world, login):
    page = login(world.nurse).get(URL).content.decode()
    assert "プッシュ通知が設定されていません" in page and "push.js" not in page


def test_with_a_key_pair_it_offers_this_device(world, login, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "the-public-key", "the-private-key"
    page = login(world.nurse).get(URL).content.decode()
    assert 'data-push-key="the-public-key"' in page and "the-private-key" not in page and "push.js" in page


def test_it_saves_the_kinds_and_the_quiet_hours(world, login):
    _save(login(world.nurse), push_important=None, quiet_start="22:00", quiet_end="07:00")
    preference = NotificationPreference.objects.get(user=world.nurse)
    assert not preference.push_important and preference.push_mention
    assert (preference.quiet_start, preference.quiet_end) == (datetime.time(22), datetime.time(7))


def test_saving_is_audited(world, login):
    _save(login(world.nurse))
    assert AuditEvent.objects.filter(object_type="network.notificationpreference", actor=world.nurse).exists()


def test_quiet_hours_need_both_ends(world, login):
    r = _save(login(world.nurse), quiet_start="22:00")
    assert r.status_code == 400 and "開始と終了の両方" in r.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_malformed_time_is_refused_next_to_its_field(world, login):
    r = _save(login(world.nurse), quiet_start="25:99", quiet_end="07:00")
    assert r.status_code == 400 and not NotificationPreference.objects.exists()


def test_it_lists_my_devices_only(world, login):
    push_subscription(world.nurse)
    push_subscription(world.physician)
    page = login(world.nurse).get(URL).content.decode()
    assert page.count('name="device"') == 1


def test_the_page_needs_the_second_factor(world, login):
    assert login(world.nurse, verified=False).get(URL).status_code == 302


# --- this browser (JSON from static/network/push.js) ------------------------------------------------

def _subscribe(client, body):
    return client.post(reverse("network:push_subscribe"), json.dumps(body), content_type="application/json")


def test_this_browser_is_registered(world, login):
    r = _subscribe(login(world.nurse), {"endpoint": "https://push.example.invalid/a", "keys": browser_keys()})
    assert r.status_code == 201 and PushSubscription.objects.get().user == world.nurse


def test_a_registration_without_keys_is_refused_in_japanese(world, login):
    r = _subscribe(login(world.nurse), {"endpoint": "https://push.example.invalid/a"})
    assert r.status_code == 400 and "鍵" in r.json()["detail"] and not PushSubscription.objects.exists()


def test_a_registration_that_is_not_json_is_refused(world, login):
    r = login(world.nurse).post(reverse("network:push_subscribe"), "[1,", content_type="application/json")
    assert r.status_code == 400


def test_this_browser_is_unregistered(world, login):
    phone = push_subscription(world.nurse)
    r = login(world.nurse).post(reverse("network:push_unsubscribe"), json.dumps({"endpoint": phone.endpoint}),
                                content_type="application/json")
    assert r.status_code == 200 and not PushSubscription.objects.exists()


def test_a_device_is_removed_from_the_list(world, login):
    phone = push_subscription(world.nurse)
    r = login(world.nurse).post(reverse("network:push_unsubscribe"), {"device": phone.pk})
    assert r.status_code == 302 and not PushSubscription.objects.exists()


def test_another_users_device_cannot_be_removed(world, login):
    phone = push_subscription(world.physician)
    login(world.nurse).post(reverse("network:push_unsubscribe"), {"device": phone.pk})
    assert PushSubscription.objects.filter(pk=phone.pk).exists()


def test_the_page_takes_a_fixed_number_of_queries_whatever_the_devices(world, login):
    from tests.network.conftest import queries_of

    client = login(world.nurse)
    push_subscription(world.nurse)
    client.get(URL)
    few = queries_of(lambda: client.get(URL))
    for _ in range(5):
        push_subscription(world.nurse)
    assert queries_of(lambda: client.get(URL)) == few
