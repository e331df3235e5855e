"""Yearly figures of the program records for the annual report, counted with one query per kind of record.

Only fiscal years that have records get a figure, so that the report falls back to the historical
(pre-system) figure of the same key where none exist.

City rule: each record counts for the municipality it belongs to (a meeting through its body, a
pamphlet distribution through its pamphlet). A regional activity of item (ク) is recorded once by one
city with the cities that took part (`RegionalActivity.city_scope`), and counts in the report of
every one of them.
"""
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from renkei.core.figures import Figure, city_id, one_city
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
from .selectors import fy_of, span


@dataclass(frozen=True)
class Activity:
    """A line of the report counted or listed from records (not a number): e.g. an event cancelled."""

    fiscal_year: int
    item: str
    text: str
    key: str  # the figure family it belongs to; historical lines of that family give way to it


def _monthly(queryset, date_field, city, *fields, **aggregates):
    """Rows of one GROUP BY query: the city, year, month and `fields`, with the aggregates."""
    return (
        queryset.annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
        .values(city, "y", "m", *fields)
        .annotate(**aggregates)
        .order_by()
    )


def _meeting_figures(fiscal_years, start, end, city_ids):
    city = Meeting.municipality_path
    rows = _monthly(
        Meeting.objects.filter(held_on__range=(start, end), **{f"{city}__in": city_ids})
        .exclude(format=MeetingFormat.CANCELLED),
        "held_on", city, "body__kind", "body_id", n=Count("id"),
    )
    council, sub, active = {}, {}, {}
    for r in rows:
        fy = fy_of(r["y"], r["m"])
        if fy not in fiscal_years:
            continue
        key = (r[city], fy)
        if r["body__kind"] == BodyKind.COUNCIL:
            council[key] = council.get(key, 0) + r["n"]
        else:
            sub[key] = sub.get(key, 0) + r["n"]
            active.setdefault(key, set()).add(r["body_id"])
    figures = {cid: [] for cid in city_ids}
    for cid in city_ids:
        for fy in sorted(fiscal_years):
            if (cid, fy) in council:
                figures[cid].append(Figure(fy, "i", "records.council_meetings", "協議会の開催", council[(cid, fy)], "回"))
            if (cid, fy) in active:
                figures[cid].append(
                    Figure(fy, "i", "records.active_subcommittees", "活動した部会", len(active[(cid, fy)]), "部会"))
                figures[cid].append(Figure(fy, "i", "records.subcommittee_meetings", "部会の開催", sub[(cid, fy)], "回"))
    return figures


def _event_figures(fiscal_years, start, end, city_ids):
    figures = {cid: [] for cid in city_ids}
    events = Event.objects.filter(
        starts_on__range=(start, end), status=EventStatus.HELD, municipality__in=city_ids
    ).order_by("starts_on", "id")
    for event in events.values(
        "id", "municipality", "title", "kind", "audience", "starts_on", "participants", "online_accounts"
    ):
        fy = fiscal_year(event["starts_on"])
        if fy not in fiscal_years or event["participants"] is None:
            continue
        family = "records.training" if event["audience"] == Audience.PROFESSIONALS else "records.outreach"
        item = "ka" if event["audience"] == Audience.PROFESSIONALS else "ki"
        kind = Event(kind=event["kind"]).get_kind_display()
        label = f"「{event['title']}」（{kind}）参加"
        out = figures[event["municipality"]]
        if event["online_accounts"] is not None:
            out.append(
                Figure(fy, item, f"{family}_accounts:{event['id']}", f"「{event['title']}」参加アカウント", event["online_accounts"], "アカウント")
            )
        out.append(Figure(fy, item, f"{family}:{event['id']}", label, event["participants"], "名"))
    return figures


def _summed(rows, city, fiscal_years, value):
    """{(city, fy): sum of row[value]} over monthly rows."""
    totals = {}
    for r in rows:
        fy = fy_of(r["y"], r["m"])
        if fy in fiscal_years:
            key = (r[city], fy)
            totals[key] = totals.get(key, 0) + (r[value] or 0)
    return totals


def _regional_rows(city_ids, **filters):
    """[(activity row, ids among `city_ids` it counts for)] in ONE query: the recording city and the
    participants (one joined row per participant)."""
    wanted = set(city_ids)
    found = {}
    rows = (
        RegionalActivity.objects.filter(RegionalActivity.city_scope(city_ids), **filters)
        .values("id", "municipality", "participants", "held_on", "format", "title", "counterpart")
        .order_by("held_on", "id")
    )
    for row in rows:
        _, cities = found.setdefault(row["id"], (row, {row["municipality"]} & wanted))
        if row["participants"] in wanted:
            cities.add(row["participants"])
    return list(found.values())


