"""Adoption of the ICT network (for the council, item イ's discussion, and the annual report's item エ):
counted from the records — the audit trail, the posts, the care teams and the sheets — never typed in.

Definitions (docs/domain.md, "Adoption figures"):
- **active member** in a period: a registered account with at least one row of its own in the audit trail
  (a sign-in, a page read, a post, a sheet...) in that period; counted by profession.
- **dormant account** at a moment: a registered account, approved at least DORMANT_DAYS days before, with
  no audit row of its own in the DORMANT_DAYS days up to that moment (an activity exactly DORMANT_DAYS days
  before no longer counts).
- **patient with a team** at a moment: a patient registered by then whose care team had at least two
  professionals in it at that moment (joined, not removed by then).
- **time to the first reply** of an important post: from a team timeline's important first post to the
  first reply by someone other than its author (retracted replies do not count); the median over the
  important posts of the period that have a reply, in whole minutes.
- **sheets sent**: coordination sheets whose `sent_at` falls in the period.

City rule: members (active, dormant) count for the municipality of the facility they work for, as the
registrations (renkei/core/member_figures.py); patients, posts and sheets for the patient's municipality.
Each function takes a fixed number of queries whatever the number of rows, years, months or cities.
"""
import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, DateTimeField, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from renkei.core.figures import Figure, one_city
from renkei.core.models import AuditEvent, Profession, User
from renkei.core.selectors import member_on
from renkei.core.wareki import fiscal_year_span
from renkei.network.models import CareTeamMember, Channel, MemberStatus, Patient, Post
from renkei.sheets.models import Sheet

DORMANT_DAYS = 90
MEMBER_CITY = "affiliations__facility__municipality"
ACTOR_CITY = "actor__affiliations__facility__municipality"
PATIENT_CITY = "patient__municipality"

ACTIVE = "adoption.active_members"
DORMANT = "adoption.dormant_accounts"
TEAMS = "adoption.patients_with_team"
FIRST_REPLY = "adoption.first_reply_median_minutes"
SHEETS = "adoption.sheets_sent"
LABELS = {
    ACTIVE: ("ICT連携で活動した登録者数（年度内）", "人"),
    DORMANT: (f"{DORMANT_DAYS}日以上活動のない登録者数（年度末）", "人"),
    TEAMS: ("ケアチームのある患者数（年度末）", "人"),
    FIRST_REPLY: ("重要な投稿への最初の返信までの時間（中央値）", "分"),
    SHEETS: ("送付された連携シート数", "件"),
}


# --- periods ----------------------------------------------------------------------------------------

def _moment(end: datetime.datetime, now: datetime.datetime | None = None) -> datetime.datetime:
    """A period's closing moment, or now while it is still running."""
    now = now or timezone.now()
    return min(end, now)


def month_starts(last: datetime.date, months: int) -> list[datetime.date]:
    """The first days of `months` months ending with `last`'s month, oldest first."""
    year, month = last.year, last.month
    starts = []
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def month_span(starts: list[datetime.date]) -> tuple[datetime.datetime, datetime.datetime]:
    """[the first month's first moment, the moment after the last month)."""
    last = starts[-1]
    after = datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return _aware(starts[0]), _aware(after)


