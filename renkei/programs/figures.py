"""Yearly figures of the city's programs for the annual report, counted from the records.

Where they go among the eight items (the talk files the linkage fee under (ウ); the others are
our choice, documented in docs/domain.md):
- (ウ) 切れ目のない提供体制: linkage fee (approved claims) and the rescue helper (approved users, visits).
- (カ) 関係者の研修 (人材): the restart grant (grants paid), the talk's measure for the care workforce.
- (キ) 普及啓発: end-of-life support (consultations, ending notes handed out and downloaded).
Each figure is counted in the fiscal year of its date: the claim's month, the application's
receipt, the visit, the payment, the consultation, the distribution, the download.

City rule: each record counts for the municipality it belongs to (its `municipality`, a visit through
its application), i.e. the city that runs the program and decided it.
"""
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from renkei.core.figures import Figure, one_city
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

# A grant paid at the qualified amount of the rule version it was decided with (cities set their own amounts).
QUALIFIED_AMOUNT = Cast(KeyTextTransform("amount_qualified_yen", "rule__parameters"), IntegerField())


def _by_fy(qs, date_field, fiscal_years, city_ids, city="municipality", **aggregates):
    """{city id: {fy: {name: value}}} with one GROUP BY query (fiscal year = year − 1 for January–March)."""
    start, _ = fiscal_year_bounds(min(fiscal_years))
    _, end = fiscal_year_bounds(max(fiscal_years))
    rows = (
        qs.filter(**{f"{date_field}__range": (start, end), f"{city}__in": city_ids})
        .annotate(_y=ExtractYear(date_field), _m=ExtractMonth(date_field))
        .values(city, "_y", "_m")
        .annotate(**aggregates)
        .order_by()
    )
    out = {cid: {fy: dict.fromkeys(aggregates, 0) for fy in fiscal_years} for cid in city_ids}
    for row in rows:
        fy = row["_y"] if row["_m"] >= 4 else row["_y"] - 1
        if fy in out[row[city]]:
            for name in aggregates:
                out[row[city]][fy][name] += row[name] or 0
    return out


def city_figures(fiscal_years: list[int], city_ids: list[int]) -> dict[int, list[Figure]]:
    """{city id: the programs' figures for each fiscal year} (7 queries whatever the years or cities)."""
    city_ids = list(dict.fromkeys(city_ids))
    if not fiscal_years or not city_ids:
        return {cid: [] for cid in city_ids}
    ids = city_ids
    fee = _by_fy(LinkageFeeClaim.objects.filter(status=ClaimStatus.APPROVED), "month", fiscal_years, ids,
                 stations=Count("station", distinct=True), patients=Sum("patients"), amount=Sum("total_yen"))
    rescue = _by_fy(RescueHelperApplication.objects.filter(status=RescueStatus.APPROVED), "received_on",
                    fiscal_years, ids, n=Count("id"))
    visits = _by_fy(RescueHelperVisit.objects.all(), "visited_on", fiscal_years, ids,
                    city=RescueHelperVisit.municipality_path, n=Count("id"), fee=Sum("fee_yen"))
    grants = _by_fy(RestartGrantApplication.objects.filter(status=GrantStatus.PAID), "paid_on", fiscal_years, ids,
                    n=Count("id"), amount=Sum("amount_yen"),
                    qualified=Count("id", filter=Q(amount_yen__gte=QUALIFIED_AMOUNT)))
    consultations = _by_fy(EndOfLifeConsultation.objects.all(), "received_on", fiscal_years, ids, n=Count("id"),
                           referred=Count("id", filter=Q(referred_to_welfare_corporation=True)))
    notes = _by_fy(EndingNoteDistribution.objects.all(), "distributed_on", fiscal_years, ids,
                   n=Sum("count", output_field=IntegerField()))
    downloads = _by_fy(EndingNoteDownload.objects.all(), "day", fiscal_years, ids, n=Sum("count"))
    return {
        cid: _figures(fiscal_years, fee[cid], rescue[cid], visits[cid], grants[cid], consultations[cid], notes[cid],
                      downloads[cid])
        for cid in city_ids
    }


def annual_figures(fiscal_years: list[int], municipality) -> list[Figure]:
    """The programs' figures of one city for each fiscal year (a fixed number of queries)."""
    return one_city(city_figures, fiscal_years, municipality)


def _figures(fiscal_years, fee, rescue, visits, grants, consultations, notes, downloads):
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
