"""Web Push (VAPID) to the phones of the network: the one place that sends, called by every notification.

`services._notify` creates the bell's rows and calls `schedule()`; after the commit, the recipients who
want this kind of notification and are outside their quiet hours get a push on each registered device.
The payload never carries patient data: only 「新しい連絡があります」 and an address that needs a login: a
physician's list (network:doctor) for what it holds, the bell otherwise. A failure is logged and never reaches the request; a device its push service no
longer knows (404/410) is forgotten. Without a VAPID key pair (settings) nothing is sent.
"""
import datetime
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import Profession, User

from .models import NotificationKind, NotificationPreference, PushSubscription

logger = logging.getLogger(__name__)

TITLE = "Renkei"
BODY = "新しい連絡があります"
TTL_SECONDS = 24 * 60 * 60  # a phone that is off for a day still gets it when it comes back
GONE = {404, 410}

# The kinds that reach the phones, each with the preference field that turns it off.
PUSHED: dict[str, str] = {
    NotificationKind.MENTION.value: "push_mention",
    NotificationKind.IMPORTANT.value: "push_important",
    NotificationKind.SHEET.value: "push_sheet",
    NotificationKind.BACKBED.value: "push_backbed",
}

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webpush")


def is_configured() -> bool:
    """Whether a VAPID key pair is set (else push is off)."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


# The kinds a physician finds in their list (renkei/network/inbox.py): their push opens that list, where
# each item has its 「確認しました」 button (one tap from the push to the acknowledgement).
PHYSICIANS_LIST_KINDS = {NotificationKind.MENTION.value, NotificationKind.IMPORTANT.value, NotificationKind.SHEET.value}


def target_url(user: User, kind: str | None = None) -> str:
    """Where a push takes its reader: a physician's list for what it holds, otherwise the bell."""
    if kind in PHYSICIANS_LIST_KINDS and getattr(user, "profession", None) == Profession.PHYSICIAN:
        return reverse("network:doctor")
    return reverse("network:notifications")


def payload(url: str | None = None) -> str:
    """What a phone receives: a generic line and where to look after logging in; no patient data."""
    return json.dumps({"title": TITLE, "body": BODY, "url": url or reverse("network:notifications")},
                      ensure_ascii=False)


def in_quiet_hours(start: datetime.time | None, end: datetime.time | None, now: datetime.time) -> bool:
    """Whether `now` falls in the quiet hours [start, end); an overnight span (22:00–07:00) wraps midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def wants_push(preference: NotificationPreference | None, kind: str, now: datetime.time) -> bool:
    """Whether a user with this preference (None: the defaults, all on) gets a push of this kind now."""
    field = PUSHED.get(kind)
    if field is None:
        return False
    if preference is None:
        return True
    return getattr(preference, field) and not in_quiet_hours(preference.quiet_start, preference.quiet_end, now)


def schedule(recipient_ids: Iterable[int], *, kind: str) -> None:
    """Push this kind of notification to these users once the current transaction commits."""
    ids = list(dict.fromkeys(recipient_ids))
    if ids and kind in PUSHED and is_configured():
        transaction.on_commit(lambda: send(ids, kind=kind), robust=True)


def send(user_ids: Sequence[int], *, kind: str) -> None:
    """Find the devices of the users who want this push now (two queries) and deliver to them."""
    try:
        devices = _devices(user_ids, lambda preference, now: wants_push(preference, kind, now))
    except Exception:
        logger.exception("web push: could not read the recipients' devices")
        return
    if not devices:
        return
    if settings.PUSH_IN_BACKGROUND:
        _executor.submit(_deliver_in_background, devices, kind)
    else:
        deliver(devices, kind=kind)


def _devices(user_ids: Sequence[int],
             wanted: Callable[[NotificationPreference | None, datetime.time], bool]) -> list[PushSubscription]:
    """The active devices of the users for whom wanted(their preference or None, the time now) holds (two queries)."""
    now = timezone.localtime().time()
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    keep = [uid for uid in user_ids if wanted(preferences.get(uid), now)]
    if not keep:
        return []
    return list(PushSubscription.objects.filter(user_id__in=keep, user__is_active=True).select_related("user"))


def _deliver_in_background(devices: Sequence[PushSubscription], kind: str | None) -> None:
    # A pool thread has its own database connection: looked after as a request's is, before and after.
    close_old_connections()
    try:
        deliver(devices, kind=kind)
    finally:
        close_old_connections()


def _claims() -> dict[str, str]:
    subject = settings.VAPID_SUBJECT or (settings.SITE_URL if settings.SITE_URL.startswith("https://") else "")
    return {"sub": subject or f"mailto:{settings.DEFAULT_FROM_EMAIL}"}


def send_physicians_digest(user_ids: Sequence[int]) -> int:
    """The morning push of the physicians' list to these users' devices (outside their quiet hours);
    it opens the list. Returns how many devices were tried (0 without a VAPID key pair)."""
    if not is_configured() or not user_ids:
        return 0
    devices = _devices(user_ids, lambda preference, now: preference is None
                       or not in_quiet_hours(preference.quiet_start, preference.quiet_end, now))
    deliver(devices, url=reverse("network:doctor"))
    return len(devices)


def deliver(devices: Iterable[PushSubscription], *, kind: str | None = None, url: str | None = None) -> None:
    """Send the payload to each device; forget those gone (404/410), note when the others were used."""
    from pywebpush import WebPushException, webpush

    used, gone = list[int](), list[int]()
    for device in devices:
        data = payload(url or target_url(device.user, kind))
        info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
        try:
            webpush(info, data=data, vapid_private_key=settings.VAPID_PRIVATE_KEY, vapid_claims=_claims(),
                    ttl=TTL_SECONDS, timeout=settings.PUSH_TIMEOUT_SECONDS)
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in GONE:
                gone.append(device.pk)
            else:
                logger.warning("web push to subscription %s refused: %s", device.pk, status or error)
        except Exception as error:  # a network error, a malformed key: logged, never the request's problem
            logger.warning("web push to subscription %s failed: %s", device.pk, type(error).__name__)
        else:
            used.append(device.pk)
    try:
        if gone:
            PushSubscription.objects.filter(pk__in=gone).delete()
        if used:
            PushSubscription.objects.filter(pk__in=used).update(last_used_at=timezone.now())
    except Exception:
        logger.exception("web push: could not record the delivery")