def month_of(value: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the (local) month of a moment or a day."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return datetime.date(value.year, value.month, 1)


# --- the counts -------------------------------------------------------------------------------------

def active_members_by_month(city_ids: list[int], starts: list[datetime.date]) -> dict[tuple[int, str, datetime.date], int]:
    """{(city, profession, month): active members} over the months (one query)."""
    begin, end = month_span(starts)
    rows = (
        AuditEvent.objects.filter(created_at__gte=begin, created_at__lt=end, **{f"{ACTOR_CITY}__in": city_ids})
        .annotate(month=TruncMonth("created_at")).values(ACTOR_CITY, "actor__profession", "month")
        .annotate(n=Count("actor", distinct=True)).order_by()
    )
    return {(row[ACTOR_CITY], row["actor__profession"], month_of(row["month"])): row["n"] for row in rows}


def _active_in_years(fiscal_years: list[int], city_ids: list[int]) -> dict[tuple[int, str, int], int]:
    """{(city, profession, fy): members active in the fiscal year} (one query). Asked member by member (one
    probe of the audit trail's (actor, created_at) index each), not by reading the year's audit rows, which
    grow with every request."""
    spans = {fy: fiscal_year_span(fy) for fy in fiscal_years}

    def active(start: datetime.datetime, end: datetime.datetime) -> Q:
        return Q(Exists(AuditEvent.objects.filter(actor=OuterRef("pk"), created_at__gte=start, created_at__lt=end)))

    rows = (
        User.objects.filter(**{f"{MEMBER_CITY}__in": city_ids}).values(MEMBER_CITY, "profession")
        .annotate(**{f"fy{fy}": Count("id", distinct=True, filter=active(s, e)) for fy, (s, e) in spans.items()})
        .order_by()
    )
    return {(row[MEMBER_CITY], row["profession"], fy): row[f"fy{fy}"] for row in rows for fy in fiscal_years}


def _dormant_q(moment: datetime.datetime) -> Q:
    """Registered, approved DORMANT_DAYS days before `moment`, and no own audit row since then."""
    since = moment - datetime.timedelta(days=DORMANT_DAYS)
    recent = AuditEvent.objects.filter(actor=OuterRef("pk"), created_at__gt=since, created_at__lte=moment)
    day = timezone.localtime(moment).date()
    return member_on(day) & Q(approved_on__lte=day - datetime.timedelta(days=DORMANT_DAYS)) & ~Q(Exists(recent))


def dormant_members(city_ids: list[int], moments: dict[Any, datetime.datetime]) -> dict[tuple[int, str, Any], int]:
    """{(city, profession, key): dormant accounts at moments[key]} (one query)."""
    rows = (
        User.objects.filter(**{f"{MEMBER_CITY}__in": city_ids}).values(MEMBER_CITY, "profession")
        .annotate(**{f"d{i}": Count("id", distinct=True, filter=_dormant_q(moment))
                     for i, moment in enumerate(moments.values())})
        .order_by()
    )
    keys = list(moments)
    return {(row[MEMBER_CITY], row["profession"], key): row[f"d{i}"] for row in rows for i, key in enumerate(keys)}


def _in_team_at(moment: datetime.datetime) -> Q:
    return (Q(status__in=[MemberStatus.ACTIVE, MemberStatus.REMOVED], responded_at__isnull=False,
              responded_at__lte=moment) & (Q(removed_at__isnull=True) | Q(removed_at__gt=moment)))


def patients_with_team(city_ids: list[int], moments: dict[Any, datetime.datetime]) -> dict[tuple[int, Any], int]:
    """{(city, key): patients whose team had two or more professionals at moments[key]} (one query)."""
    def two_or_more(moment: datetime.datetime) -> Q:
        members = CareTeamMember.objects.filter(_in_team_at(moment), patient=OuterRef("patient"))
        other = members.exclude(user=OuterRef("user"))
        first = CareTeamMember.objects.filter(_in_team_at(moment), Exists(other), patient=OuterRef("pk"))
        return Q(Exists(first), created_at__lte=moment)

    keys = list(moments)
    rows = (
        Patient.objects.filter(municipality__in=city_ids).values("municipality")
        .annotate(**{f"t{i}": Count("id", filter=two_or_more(moments[key])) for i, key in enumerate(keys)})
        .order_by()
    )
    found = {row["municipality"]: row for row in rows}
    return {(cid, key): found.get(cid, {}).get(f"t{i}", 0) for cid in city_ids for i, key in enumerate(keys)}


def first_reply_minutes(city_ids: list[int], begin: datetime.datetime, end: datetime.datetime) -> list[tuple[int, datetime.datetime, float]]:
    """[(city, posted at, minutes to the first reply)] of the important posts of [begin, end) that have
    a reply by someone other than their author (one query; one row per answered important post)."""
    first = (
        Post.objects.filter(parent=OuterRef("pk"), retracted_at__isnull=True).exclude(author=OuterRef("author"))
        .order_by().values("parent").annotate(at=Min("created_at")).values("at")
    )
    rows = (
        Post.objects.filter(important=True, parent__isnull=True, channel=Channel.TEAM, retracted_at__isnull=True,
                            created_at__gte=begin, created_at__lt=end, **{f"{PATIENT_CITY}__in": city_ids})
        .annotate(first_reply=Subquery(first, output_field=DateTimeField()))
        .filter(first_reply__isnull=False).values_list(PATIENT_CITY, "created_at", "first_reply")
    )
    return [(cid, posted, (replied - posted).total_seconds() / 60) for cid, posted, replied in rows]


def median_minutes(values: list[float]) -> int:
    """The median in whole minutes (0 when there is nothing to measure)."""
    return round(statistics.median(values)) if values else 0


def sheets_sent_by_month(city_ids: list[int], starts: list[datetime.date]) -> dict[tuple[int, datetime.date], int]:
    """{(city, month): sheets sent} over the months (one query)."""
    begin, end = month_span(starts)
    rows = (
        Sheet.objects.filter(sent_at__gte=begin, sent_at__lt=end, **{f"{PATIENT_CITY}__in": city_ids})
        .annotate(month=TruncMonth("sent_at")).values(PATIENT_CITY, "month").annotate(n=Count("id")).order_by()
    )
    return {(row[PATIENT_CITY], month_of(row["month"])): row["n"] for row in rows}


def _sheets_in_years(fiscal_years: list[int], city_ids: list[int]) -> dict[tuple[int, int], int]:
    spans = {fy: fiscal_year_span(fy) for fy in fiscal_years}
    rows = (
        Sheet.objects.filter(sent_at__isnull=False, **{f"{PATIENT_CITY}__in": city_ids}).values(PATIENT_CITY)
        .annotate(**{f"fy{fy}": Count("id", filter=Q(sent_at__gte=s, sent_at__lt=e)) for fy, (s, e) in spans.items()})
        .order_by()
    )
    found = {row[PATIENT_CITY]: row for row in rows}
    return {(cid, fy): found.get(cid, {}).get(f"fy{fy}", 0) for cid in city_ids for fy in fiscal_years}


# --- the annual report ------------------------------------------------------------------------------

def _figure(fy: int, key: str, value: int, part: tuple[str, str] | None = None) -> Figure:
    """One figure; `part` (code, label) makes the breakdown `key.code` labelled 「… （label）」."""
    label, unit = LABELS[key]
    if part is not None:
        key, label = f"{key}.{part[0]}", f"{label}（{part[1]}）"
    return Figure(fiscal_year=fy, item="e", key=key, label=label, value=value, unit=unit)


def _years_and_ids(fiscal_years: Iterable[int], city_ids: Iterable[int]) -> tuple[list[int], list[int]]:
    return sorted(set(fiscal_years)), list(dict.fromkeys(city_ids))


def _year_ends(years: list[int], now: datetime.datetime | None) -> dict[int, datetime.datetime]:
    """{fy: the moment the year closes, or now while it runs}."""
    return {fy: _moment(fiscal_year_span(fy)[1], now) for fy in years}


def activity_city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int], *,
                          now: datetime.datetime | None = None) -> dict[int, list[Figure]]:
    """{city id: figures} of each fiscal year counted from the audit trail: active members (and by profession)
    and dormant accounts at the year's end (or now). Two queries whatever the number of years, cities or
    rows. A source of its own (reports/sources.py): the trail is not versioned, so these are kept briefly."""
    years, ids = _years_and_ids(fiscal_years, city_ids)
    if not years or not ids:
        return {cid: [] for cid in ids}
    active, dormant = _active_in_years(years, ids), dormant_members(ids, _year_ends(years, now))
    result: dict[int, list[Figure]] = {}
    for cid in ids:
        figures: list[Figure] = []
        for fy in years:
            by_profession = {p: active.get((cid, p, fy), 0) for p in Profession.values}
            figures.append(_figure(fy, ACTIVE, sum(by_profession.values())))
            figures.extend(_figure(fy, ACTIVE, by_profession[p], (p, label)) for p, label in Profession.choices)
            figures.append(_figure(fy, DORMANT, sum(dormant.get((cid, p, fy), 0) for p in Profession.values)))
        result[cid] = figures
    return result


