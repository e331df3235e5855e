"""Reads of the core app: registrations, members as of a date, the audit trail, API tokens."""
import datetime
from dataclasses import dataclass, field

import jaconv
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    Affiliation,
    ApiToken,
    AuditEvent,
    Facility,
    Municipality,
    Profession,
    RegistrationStatus,
    User,
)


def registrations(*, status: str = RegistrationStatus.PENDING, query: str = "") -> QuerySet[User]:
    """Accounts in one registration status, oldest application first, with their facilities."""
    qs = (
        User.objects.filter(registration_status=status)
        .select_related("applied_facility_municipality")
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("facility__municipality"))
        )
    )
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(name_kana__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(affiliations__facility__name__icontains=query)
            | Q(applied_facility_name__icontains=query)
        ).distinct()
    return qs.order_by("applied_at", "id") if status == RegistrationStatus.PENDING else qs.order_by("-decided_at", "-id")


def facilities_named(query: str | None, *, limit: int = 50) -> QuerySet[Facility]:
    """Facilities whose name or kana contains `query` (hiragana matches katakana), for pickers."""
    qs = Facility.objects.select_related("municipality").order_by("municipality__code", "name_kana", "name")
    query = (query or "").strip()
    if query:
        kana = jaconv.hira2kata(query)
        qs = qs.filter(Q(name__icontains=query) | Q(name_kana__icontains=kana) | Q(name__icontains=kana))
    return qs[:limit]


def registration_counts() -> dict[str, int]:
    """{status: number of accounts} for the tabs of the registration page."""
    rows = User.objects.values("registration_status").annotate(n=Count("id"))
    return {row["registration_status"]: row["n"] for row in rows}


def member_on(day: datetime.date) -> Q:
    """The Q of accounts registered on `day`: approved on or before it, not withdrawn by then."""
    return Q(approved_on__isnull=False, approved_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


@dataclass
class MemberRow:
    profession: str
    label: str
    cells: list[int]
    total: int


@dataclass
class MemberTable:
    """Registered members by profession (rows) and municipality of their facility (columns)."""

    as_of: datetime.date
    columns: list[str]  # column headings (municipality names, then 所属なし when needed)
    rows: list[MemberRow] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)
    total: int = 0


NO_FACILITY = "所属なし"


def member_table(as_of: datetime.date) -> MemberTable:
    """Count members on `as_of` with four aggregate queries whatever the number of members.

    A member affiliated with facilities in two municipalities counts in each column but once
    in the totals, so the row and grand totals are distinct people.
    """
    members = User.objects.filter(member_on(as_of))
    place = "affiliations__facility__municipality"
    cells = {
        (r["profession"], r[place]): r["n"]
        for r in members.values("profession", place).annotate(n=Count("id", distinct=True)).order_by()
    }
    row_totals = {r["profession"]: r["n"] for r in members.values("profession").annotate(n=Count("id")).order_by()}
    col_totals = {r[place]: r["n"] for r in members.values(place).annotate(n=Count("id", distinct=True)).order_by()}
    used = {key for key in col_totals if key is not None}
    municipalities = list(
        Municipality.objects.filter(Q(pk__in=used) | Q(code__in=settings.RENKEI_AREA_MUNICIPALITY_CODES)).order_by("code")
    )
    keys = [m.pk for m in municipalities] + ([None] if None in col_totals else [])
    table = MemberTable(
        as_of=as_of,
        columns=[m.name for m in municipalities] + ([NO_FACILITY] if None in col_totals else []),
        column_totals=[col_totals.get(k, 0) for k in keys],
        total=sum(row_totals.values()),
    )
    for value, label in Profession.choices:
        table.rows.append(
            MemberRow(
                profession=value,
                label=label,
                cells=[cells.get((value, k), 0) for k in keys],
                total=row_totals.get(value, 0),
            )
        )
    return table


def audit_events(*, actor: str = "", action: str = "", date_from: datetime.date | None = None,
                 date_to: datetime.date | None = None, patient_id: str = "", object_type: str = "",
                 object_id: str = "") -> QuerySet[AuditEvent]:
    """The audit trail filtered by the staff search form, newest first."""
    tz = timezone.get_current_timezone()

    def midnight(day: datetime.date | None) -> datetime.datetime | None:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz) if day else None

    given = {"actor_username__icontains": actor, "action": action, "created_at__gte": midnight(date_from),
             "created_at__lt": midnight(date_to and date_to + datetime.timedelta(days=1)), "patient_id": patient_id,
             "object_type": object_type, "object_id": object_id}
    return AuditEvent.objects.filter(**{lookup: value for lookup, value in given.items() if value}).order_by("-id")


def failed_logins(user: User) -> int:
    """Failed password attempts django-axes holds for the user's name (the lock-out counts these)."""
    from axes.models import AccessAttempt

    return sum(AccessAttempt.objects.filter(username=user.username).values_list("failures_since_start", flat=True))


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's API tokens, newest first (active, expired and revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def pending_registration_count() -> int:
    """Applications waiting for a decision (area-wide: registrations belong to no city)."""
    return User.objects.filter(registration_status=RegistrationStatus.PENDING, is_superuser=False).count()
