"""The API of the bell and of push devices: only the caller's own notifications and devices, 404 for others'."""
import pytest

from renkei.network.models import Notification, NotificationKind, PushSubscription
from renkei.network.services import create_post
from tests.network.factories import browser_keys, push_subscription
from tests.network.test_api import _auth
from tests.network.test_api_queries import audit

pytestmark = pytest.mark.django_db


def _mention(world, author=None):
    return create_post(author=author or world.nurse, body="@physician 確認をお願いします", patient=world.patient)


def _mine(world, n=1):
    for _ in range(n):
        _mention(world)
    return list(Notification.objects.filter(recipient=world.physician))


def test_the_list_carries_my_notifications(client, world):
    _mine(world)
    body = client.get("/api/v1/notifications", **_auth(world.physician)).json()
    item = body["items"][0]
    assert body["count"] == body["unread"] == 1
    assert item["kind"] == "mention" and item["patient_id"] == world.patient.pk and item["read_at"] is None


def test_the_list_needs_a_token(client, world):
    assert client.get("/api/v1/notifications").status_code == 401


def test_the_list_leaves_out_other_users_notifications(client, world):
    _mine(world)
    assert client.get("/api/v1/notifications", **_auth(world.nurse)).json()["count"] == 0


def test_the_list_is_paged(client, world):
    _mine(world, 3)
    body = client.get("/api/v1/notifications?limit=2&offset=2", **_auth(world.physician)).json()
    assert body["count"] == 3 and len(body["items"]) == 1


def test_a_limit_over_100_is_refused(client, world):
    assert client.get("/api/v1/notifications?limit=101", **_auth(world.physician)).status_code == 400


def test_the_unread_filter_leaves_out_read_ones(client, world):
    first, _second = _mine(world, 2)
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    body = client.get("/api/v1/notifications?unread=true", **_auth(world.physician)).json()
    assert body["count"] == body["unread"] == 1 and body["items"][0]["id"] != first.pk


def test_marking_one_read(client, world):
    notification, = _mine(world)
    r = client.post(f"/api/v1/notifications/{notification.pk}/read", **_auth(world.physician))
    notification.refresh_from_db()
    assert r.status_code == 200 and r.json()["read_at"] is not None and notification.read_at is not None


def test_marking_another_users_notification_is_404_like_a_missing_one(client, world):
    notification, = _mine(world)
    headers = _auth(world.nurse)
    other = client.post(f"/api/v1/notifications/{notification.pk}/read", **headers)
    missing = client.post("/api/v1/notifications/999999/read", **headers)
    notification.refresh_from_db()
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    assert notification.read_at is None


def test_marking_all_read(client, world):
    _mine(world, 2)
    r = client.post("/api/v1/notifications/read", **_auth(world.physician))
    assert r.json() == {"marked": 2} and not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_all_read_leaves_other_users_alone(client, world):
    _mine(world)
    _mention(world, author=world.physician)  # no mention of the nurse: make one for her directly
    Notification.objects.create(recipient=world.nurse, kind=NotificationKind.IMPORTANT, patient=world.patient)
    client.post("/api/v1/notifications/read", **_auth(world.physician))
    assert Notification.objects.get(recipient=world.nurse).read_at is None


@pytest.mark.parametrize("notifications", [1, 12])
def test_the_list_is_the_token_the_page_the_unread_count_and_the_audit_row(client, world, notifications,
                                                                          django_assert_num_queries):
    headers = _auth(world.physician)
    _mine(world, notifications)
    with django_assert_num_queries(3 + audit()):
        body = client.get("/api/v1/notifications", **headers).json()
    assert body["count"] == notifications and len(body["items"]) == min(notifications, 20)


# --- push devices ------------------------------------------------------------------------------

def _subscription(endpoint="https://push.example.invalid/send/abc"):
    return {"endpoint": endpoint, "keys": browser_keys()}


def test_a_device_is_registered(client, world):
    r = client.post("/api/v1/push/subscriptions", _subscription(), content_type="application/json",
                    **_auth(world.physician))
    assert r.status_code == 201 and PushSubscription.objects.get().user == world.physician


def test_registering_the_same_device_again_keeps_one_row(client, world):
    headers = _auth(world.physician)
    for _ in range(2):
        client.post("/api/v1/push/subscriptions", _subscription(), content_type="application/json", **headers)
    assert PushSubscription.objects.count() == 1


def test_a_device_registered_by_another_user_moves_to_that_user(client, world):
    client.post("/api/v1/push/subscriptions", _subscription(), content_type="application/json", **_auth(world.physician))
    client.post("/api/v1/push/subscriptions", _subscription(), content_type="application/json", **_auth(world.nurse))
    assert PushSubscription.objects.get().user == world.nurse


def test_a_plain_http_endpoint_is_refused(client, world):
    r = client.post("/api/v1/push/subscriptions", _subscription("http://push.example.invalid/x"),
                    content_type="application/json", **_auth(world.physician))
    assert r.status_code == 400 and "https://" in r.json()["detail"] and not PushSubscription.objects.exists()


def test_a_malformed_key_is_refused(client, world):
    body = {"endpoint": "https://push.example.invalid/x", "keys": {"p256dh": "not-a-key", "auth": "AAAA"}}
    r = client.post("/api/v1/push/subscriptions", body, content_type="application/json", **_auth(world.physician))
    assert r.status_code == 400 and "p256dh" in r.json()["detail"]


def test_a_device_is_unregistered(client, world):
    phone = push_subscription(world.physician)
    r = client.delete(f"/api/v1/push/subscriptions?endpoint={phone.endpoint}", **_auth(world.physician))
    assert r.status_code == 204 and not PushSubscription.objects.exists()


def test_unregistering_another_users_device_is_404(client, world):
    phone = push_subscription(world.physician)
    r = client.delete(f"/api/v1/push/subscriptions?endpoint={phone.endpoint}", **_auth(world.nurse))
    assert r.status_code == 404 and PushSubscription.objects.filter(pk=phone.pk).exists()


def test_the_public_key_is_published_when_push_is_on(client, world, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public-key", "private-key"
    assert client.get("/api/v1/push/key", **_auth(world.physician)).json() == {"enabled": True, "public_key": "public-key"}


def test_the_key_says_push_is_off_without_a_key_pair(client, world):
    assert client.get("/api/v1/push/key", **_auth(world.physician)).json() == {"enabled": False, "public_key": ""}
