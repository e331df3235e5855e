"""Annual figures of item (ア): the size and freshness of the resource directory, counted from records.

City rule: an entry (and an approved update of it) counts for the municipality of its facility.
An import of the ministry's open data refreshes the whole area's directory at once, so every import
counts in each city's report (the same number for every city). Consultation windows and capacity answers
count for their facility's city; a referral request for the city it was sent from (its `municipality`).
"""
import statistics
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from renkei.core.figures import Figure, one_city
from renkei.core.wareki import fiscal_year_bounds

from .models import (
    AnswerStatus,
    Capacity,
    ChangeRequest,
    ChangeStatus,
    ConsultationWindow,
    DirectoryStatus,
    FacilityProfile,
    ImportRun,
    ReferralAnswer,
    ReferralRequest,
)
from .windows import FRESH_DAYS

CITY = "facility__municipality"


def _grouped(queryset, city_ids, aggregates):
    """{city id: {name: n}} with one GROUP BY query over the facility's municipality."""
    rows = queryset.filter(**{f"{CITY}__in": city_ids}).values(CITY).annotate(**aggregates).order_by()
    found = {row[CITY]: row for row in rows}
    return {cid: {name: found.get(cid, {}).get(name, 0) for name in aggregates} for cid in city_ids}


def city_figures(fiscal_years, city_ids):
    """{city id: figures} per fiscal year: entries open at its end, entries confirmed in it, approved
    updates, imports, and the professionals' part (windows, capacity, referral requests). 7 queries whatever
    the number of years or cities."""
    city_ids = list(dict.fromkeys(city_ids))
    if not fiscal_years or not city_ids:
        return {cid: [] for cid in city_ids}
    bounds = {fy: fiscal_year_bounds(fy) for fy in fiscal_years}
    profile_counts = {}
    for fy, (start, end) in bounds.items():
        open_at_end = Q(facility__created_at__date__lte=end) & (
            Q(status=DirectoryStatus.OPEN) | Q(closed_on__gt=end))
        profile_counts[f"size_{fy}"] = Count("pk", filter=open_at_end & Q(facility__is_fictional=False))
        profile_counts[f"confirmed_{fy}"] = Count(
            "pk", filter=Q(last_confirmed_on__range=(start, end), facility__is_fictional=False))
    profiles = _grouped(FacilityProfile.objects.all(), city_ids, profile_counts)
    changes = _grouped(ChangeRequest.objects.all(), city_ids, {
        f"approved_{fy}": Count("pk", filter=Q(status=ChangeStatus.APPROVED, decided_at__date__range=(s, e)))
        for fy, (s, e) in bounds.items()})
    imports = ImportRun.objects.aggregate(**{
        f"imports_{fy}": Count("pk", filter=Q(started_at__date__range=(s, e))) for fy, (s, e) in bounds.items()})
    professional = _professional_figures(bounds, city_ids)
    result = {}
    for cid in city_ids:
        figures = []
        for fy in fiscal_years:
            figures += [
                Figure(fy, "a", "directory.entries", "資源マップ掲載数（年度末時点）", profiles[cid][f"size_{fy}"]),
                Figure(fy, "a", "directory.confirmed", "掲載情報の確認件数（年度内）", profiles[cid][f"confirmed_{fy}"]),
                Figure(fy, "a", "directory.updates_approved", "事業所による掲載情報の更新（承認）",
                       changes[cid][f"approved_{fy}"]),
                Figure(fy, "a", "directory.imports", "公的オープンデータの取り込み回数", imports[f"imports_{fy}"],
                       unit="回"),
                *professional[cid][fy],
            ]
        result[cid] = figures
    return result


def _professional_figures(bounds, city_ids):
    """{city id: {fy: [Figure]}}: providers with windows published (at the year's end), capacity answers
    confirmed in the month up to the year's end (or today), referral requests sent, accepted, and the median
    hours to an answer. 4 queries."""
    today = timezone.localdate()
    ends = {fy: min(end, today) for fy, (_start, end) in bounds.items()}
    windows = _grouped(ConsultationWindow.objects.all(), city_ids, {
        f"windows_{fy}": Count("facility", distinct=True, filter=Q(created_at__date__lte=end))
        for fy, end in ends.items()})
    capacity = _grouped(Capacity.objects.all(), city_ids, {
        f"fresh_{fy}": Count("pk", filter=Q(confirmed_on__range=(end - timedelta(days=FRESH_DAYS), end)))
        for fy, end in ends.items()})
    requests = ReferralRequest.objects.filter(municipality__in=city_ids).values("municipality").annotate(**{
        name: Count("pk", distinct=True, filter=Q(created_at__date__range=(s, e)) & extra)
        for fy, (s, e) in bounds.items()
        for name, extra in ((f"sent_{fy}", Q()), (f"accepted_{fy}", Q(answers__status=AnswerStatus.ACCEPTED)))
    }).order_by()
    by_city = {row["municipality"]: row for row in requests}
    first, last = min(s for s, _e in bounds.values()), max(e for _s, e in bounds.values())
    hours = {}
    for city, created, answered in ReferralAnswer.objects.filter(
            request__municipality__in=city_ids, answered_at__date__range=(first, last)).values_list(
            "request__municipality", "request__created_at", "answered_at"):
        fy = next((fy for fy, (s, e) in bounds.items() if s <= timezone.localdate(answered) <= e), None)
        if fy is not None:
            hours.setdefault((city, fy), []).append((answered - created).total_seconds() / 3600)
    result = {}
    for cid in city_ids:
        result[cid] = {fy: [
            Figure(fy, "a", "directory.windows_published", "相談受付時間（ケアマネタイム）を公開している事業所",
                   windows[cid][f"windows_{fy}"], unit="事業所"),
            Figure(fy, "a", "directory.capacity_confirmed", "受け入れ状況を1か月以内に確認した事業所（年度末または今日時点）",
                   capacity[cid][f"fresh_{fy}"], unit="事業所"),
            Figure(fy, "a", "directory.referrals_sent", "受け入れ依頼（送信）", by_city.get(cid, {}).get(f"sent_{fy}", 0)),
            Figure(fy, "a", "directory.referrals_accepted", "受け入れ依頼（受け入れ先が決まったもの）",
                   by_city.get(cid, {}).get(f"accepted_{fy}", 0)),
            Figure(fy, "a", "directory.referral_answer_hours", "受け入れ依頼への回答までの時間（中央値）",
                   round(statistics.median(hours[(cid, fy)])) if (cid, fy) in hours else 0, unit="時間"),
        ] for fy in bounds}
    return result


def annual_figures(fiscal_years, municipality):
    """The directory figures of one city (see the module's city rule). 7 queries."""
    return one_city(city_figures, fiscal_years, municipality)
