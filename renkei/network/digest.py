"""The optional e-mail digest of notifications: counts only, never a patient's name or a post's text."""
import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from renkei.core.models import Profession, RegistrationStatus, User

from . import inbox, push
from .models import Notification, NotificationKind

SUBJECT = "【Renkei】新しいお知らせがあります"
PHYSICIAN_SUBJECT = "【Renkei】確認が必要なものがあります"


def digest_text(counts: Mapping[str, int], site_url: str) -> str:
    """The body of one person's digest: how many of each kind, and where to log in."""
    lines = ["Renkei に新しいお知らせがあります。", ""]
    for kind in NotificationKind:
        if counts.get(kind.value):
            lines.append(f"・{kind.label} {counts[kind.value]}件")
    # A kind without a label (written by code newer than this list) still counts.
    others = sum(n for kind, n in counts.items() if kind not in NotificationKind.values)
    if others:
        lines.append(f"・その他のお知らせ {others}件")
    lines += ["", "内容はログインしてご確認ください（このメールには患者の情報を含めていません）。", site_url,
              "", "このメールが不要な場合は、アカウントの設定で「メールでお知らせの要約を受け取る」をオフにしてください。"]
    return "\n".join(lines)


def send_digests(*, site_url: str | None = None) -> int:
    """Mail each opted-in user a summary of notifications not yet mailed or read; returns mails sent."""
    site_url = site_url or settings.SITE_URL or "Renkei"
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, recipient__email_digest=True,
                                    recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "id")
    )
    by_user: defaultdict[User, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient].append(notification)
    sent = 0
    for user, items in by_user.items():
        counts = Counter(n.kind for n in items)
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
            send_mail(SUBJECT, digest_text(counts, site_url), settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


def physician_digest_text(counts: Mapping[str, int], site_url: str, *, list_url: str = "/network/doctor/") -> str:
    """The morning mail of a physician's list: how many items of each reason, and where the list is."""
    lines = ["Renkei に、先生の確認が必要なものがあります。", ""]
    lines += [f"・{label} {counts[code]}件" for code, label in inbox.REASONS.items() if counts.get(code)]
    lines += ["", "一覧で「確認しました」を押すと、チームのタイムラインに表示されます。",
              "内容はログインしてご確認ください（このメールには患者の情報を含めていません）。",
              site_url.rstrip("/") + list_url if site_url.startswith("http") else site_url,
              "", "このメールが不要な場合は、アカウントの設定で「メールでお知らせの要約を受け取る」をオフにしてください。"]
    return "\n".join(lines)


def send_physician_digests(*, site_url: str | None = None,
                           now: datetime.datetime | None = None) -> tuple[int, int]:
    """The morning digest of the physicians' list (renkei/network/inbox.py): a mail to each physician who
    opted in to digests and a Web Push to every physician's devices, for those with something in the list.

    Two queries per physician (their list) and two for the pushes; returns (mails sent, devices pushed).
    """
    site_url = site_url or settings.SITE_URL or "Renkei"
    physicians = User.objects.filter(profession=Profession.PHYSICIAN, is_active=True,
                                     registration_status=RegistrationStatus.APPROVED).order_by("pk")
    mails = 0
    waiting: list[int] = []
    for user in physicians:
        items = inbox.inbox_items(user, now=now)
        if not items:
            continue
        waiting.append(user.pk)
        if user.email_digest and user.email:
            counts = Counter(reason.code for item in items for reason in item.reasons)
            send_mail(PHYSICIAN_SUBJECT, physician_digest_text(counts, site_url), settings.DEFAULT_FROM_EMAIL,
                      [user.email])
            mails += 1
    return mails, push.send_physicians_digest(waiting)
