"""Yearly figures of the sheets part for the annual report (items ウ and エ).

Counted from records with five aggregate queries, whatever the number of years or cities.

City rule: a sheet, its receipts, a back-bed request and a dementia-team case count for the
municipality where the patient lives (`Patient.municipality`), whoever wrote or received them.
"""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from renkei.core.figures import Figure, one_city
from renkei.core.wareki import fiscal_year_bounds, fiscal_year_span

from .models import (
    BackBedRequest,
    BackBedStatus,
    CaseConference,
    CaseOutcome,
    ConferenceKind,
    ConferenceStatus,
    DementiaCase,
    Sheet,
    SheetDelivery,
    SheetKind,
)

# Which of the eight items each kind of sheet reports under.
SHEET_ITEMS = {
    SheetKind.ADMISSION: "u",
    SheetKind.DISCHARGE: "u",
    SheetKind.ACP: "u",
    SheetKind.NURSING_INFO: "e",
    SheetKind.STROKE: "e",
    SheetKind.DEMENTIA: "e",
}


def _in(field, fy):
    start, end = fiscal_year_bounds(fy)
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _in_datetime(field, fy):
    start, end = fiscal_year_bounds(fy)
    return Q(**{f"{field}__date__gte": start, f"{field}__date__lte": end})


def _span(field, fiscal_years):
    """The rows whose datetime `field` falls in the fiscal years' whole span (a range on its index)."""
    return Q(**{f"{field}__gte": fiscal_year_span(min(fiscal_years))[0], f"{field}__lt": fiscal_year_span(max(fiscal_years))[1]})


def _fiscal_year(field, fiscal_years):
    """The fiscal year of the datetime `field`, as an SQL expression (None outside the years)."""
    whens = []
    for fy in fiscal_years:
        start, end = fiscal_year_span(fy)
        whens.append(When(**{f"{field}__gte": start, f"{field}__lt": end}, then=Value(fy)))
    return Case(*whens, default=None, output_field=IntegerField())


SHEET_CITY = "patient__municipality"


def _by_city(queryset, path, city_ids, aggregates):
    """{city id: {name: n}} with one GROUP BY query over the patient's municipality at `path`."""
    rows = queryset.filter(**{f"{path}__in": city_ids}).values(path).annotate(**aggregates).order_by()
    found = {row[path]: row for row in rows}
    return {cid: {name: found.get(cid, {}).get(name, 0) for name in aggregates} for cid in city_ids}


def city_figures(fiscal_years, city_ids):
    """{city id: figures}: sheets exchanged by kind, receipts confirmed, back-bed requests and uses,
    dementia-team cases, case conferences held, per fiscal year and city of the patient. Five queries."""
    city_ids = list(dict.fromkeys(city_ids))
    if not fiscal_years or not city_ids:
        return {cid: [] for cid in city_ids}
    # Sheets sent: distinct series per kind and fiscal year, one grouped query over the years asked for
    # (the sent_at index), each sheet labelled with its fiscal year; receipts likewise from the deliveries.
    sent = Sheet.objects.filter(_span("sent_at", fiscal_years), **{f"{SHEET_CITY}__in": city_ids}).annotate(
        fy=_fiscal_year("sent_at", fiscal_years))
    counts = {cid: {f"{kind}_{fy}": 0 for kind in SheetKind.values for fy in fiscal_years} for cid in city_ids}
    for row in sent.values(SHEET_CITY, "kind", "fy").annotate(n=Count("series", distinct=True)).order_by():
        counts[row[SHEET_CITY]][f"{row['kind']}_{row['fy']}"] = row["n"]
    delivery_city = f"sheet__{SHEET_CITY}"
    received = SheetDelivery.objects.filter(
        _span("received_at", fiscal_years), **{f"{delivery_city}__in": city_ids}
    ).annotate(fy=_fiscal_year("received_at", fiscal_years))
    for cid in city_ids:
        counts[cid] |= {f"received_{fy}": 0 for fy in fiscal_years}
    for row in received.values(delivery_city, "fy").annotate(n=Count("id")).order_by():
        counts[row[delivery_city]][f"received_{row['fy']}"] = row["n"]
    beds = _by_city(BackBedRequest.objects.all(), SHEET_CITY, city_ids, {
        f"{name}_{fy}": Count("id", filter=condition(fy))
        for fy in fiscal_years
        for name, condition in {
            "requested": lambda y: _in_datetime("requested_at", y),
            "accepted": lambda y: _in_datetime("requested_at", y) & Q(status=BackBedStatus.ACCEPTED),
            "admitted": lambda y: _in("admitted_on", y),
        }.items()
    })
    cases = _by_city(DementiaCase.objects.all(), SHEET_CITY, city_ids, {
        f"{name}_{fy}": Count("id", filter=condition(fy))
        for fy in fiscal_years
        for name, condition in {
            "referred": lambda y: _in("referred_on", y),
            "closed": lambda y: _in("closed_on", y),
            "medical": lambda y: _in("closed_on", y) & Q(outcome__in=[CaseOutcome.MEDICAL, CaseOutcome.BOTH]),
            "care": lambda y: _in("closed_on", y) & Q(outcome__in=[CaseOutcome.CARE_SERVICE, CaseOutcome.BOTH]),
            "study": lambda y: _in("closed_on", y) & Q(case_study=True),
        }.items()
    })
    held = CaseConference.objects.filter(_span("held_at", fiscal_years), status=ConferenceStatus.HELD,
                                         **{f"{SHEET_CITY}__in": city_ids}).annotate(fy=_fiscal_year("held_at", fiscal_years))
    for cid in city_ids:
        counts[cid] |= {f"conference_{kind}_{fy}": 0 for kind in ConferenceKind.values for fy in fiscal_years}
    for row in held.values(SHEET_CITY, "kind", "fy").annotate(n=Count("id")).order_by():
        counts[row[SHEET_CITY]][f"conference_{row['kind']}_{row['fy']}"] = row["n"]
    return {cid: _figures(fiscal_years, counts[cid], beds[cid], cases[cid]) for cid in city_ids}


