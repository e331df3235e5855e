"""Consultation windows (ケアマネタイム) and capacity now: what providers share among professionals only.

Both are the providers' own entries: members of the facility (and municipal staff) write them, imports
never touch them. A capacity answer is fresh for FRESH_DAYS after its confirmation; after that it is
shown as stale, never as true, and the provider is asked to reconfirm (`remind_capacity`).
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from renkei.core.access import is_family_only, is_signed_in
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import Affiliation, Facility, FacilityKind
from renkei.network.models import NotificationKind
from renkei.reports.cache import bump as bump_report_version

from . import geo, selectors
from .caching import bump_data_version
from .models import Capacity, ConsultationWindow, ContactChannel, FacilityProfile

FRESH_DAYS = 31
MAX_WINDOWS = 21
# Capacity flags, in the order forms and lists show them (labels: the model's verbose names).
CAPACITY_FLAGS = ["around_the_clock", "end_of_life", "dementia", "ventilator", "pediatric"]
# Kinds asked to say whether they take new patients (home-visit clinics, nursing, home help, care management).
CAPACITY_KINDS = [
    FacilityKind.HOME_CARE_CLINIC, FacilityKind.CLINIC, FacilityKind.VISITING_NURSING, FacilityKind.HOME_HELP,
    FacilityKind.CARE_MANAGEMENT, FacilityKind.VISITING_REHAB, FacilityKind.PATROL_NURSING, FacilityKind.SMALL_MULTI,
]
# Notification kinds written by the directory (network.Notification rows with neither patient nor group).
NOTIFY_REFERRAL = NotificationKind.REFERRAL
NOTIFY_REFERRAL_ANSWER = NotificationKind.REFERRAL_ANSWER
NOTIFY_RECONFIRM = NotificationKind.RECONFIRM
NOTIFICATION_LABELS = {NOTIFY_REFERRAL: "受け入れ依頼", NOTIFY_REFERRAL_ANSWER: "依頼への回答",
                       NOTIFY_RECONFIRM: "受け入れ状況の再確認"}
NOT_ALLOWED = "この事業所の相談受付時間・受け入れ状況を編集できるのは、その事業所の所属者と市の担当者だけです。"


def flag_label(name):
    return Capacity._meta.get_field(name).verbose_name


def is_professional_account(user):
    """An approved account that is not a family-only one (the services' check; pages also ask the second factor)."""
    return is_signed_in(user) and not is_family_only(user)


def can_see_professional_fields(user):
    """Signed-in professionals and staff (second factor passed), never the public or family-only accounts."""
    return is_professional_account(user) and getattr(user, "is_verified", lambda: False)()


def can_manage(user, facility_id):
    """Members of the facility and municipal staff keep its windows and capacity."""
    if not is_professional_account(user):
        return False
    return user.is_municipal_staff or Affiliation.objects.filter(user=user, facility_id=facility_id).exists()


def member_facility_ids(user):
    return list(Affiliation.objects.filter(user=user).values_list("facility_id", flat=True))


def is_fresh_answer(confirmed_on, today=None):
    """Whether an answer confirmed on that date is still shown as true (within FRESH_DAYS)."""
    return bool(confirmed_on and confirmed_on >= fresh_since(today))


def is_fresh(capacity, today=None):
    return bool(capacity and is_fresh_answer(capacity.confirmed_on, today))


def fresh_since(today=None):
    return (today or timezone.localdate()) - timedelta(days=FRESH_DAYS)


@dataclass
class CapacityView:
    """What a page shows of a capacity answer: a stale answer is not shown as true."""

    accepting: bool | None
    flags: list
    languages: str
    note: str
    confirmed_on: object
    stale: bool


def capacity_view(capacity, today=None):
    if capacity is None:
        return None
    stale = not is_fresh(capacity, today)
    return CapacityView(
        accepting=None if stale else capacity.accepting_new,
        flags=[flag_label(f) for f in CAPACITY_FLAGS if getattr(capacity, f)],
        languages=capacity.languages, note=capacity.note, confirmed_on=capacity.confirmed_on, stale=stale)


def capacity_of(facility):
    """The facility's capacity answer (fetched with select_related), or None."""
    try:
        return facility.capacity
    except Capacity.DoesNotExist:
        return None


def professional_context(facility, user):
    """The professional-only part of a facility page, or {} for everyone else (no query for them)."""
    if not can_see_professional_fields(user):
        return {}
    windows = list(ConsultationWindow.objects.filter(facility=facility).order_by("weekday", "starts_at", "id"))
    capacity = Capacity.objects.filter(facility=facility).first()
    return {"pro": {"windows": windows, "capacity": capacity_view(capacity),
                    "can_manage": can_manage(user, facility.pk), "asks_capacity": facility.kind in CAPACITY_KINDS}}


# ---------------------------------------------------------------- writes

def _parse_time(value, label):
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise AppError({"windows": f"{label}は 14:00 の形で入力してください。"}, status=422)


def _checked_windows(entries):
    if len(entries) > MAX_WINDOWS:
        raise AppError({"windows": f"相談受付時間は {MAX_WINDOWS} 件までです。"}, status=422)
    checked = []
    for entry in entries:
        try:
            weekday = int(entry.get("weekday"))
        except (TypeError, ValueError):
            weekday = 0
        if not 1 <= weekday <= 8:
            raise AppError({"windows": "曜日が正しくありません。"}, status=422)
        starts, ends = _parse_time(entry.get("starts_at"), "開始"), _parse_time(entry.get("ends_at"), "終了")
        if starts >= ends:
            raise AppError({"windows": "終了時刻は開始時刻より後にしてください。"}, status=422)
        channel = entry.get("channel") or ContactChannel.PHONE
        if channel not in ContactChannel.values:
            raise AppError({"windows": "連絡方法が正しくありません。"}, status=422)
        checked.append({"weekday": weekday, "starts_at": starts, "ends_at": ends, "channel": channel,
                        "direct_number": str(entry.get("direct_number") or "").strip()[:30],
                        "note": str(entry.get("note") or "").strip()[:200]})
    return checked


def _require_manager(user, facility_id, request):
    if not can_manage(user, facility_id):
        record(action=Action.PERMISSION_DENIED, request=request, actor=user, object_type="core.facility",
               object_id=str(facility_id), detail="相談受付時間・受け入れ状況の編集")
        raise PermissionDenied(NOT_ALLOWED)
    facility = Facility.objects.filter(pk=facility_id, profile__isnull=False).first()
    if facility is None:  # staff may manage any facility, but not one that does not exist
        raise AppError("見つかりません。", status=404)
    return facility


def save_windows(*, user, facility_id, windows, request=None):
    """Replace the facility's consultation windows with `windows` (dicts of the model's fields)."""
    facility = _require_manager(user, facility_id, request)
    checked = _checked_windows(windows)
    with transaction.atomic():
        ConsultationWindow.objects.filter(facility=facility).delete()
        ConsultationWindow.objects.bulk_create(
            [ConsultationWindow(facility=facility, updated_by=user, **entry) for entry in checked])
        record(action=Action.UPDATE, request=request, actor=user, obj=facility,
               detail=f"相談受付時間を更新（{len(checked)}件）")
        bump_report_version()  # bulk_create sends no signal
    return facility


def confirm_capacity(*, user, facility_id, accepting_new, flags=(), languages="", note="", request=None, today=None):
    """The provider's answer of today: whether it takes new patients and with what."""
    facility = _require_manager(user, facility_id, request)
    unknown = [f for f in flags if f not in CAPACITY_FLAGS]
    if unknown:
        raise AppError({"flags": f"不明な項目です：{'、'.join(unknown)}"}, status=422)
    if accepting_new not in (True, False):
        raise AppError({"accepting_new": "新規の受け入れが可能かどうかを選んでください。"}, status=422)
    today = today or timezone.localdate()
    values = {f: f in flags for f in CAPACITY_FLAGS}
    values.update(accepting_new=accepting_new, languages=languages.strip()[:200], note=note.strip()[:300],
                  confirmed_on=today, confirmed_by=user, reminded_on=None)
    with transaction.atomic():
        capacity, _created = Capacity.objects.update_or_create(facility=facility, defaults=values)
        # The public map shows the yes/no with its date; the details stay among professionals.
        FacilityProfile.objects.filter(facility=facility).update(accepting_new=accepting_new,
                                                                 accepting_confirmed_on=today)
        record(action=Action.UPDATE, request=request, actor=user, obj=facility,
               detail=f"受け入れ状況を確認：{'新規可' if accepting_new else '新規不可'}")
    transaction.on_commit(bump_data_version)
    return capacity


def remind_stale_capacities(*, today=None):
    """Ask each provider whose capacity answer is no longer fresh (or missing) to reconfirm, once a month.

    Returns the number of facilities reminded. Members of the facility get a notification.
    """
    from renkei.network.models import Notification

    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    stale = Capacity.objects.filter(Q(confirmed_on__lt=fresh_since(today)) | Q(confirmed_on__isnull=True)).filter(
        Q(reminded_on__isnull=True) | Q(reminded_on__lt=month_start))
    facility_ids = list(stale.values_list("facility_id", flat=True))
    members = Affiliation.objects.filter(facility_id__in=facility_ids).values_list("user_id", flat=True).distinct()
    Notification.objects.bulk_create([Notification(recipient_id=uid, kind=NOTIFY_RECONFIRM) for uid in members])
    Capacity.objects.filter(facility_id__in=facility_ids).update(reminded_on=today)
    return len(facility_ids)


# ---------------------------------------------------------------- reads

def windows_list(*, municipality="", kind="", q="", now=None, today_only=None):
    """Published windows with their facility (for the list and the print), in a fixed number of queries.

    `now` (a datetime) keeps the windows open at that moment; `today_only` (a date) those of that weekday.
    """
    qs = ConsultationWindow.objects.select_related("facility", "facility__municipality").filter(
        facility__profile__status="open")
    code = selectors.municipality_code(municipality)
    qs = qs.filter(facility__municipality__code=code) if code else qs.filter(
        facility__municipality__code__in=selectors.area_codes())
    if kind:
        if kind not in FacilityKind.values:
            raise AppError({"kind": "不明な種別です。"}, status=400)
        qs = qs.filter(facility__kind=kind)
    for term in q.split():
        key = geo.normalise(term)
        if key:
            qs = qs.filter(facility__profile__search_key__contains=key)
    if now is not None:
        local = timezone.localtime(now) if isinstance(now, datetime) and timezone.is_aware(now) else now
        qs = qs.filter(weekday=local.isoweekday(), starts_at__lte=local.time(), ends_at__gt=local.time())
    elif today_only is not None:
        qs = qs.filter(weekday=today_only.isoweekday())
    return qs.order_by("facility__name_kana", "facility_id", "weekday", "starts_at", "id")


def with_window_on(queryset, weekday, at=None):
    """Facilities with a window on that weekday (and open at `at`, a time, when given)."""
    windows = ConsultationWindow.objects.filter(facility=OuterRef("pk"), weekday=weekday)
    if at is not None:
        windows = windows.filter(starts_at__lte=at, ends_at__gt=at)
    return queryset.filter(Exists(windows))
