"""Yearly figures of the program records for the annual report, counted with one query per kind of record.

Only fiscal years that have records get a figure, so that the report falls back to the historical
(pre-system) figure of the same key where none exist.
"""
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from renkei.core.figures import Figure
from renkei.core.wareki import fiscal_year

from .models import (
    Audience,
    BodyKind,
    Consultation,
    Event,
    EventStatus,
    Meeting,
    MeetingFormat,
    PamphletDistribution,
    RegionalActivity,
)
from .selectors import counts_by_month, fy_of, span


@dataclass(frozen=True)
class Activity:
    """A line of the report counted or listed from records (not a number): e.g. an event cancelled."""

    fiscal_year: int
    item: str
    text: str
    key: str  # the figure family it belongs to; historical lines of that family give way to it


def _fold(counts, fiscal_years):
    totals = {}
    for (year, month, group), n in counts.items():
        fy = fy_of(year, month)
        if fy in fiscal_years:
            totals[(fy, group)] = totals.get((fy, group), 0) + n
    return totals


def _meeting_figures(fiscal_years, start, end):
    rows = (
        Meeting.objects.filter(held_on__range=(start, end))
        .exclude(format=MeetingFormat.CANCELLED)
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values("y", "m", "body__kind", "body_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    council, sub, active = {}, {}, {}
    for r in rows:
        fy = fy_of(r["y"], r["m"])
        if fy not in fiscal_years:
            continue
        if r["body__kind"] == BodyKind.COUNCIL:
            council[fy] = council.get(fy, 0) + r["n"]
        else:
            sub[fy] = sub.get(fy, 0) + r["n"]
            active.setdefault(fy, set()).add(r["body_id"])
    figures = []
    for fy in fiscal_years:
        if fy in council:
            figures.append(Figure(fy, "i", "records.council_meetings", "協議会の開催", council[fy], "回"))
        if fy in active:
            figures.append(Figure(fy, "i", "records.active_subcommittees", "活動した部会", len(active[fy]), "部会"))
            figures.append(Figure(fy, "i", "records.subcommittee_meetings", "部会の開催", sub[fy], "回"))
    return figures


def _event_figures(fiscal_years, start, end):
    figures = []
    events = Event.objects.filter(starts_on__range=(start, end), status=EventStatus.HELD).order_by("starts_on", "id")
    for event in events.values("id", "title", "kind", "audience", "starts_on", "participants", "online_accounts"):
        fy = fiscal_year(event["starts_on"])
        if fy not in fiscal_years or event["participants"] is None:
            continue
        family = "records.training" if event["audience"] == Audience.PROFESSIONALS else "records.outreach"
        item = "ka" if event["audience"] == Audience.PROFESSIONALS else "ki"
        kind = Event(kind=event["kind"]).get_kind_display()
        label = f"「{event['title']}」（{kind}）参加"
        if event["online_accounts"] is not None:
            figures.append(
                Figure(fy, item, f"{family}_accounts:{event['id']}", f"「{event['title']}」参加アカウント", event["online_accounts"], "アカウント")
            )
        figures.append(Figure(fy, item, f"{family}:{event['id']}", label, event["participants"], "名"))
    return figures


def annual_figures(fiscal_years: list[int]) -> list[Figure]:
    """Figures of items イ, オ, カ, キ and ク counted from the records of the given fiscal years."""
    fiscal_years = sorted(set(fiscal_years))
    if not fiscal_years:
        return []
    start, end = span(fiscal_years)
    years = set(fiscal_years)
    figures = _meeting_figures(years, start, end)

    consultations = _fold(counts_by_month(Consultation.objects.filter(received_on__range=(start, end)), "received_on"), years)
    figures += [Figure(fy, "o", "records.consultations", "相談実績", n, "件") for (fy, _), n in sorted(consultations.items())]

    figures += _event_figures(years, start, end)

    copies = (
        PamphletDistribution.objects.filter(distributed_on__range=(start, end))
        .annotate(y=ExtractYear("distributed_on"), m=ExtractMonth("distributed_on"))
        .values("y", "m")
        .annotate(n=Count("id"), copies=Sum("copies"))
        .order_by()
    )
    by_fy = {}
    for r in copies:
        fy = fy_of(r["y"], r["m"])
        if fy in years:
            by_fy[fy] = by_fy.get(fy, 0) + r["copies"]
    figures += [Figure(fy, "ki", "records.pamphlet_copies", "パンフレットの配布", n, "部") for fy, n in sorted(by_fy.items())]

    regional = _fold(
        counts_by_month(
            RegionalActivity.objects.filter(held_on__range=(start, end)).exclude(format=MeetingFormat.CANCELLED),
            "held_on",
        ),
        years,
    )
    figures += [Figure(fy, "ku", "records.regional_meetings", "関係市区町村等との会議・情報交換", n, "回") for (fy, _), n in sorted(regional.items())]
    figures.sort(key=lambda f: (f.fiscal_year, f.item))
    return figures


def annual_activities(fiscal_years: list[int]) -> list[Activity]:
    """Activity lines listed from records: regional meetings (held, written or cancelled) and cancelled events."""
    fiscal_years = sorted(set(fiscal_years))
    if not fiscal_years:
        return []
    start, end = span(fiscal_years)
    activities = []
    for row in RegionalActivity.objects.filter(held_on__range=(start, end)).order_by("held_on", "id").values(
        "title", "counterpart", "held_on", "format"
    ):
        fy = fiscal_year(row["held_on"])
        suffix = {
            MeetingFormat.WRITTEN: "（書面開催）",
            MeetingFormat.CANCELLED: "（中止）",
            MeetingFormat.ONLINE: "（オンライン開催）",
        }.get(row["format"], "")
        title = row["title"] if row["counterpart"] in row["title"] else f"{row['counterpart']} {row['title']}"
        activities.append(Activity(fy, "ku", f"{title}{suffix}", "records.regional_meetings"))
    for row in Event.objects.filter(starts_on__range=(start, end), status=EventStatus.CANCELLED).order_by("starts_on", "id").values(
        "title", "audience", "starts_on"
    ):
        fy = fiscal_year(row["starts_on"])
        training = row["audience"] == Audience.PROFESSIONALS
        activities.append(
            Activity(fy, "ka" if training else "ki", f"「{row['title']}」は中止", "records.training" if training else "records.outreach")
        )
    return [a for a in activities if a.fiscal_year in set(fiscal_years)]