def _regional_figures(fiscal_years, start, end, city_ids):
    counts = {}
    for row, cities in _regional_rows(city_ids, held_on__range=(start, end)):
        fy = fiscal_year(row["held_on"])
        if fy in fiscal_years and row["format"] != MeetingFormat.CANCELLED:
            for cid in cities:
                counts[(cid, fy)] = counts.get((cid, fy), 0) + 1
    return counts


def city_figures(fiscal_years: list[int], city_ids: list[int]) -> dict[int, list[Figure]]:
    """{city id: figures of items イ, オ, カ, キ and ク counted from the city's records of the fiscal years}.

    Five queries whatever the number of years, records or cities."""
    fiscal_years = sorted(set(fiscal_years))
    city_ids = list(dict.fromkeys(city_ids))
    if not fiscal_years or not city_ids:
        return {cid: [] for cid in city_ids}
    start, end = span(fiscal_years)
    years = set(fiscal_years)
    figures = _meeting_figures(years, start, end, city_ids)

    consultations = _summed(
        _monthly(Consultation.objects.filter(received_on__range=(start, end), municipality__in=city_ids),
                 "received_on", "municipality", n=Count("id")),
        "municipality", years, "n",
    )
    events = _event_figures(years, start, end, city_ids)
    pamphlet_city = PamphletDistribution.municipality_path
    copies = _summed(
        _monthly(PamphletDistribution.objects.filter(distributed_on__range=(start, end), **{f"{pamphlet_city}__in": city_ids}),
                 "distributed_on", pamphlet_city, copies=Sum("copies")),
        pamphlet_city, years, "copies",
    )
    regional = _regional_figures(years, start, end, city_ids)
    for cid in city_ids:
        out = figures[cid]
        out += [Figure(fy, "o", "records.consultations", "相談実績", consultations[(cid, fy)], "件")
                for fy in fiscal_years if (cid, fy) in consultations]
        out += events[cid]
        out += [Figure(fy, "ki", "records.pamphlet_copies", "パンフレットの配布", copies[(cid, fy)], "部")
                for fy in fiscal_years if (cid, fy) in copies]
        out += [Figure(fy, "ku", "records.regional_meetings", "関係市区町村等との会議・情報交換", regional[(cid, fy)], "回")
                for fy in fiscal_years if (cid, fy) in regional]
        out.sort(key=lambda f: (f.fiscal_year, f.item))
    return figures


def annual_figures(fiscal_years: list[int], municipality) -> list[Figure]:
    """Figures of items イ, オ, カ, キ and ク counted from one city's records of the given fiscal years."""
    return one_city(city_figures, fiscal_years, municipality)


def annual_activities(fiscal_years: list[int], municipality) -> list[Activity]:
    """Activity lines listed from one city's records: regional meetings it recorded or took part in
    (held, written or cancelled) and its cancelled events."""
    fiscal_years = sorted(set(fiscal_years))
    if not fiscal_years:
        return []
    cid = city_id(municipality)
    start, end = span(fiscal_years)
    activities = []
    for row, _cities in _regional_rows([cid], held_on__range=(start, end)):
        fy = fiscal_year(row["held_on"])
        suffix = {
            MeetingFormat.WRITTEN: "（書面開催）",
            MeetingFormat.CANCELLED: "（中止）",
            MeetingFormat.ONLINE: "（オンライン開催）",
        }.get(row["format"], "")
        title = row["title"] if row["counterpart"] in row["title"] else f"{row['counterpart']} {row['title']}"
        activities.append(Activity(fy, "ku", f"{title}{suffix}", "records.regional_meetings"))
    cancelled = Event.objects.filter(starts_on__range=(start, end), status=EventStatus.CANCELLED, municipality=cid)
    for row in cancelled.order_by("starts_on", "id").values("title", "audience", "starts_on"):
        fy = fiscal_year(row["starts_on"])
        training = row["audience"] == Audience.PROFESSIONALS
        activities.append(
            Activity(fy, "ka" if training else "ki", f"「{row['title']}」は中止", "records.training" if training else "records.outreach")
        )
    return [a for a in activities if a.fiscal_year in set(fiscal_years)]
