"""Annual figures of item (ア): the size and freshness of the resource directory, counted from records."""
from django.db.models import Count, Q

from renkei.core.figures import Figure
from renkei.core.wareki import fiscal_year_bounds

from .models import ChangeRequest, ChangeStatus, DirectoryStatus, FacilityProfile, ImportRun


def annual_figures(fiscal_years):
    """Per fiscal year: entries open at its end, entries confirmed in it, approved updates, imports. 3 queries."""
    if not fiscal_years:
        return []
    bounds = {fy: fiscal_year_bounds(fy) for fy in fiscal_years}
    profile_counts = {}
    for fy, (start, end) in bounds.items():
        open_at_end = Q(facility__created_at__date__lte=end) & (
            Q(status=DirectoryStatus.OPEN) | Q(closed_on__gt=end))
        profile_counts[f"size_{fy}"] = Count("pk", filter=open_at_end & Q(facility__is_fictional=False))
        profile_counts[f"confirmed_{fy}"] = Count(
            "pk", filter=Q(last_confirmed_on__range=(start, end), facility__is_fictional=False))
    profiles = FacilityProfile.objects.aggregate(**profile_counts)
    changes = ChangeRequest.objects.aggregate(**{
        f"approved_{fy}": Count("pk", filter=Q(status=ChangeStatus.APPROVED, decided_at__date__range=(s, e)))
        for fy, (s, e) in bounds.items()})
    imports = ImportRun.objects.aggregate(**{
        f"imports_{fy}": Count("pk", filter=Q(started_at__date__range=(s, e))) for fy, (s, e) in bounds.items()})
    figures = []
    for fy in fiscal_years:
        figures += [
            Figure(fy, "a", "directory.entries", "資源マップ掲載数（年度末時点）", profiles[f"size_{fy}"]),
            Figure(fy, "a", "directory.confirmed", "掲載情報の確認件数（年度内）", profiles[f"confirmed_{fy}"]),
            Figure(fy, "a", "directory.updates_approved", "事業所による掲載情報の更新（承認）", changes[f"approved_{fy}"]),
            Figure(fy, "a", "directory.imports", "公的オープンデータの取り込み回数", imports[f"imports_{fy}"], unit="回"),
        ]
    return figures
