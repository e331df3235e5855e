"""Writes of a user's push devices and notification settings (which kinds reach the phones, quiet hours)."""
import base64
import binascii
import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest

from renkei.core.audit import Action, record
from renkei.core.models import User

from ..models import NotificationPreference, PushSubscription
from ._common import Refused

PREFERENCE_FIELDS = ("push_mention", "push_important", "push_sheet", "push_backbed", "quiet_start", "quiet_end")


def _decoded(value: str, *, length: int, name: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length:
        raise Refused(f"端末の鍵（{name}）が正しくありません。", field=name)
    return raw


def _checked(endpoint: str | None, p256dh: str | None, auth: str | None) -> tuple[str, str, str]:
    endpoint, p256dh, auth = (endpoint or "").strip(), (p256dh or "").strip(), (auth or "").strip()
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or len(endpoint) > 1000:
        raise Refused("プッシュ通知の送信先（endpoint）は https:// で始まる 1000 文字以内の URL にしてください。",
                      field="endpoint")
    if not p256dh.isascii() or not auth.isascii():
        raise Refused("端末の鍵が正しくありません。", field="keys")
    # The browser's P-256 public key (uncompressed point) and its 16-byte authentication secret.
    if _decoded(p256dh, length=65, name="p256dh")[:1] != b"\x04":
        raise Refused("端末の鍵（p256dh）が正しくありません。", field="p256dh")
    _decoded(auth, length=16, name="auth")
    return endpoint, p256dh, auth


def subscribe(*, user: User, endpoint: str | None, p256dh: str | None, auth: str | None,
              request: HttpRequest | None = None) -> PushSubscription:
    """Register (or renew) this browser's push subscription for the user; returns it.

    An endpoint names one browser profile: registered again by another user (who signed in there), it
    moves to that user, so a phone never receives pushes meant for someone who signed out of it.
    """
    endpoint, p256dh, auth = _checked(endpoint, p256dh, auth)
    with transaction.atomic():
        subscription, created = PushSubscription.objects.select_for_update().update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth},
        )
        if created:
            record(action=Action.CREATE, request=request, actor=user, obj=subscription, detail="push subscription")
    return subscription


def unsubscribe(*, user: User, endpoint: str | None = None, pk: int | None = None,
                request: HttpRequest | None = None) -> None:
    """Forget one of the user's devices (by endpoint or id); 404 for anything not the user's."""
    rows = PushSubscription.objects.filter(user=user)
    rows = rows.filter(endpoint=(endpoint or "").strip()) if pk is None else rows.filter(pk=pk)
    subscription = rows.first()
    if subscription is None:
        raise Refused("この端末は登録されていません。", status=404)
    with transaction.atomic():
        record(action=Action.DELETE, request=request, actor=user, obj=subscription, detail="push subscription")
        subscription.delete()


def save_preferences(*, user: User, request: HttpRequest | None = None,
                     **values: bool | datetime.time | None) -> NotificationPreference:
    """Store which notifications reach the user's phones and the quiet hours (both times or neither)."""
    unknown = set(values) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown preference fields: {sorted(unknown)}")
    start, end = values.get("quiet_start"), values.get("quiet_end")
    if (start is None) != (end is None):
        raise Refused("通知しない時間帯は開始と終了の両方を入力してください（使わない場合は両方空欄）。",
                      field="quiet_end" if end is None else "quiet_start")
    if start is not None and start == end:
        raise Refused("通知しない時間帯の開始と終了が同じです。", field="quiet_end")
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults=values)
        record(action=Action.UPDATE, request=request, actor=user, obj=preference, detail="notification settings")
    return preference