def _per_hundred(part, whole):
    return round(100 * part / whole) if whole else 0


def _figures(fiscal_years, sheet_counts, beds, cases):
    figures = []
    for fy in fiscal_years:
        for kind in SheetKind:
            figures.append(Figure(fy, SHEET_ITEMS[kind], f"sheets.sent.{kind.value}", f"{kind.label} 送付件数",
                                  sheet_counts[f"{kind.value}_{fy}"]))
        figures.append(Figure(fy, "e", "sheets.received", "連携シート 医療機関の受領確認件数", sheet_counts[f"received_{fy}"]))
        for kind in ConferenceKind:
            figures.append(Figure(fy, "e", f"conferences.held.{kind.value}", f"{kind.label} 開催件数",
                                  sheet_counts[f"conference_{kind.value}_{fy}"]))
        figures.append(Figure(
            fy, "e", "conferences.discharge_per_sheet", "退院時カンファレンス開催率（退院時の連携シート送付100件あたり）",
            _per_hundred(sheet_counts[f"conference_discharge_{fy}"], sheet_counts[f"discharge_{fy}"]), unit="%"))
        figures += [
            Figure(fy, "u", "backbed.requested", "医療機関一時入院連携制度 依頼件数", beds[f"requested_{fy}"]),
            Figure(fy, "u", "backbed.accepted", "医療機関一時入院連携制度 受入れ件数", beds[f"accepted_{fy}"]),
            Figure(fy, "u", "backbed.admitted", "医療機関一時入院連携制度 利用（入院）件数", beds[f"admitted_{fy}"]),
            Figure(fy, "u", "dementia_team.referred", "認知症初期集中支援 新規事例数", cases[f"referred_{fy}"]),
            Figure(fy, "u", "dementia_team.closed", "認知症初期集中支援 支援終了事例数", cases[f"closed_{fy}"]),
            Figure(fy, "u", "dementia_team.to_medical", "認知症初期集中支援 医療につながった事例数", cases[f"medical_{fy}"]),
            Figure(fy, "u", "dementia_team.to_care", "認知症初期集中支援 介護サービスにつながった事例数",
                   cases[f"care_{fy}"]),
            Figure(fy, "u", "dementia_team.case_study", "認知症初期集中支援 事例研究の対象事例数", cases[f"study_{fy}"]),
        ]
    return figures


def annual_figures(fiscal_years, municipality):
    """The sheets figures of one city (see the module's city rule). Five queries."""
    return one_city(city_figures, fiscal_years, municipality)
