"""Yearly figures of the sheets part for the annual report (items ウ and エ).

Counted from records with three aggregate queries, whatever the number of years.
"""
from django.db.models import Count, Q

from renkei.core.figures import Figure
from renkei.core.wareki import fiscal_year_bounds

from .models import BackBedRequest, BackBedStatus, CaseOutcome, DementiaCase, Sheet, SheetKind

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


def annual_figures(fiscal_years):
    """Sheets exchanged by kind, receipts confirmed, back-bed requests and uses, dementia-team cases."""
    figures = []
    if not fiscal_years:
        return figures
    # One query for sheets and their receipts: the join to deliveries repeats a sheet per delivery, which
    # the distinct count of series ignores and the count of deliveries needs.
    sheet_counts = Sheet.objects.aggregate(
        **{f"{kind}_{fy}": Count("series", distinct=True, filter=Q(kind=kind) & _in_datetime("sent_at", fy))
           for kind in SheetKind.values for fy in fiscal_years},
        **{f"received_{fy}": Count("deliveries", filter=_in_datetime("deliveries__received_at", fy))
           for fy in fiscal_years},
    )
    beds = BackBedRequest.objects.aggregate(**{
        f"{name}_{fy}": Count("id", filter=condition(fy))
        for fy in fiscal_years
        for name, condition in {
            "requested": lambda y: _in_datetime("requested_at", y),
            "accepted": lambda y: _in_datetime("requested_at", y) & Q(status=BackBedStatus.ACCEPTED),
            "admitted": lambda y: _in("admitted_on", y),
        }.items()
    })
    cases = DementiaCase.objects.aggregate(**{
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
    for fy in fiscal_years:
        for kind in SheetKind:
            figures.append(Figure(fy, SHEET_ITEMS[kind], f"sheets.sent.{kind.value}", f"{kind.label} 送付件数",
                                  sheet_counts[f"{kind.value}_{fy}"]))
        figures.append(Figure(fy, "e", "sheets.received", "連携シート 医療機関の受領確認件数", sheet_counts[f"received_{fy}"]))
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