def city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int], *, now: datetime.datetime | None = None
                 ) -> dict[int, list[Figure]]:
    """{city id: figures} of each fiscal year: patients with a team at the year's end (or now) and sheets sent.
    Two queries whatever the number of years, cities or records. The members' activity (audit trail) and the
    time to the first reply (posts) are sources of their own, activity_city_figures and reply_city_figures,
    so that each is recounted only when what it reads changes (reports/sources.py)."""
    years, ids = _years_and_ids(fiscal_years, city_ids)
    if not years or not ids:
        return {cid: [] for cid in ids}
    teams, sheets = patients_with_team(ids, _year_ends(years, now)), _sheets_in_years(years, ids)
    return {cid: [figure for fy in years for figure in (_figure(fy, TEAMS, teams[(cid, fy)]),
                                                         _figure(fy, SHEETS, sheets[(cid, fy)]))]
            for cid in ids}


def reply_city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """{city id: the median time to the first reply of each fiscal year} (one query)."""
    years, ids = _years_and_ids(fiscal_years, city_ids)
    if not years or not ids:
        return {cid: [] for cid in ids}
    replies: dict[tuple[int, int], list[float]] = defaultdict(list)
    spans = {fy: fiscal_year_span(fy) for fy in years}
    for cid, posted, minutes in first_reply_minutes(ids, spans[years[0]][0], spans[years[-1]][1]):
        for fy, (start, end) in spans.items():
            if start <= posted < end:
                replies[(cid, fy)].append(minutes)
    return {cid: [_figure(fy, FIRST_REPLY, median_minutes(replies.get((cid, fy), []))) for fy in years] for cid in ids}


def activity_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    """Active members and dormant accounts of one city (see the module's city rule)."""
    return one_city(activity_city_figures, fiscal_years, municipality)


def annual_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    """Patients with a team and sheets sent in one city (see the module's city rule)."""
    return one_city(city_figures, fiscal_years, municipality)


def reply_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    """The median time to the first reply in one city (the patient's city)."""
    return one_city(reply_city_figures, fiscal_years, municipality)
