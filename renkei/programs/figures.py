"""Yearly figures of the city's programs for the annual report, counted from the records.

Where they go among the eight items (the talk files the linkage fee under (ウ); the others are
our choice, documented in docs/domain.md):
- (ウ) 切れ目のない提供体制: linkage fee (approved claims) and the rescue helper (approved users, visits).
- (カ) 関係者の研修 (人材): the restart grant (grants paid), the talk's measure for the care workforce.
- (キ) 普及啓発: end-of-life support (consultations, ending notes handed out and downloaded).
Each figure is counted in the fiscal year of its date: the claim's month, the application's
receipt, the visit, the payment, the consultation, the distribution, the download.
"""
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from renkei.core.figures import Figure
from renkei.core.wareki import fiscal_year_bounds

from .models import (
    ClaimStatus,
    EndingNoteDistribution,
    EndingNoteDownload,
    EndOfLifeConsultation,
    GrantStatus,
    LinkageFeeClaim,
    RescueHelperApplication,
    RescueHelperVisit,
    RescueStatus,
    RestartGrantApplication,
)


def _by_fy(qs, date_field, fiscal_years, **aggregates):
    """{fy: {name: value}} with one GROUP BY query (fiscal year = year − 1 for January–March)."""
    start, _ = fiscal_year_bounds(min(fiscal_years))
    _, end = fiscal_year_bounds(max(fiscal_years))
    rows = (
        qs.filter(**{f"{date_field}__range": (start, end)})
        .annotate(_y=ExtractYear(date_field), _m=ExtractMonth(date_field))
        .values("_y", "_m")
        .annotate(**aggregates)
        .order_by()
    )
    out = {fy: dict.fromkeys(aggregates, 0) for fy in fiscal_years}
    for row in rows:
        fy = row["_y"] if row["_m"] >= 4 else row["_y"] - 1
        if fy in out:
            for name in aggregates:
                out[fy][name] += row[name] or 0
    return out


def annual_figures(fiscal_years: list[int]) -> list[Figure]:
    """The programs' figures for each fiscal year (a fixed number of queries)."""
    if not fiscal_years:
        return []
    fee = _by_fy(LinkageFeeClaim.objects.filter(status=ClaimStatus.APPROVED), "month", fiscal_years,
                 stations=Count("station", distinct=True), patients=Sum("patients"), amount=Sum("total_yen"))
    rescue = _by_fy(RescueHelperApplication.objects.filter(status=RescueStatus.APPROVED), "received_on",
                    fiscal_years, n=Count("id"))
    visits = _by_fy(RescueHelperVisit.objects.all(), "visited_on", fiscal_years, n=Count("id"), fee=Sum("fee_yen"))
    grants = _by_fy(RestartGrantApplication.objects.filter(status=GrantStatus.PAID), "paid_on", fiscal_years,
                    n=Count("id"), amount=Sum("amount_yen"),
                    qualified=Count("id", filter=Q(amount_yen__gte=150_000)))
    consultations = _by_fy(EndOfLifeConsultation.objects.all(), "received_on", fiscal_years, n=Count("id"),
                           referred=Count("id", filter=Q(referred_to_welfare_corporation=True)))
    notes = _by_fy(EndingNoteDistribution.objects.all(), "distributed_on", fiscal_years,
                   n=Sum("count", output_field=IntegerField()))
    downloads = _by_fy(EndingNoteDownload.objects.all(), "day", fiscal_years, n=Sum("count"))

    figures = []
    for fy in fiscal_years:
        figures += [
            Figure(fy, "u", "programs.linkage_fee.stations", "訪問看護と介護の連携強化事業 連携費の支給事業所（月延べ）",
                   fee[fy]["stations"], "事業所"),
            Figure(fy, "u", "programs.linkage_fee.patients", "訪問看護と介護の連携強化事業 連携費の支給対象者（月延べ）",
                   fee[fy]["patients"], "人"),
            Figure(fy, "u", "programs.linkage_fee.amount", "訪問看護と介護の連携強化事業 連携費の支給額",
                   fee[fy]["amount"], "円"),
            Figure(fy, "u", "programs.rescue_helper.users", "高齢者等緊急訪問介護 利用決定", rescue[fy]["n"], "人"),
            Figure(fy, "u", "programs.rescue_helper.visits", "高齢者等緊急訪問介護 訪問回数", visits[fy]["n"], "回"),
            Figure(fy, "u", "programs.rescue_helper.fees", "高齢者等緊急訪問介護 利用料", visits[fy]["fee"], "円"),
            Figure(fy, "ka", "programs.restart_grant.paid", "介護職・看護職Reスタート支援金 支給", grants[fy]["n"], "人"),
            Figure(fy, "ka", "programs.restart_grant.qualified", "介護職・看護職Reスタート支援金 うち資格等あり",
                   grants[fy]["qualified"], "人"),
            Figure(fy, "ka", "programs.restart_grant.amount", "介護職・看護職Reスタート支援金 支給額",
                   grants[fy]["amount"], "円"),
            Figure(fy, "ki", "programs.end_of_life.consultations", "エンディング相談", consultations[fy]["n"], "件"),
            Figure(fy, "ki", "programs.end_of_life.referrals", "エンディング相談 うち福祉公社の案内",
                   consultations[fy]["referred"], "件"),
            Figure(fy, "ki", "programs.end_of_life.notes", "エンディングノート配布", notes[fy]["n"], "部"),
            Figure(fy, "ki", "programs.end_of_life.downloads", "エンディングノート ダウンロード", downloads[fy]["n"], "件"),
        ]
    return figures
