"""Annual figures of item (ア): the size and freshness of the resource directory, counted from records.

City rule: an entry (and an approved update of it) counts for the municipality of its facility.
An import of the ministry's open data refreshes the whole area's directory at once, so every import
counts in each city's report (the same number for every city).
"""
from django.db.models import Count, Q

from renkei.core.figures import Figure, city_id
from renkei.core.wareki import fiscal_year_bounds

from .models import ChangeRequest, ChangeStatus, DirectoryStatus, FacilityProfile, ImportRun

CITY = "facility__municipality"


def _grouped(queryset, city_ids, aggregates):
    """{city id: {name: n}} with one GROUP BY query over the facility's municipality."""
    rows = queryset.filter(**{f"{CITY}__in": city_ids}).values(CITY).annotate(**aggregates).order_by()
    found = {row[CITY]: row for row in rows}
    return {cid: {name: found.get(cid, {}).get(name, 0) for name in aggregates} for cid in city_ids}


def city_figures(fiscal_years, city_ids):
    """{city id: figures} per fiscal year: entries open at its end, entries confirmed in it, approved
    updates, imports. 3 queries whatever the number of years or cities."""
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
            ]
        result[cid] = figures
    return result


def annual_figures(fiscal_years, municipality):
    """The directory figures of one city (see the module's city rule). 3 queries."""
    cid = city_id(municipality)
    return city_figures(fiscal_years, [cid])[cid]
