"""Reads of the programs (staff only): querysets with what each page shows, in a fixed number of queries.

Every query of a city's records goes through `in_my_cities` / `get_in_my_cities_or_404` (renkei.core.access):
staff see the records of the cities they act for, and another city's record is missing (404).
The rule versions (`ProgramRule`) are public: any city's version may be read (`rule_in_force`).
"""
from typing import TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum

from renkei.core.access import get_in_my_cities_or_404, in_my_cities
from renkei.core.errors import AppError
from renkei.core.models import Facility, FacilityKind, User
from renkei.core.wareki import fiscal_year_bounds

from . import rules
from .models import (
    ClaimStatus,
    Decision,
    EndingNoteDistribution,
    EndingNoteDownload,
    EndOfLifeConsultation,
    GrantStatus,
    LinkageFeeClaim,
    Program,
    ProgramRule,
    RescueHelperApplication,
    RescueHelperProviderPayment,
    RescueHelperVisit,
    RescueStatus,
    RestartGrantApplication,
)

# --- rule versions ------------------------------------------------------------------------------


def rule_in_force(municipality, program, on_date):
    """The version of `municipality`'s rules of `program` in force on `on_date`: the latest one whose
    effective_from is on or before it. None → AppError 422 (the city does not run the program, or not yet)."""
    rule = (ProgramRule.objects.filter(municipality=municipality, program=program, effective_from__lte=on_date)
            .select_related("municipality").order_by("-effective_from").first())
    if rule is not None:
        return rule
    label = Program(program).label
    if not ProgramRule.objects.filter(municipality=municipality, program=program).exists():
        raise AppError(f"{municipality.name}では{label}を実施していません。", status=422)
    raise AppError(f"{municipality.name}の{label}には{on_date:%Y年%m月%d日}の日付に有効な規程がありません。",
                   status=422)


def rule_of(subject, program):
    """The version an application or claim was decided with, else the one in force on its date."""
    if subject.rule_id is not None:
        return subject.rule
    return rule_in_force(subject.municipality, program, subject.rule_date)


def rule_versions(user):
    """The rule versions of the cities the user acts for, newest first within each program."""
    return in_my_cities(user, ProgramRule).select_related("municipality", "created_by").annotate(
        decision_count=Count("decisions")).order_by("municipality__code", "program", "-effective_from")


def rules_in_force_today(user, program, today):
    """The versions of `program` in force today in the user's cities (the forms list their choices)."""
    found = []
    for rule in in_my_cities(user, ProgramRule).filter(program=program, effective_from__lte=today).order_by(
            "municipality_id", "-effective_from"):
        if not found or found[-1].municipality_id != rule.municipality_id:
            found.append(rule)
    return found


# --- shared -------------------------------------------------------------------------------------


def decisions_of(obj):
    """The decision history of an application or claim, oldest first (the object is already in the user's cities)."""
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("decided_by", "rule")


def home_help_providers():
    return Facility.objects.filter(kind=FacilityKind.HOME_HELP).select_related("municipality")


def visiting_nursing_stations():
    return Facility.objects.filter(kind=FacilityKind.VISITING_NURSING)


# --- rescue helper ------------------------------------------------------------------------------


def rescue_applications(user, status=""):
    qs = in_my_cities(user, RescueHelperApplication).select_related("dispatch__provider").annotate(
        visit_count=Count("dispatch__visits"), fee_total=Sum("dispatch__visits__fee_yen")
    ).order_by("-received_on", "-id")
    return qs.filter(status=status) if status else qs


def rescue_application(user, pk):
    qs = RescueHelperApplication.objects.select_related("dispatch__provider", "created_by", "municipality",
                                                       "rule__municipality")
    return get_in_my_cities_or_404(user, qs, pk)


def rescue_visits(dispatch):
    return RescueHelperVisit.objects.filter(dispatch=dispatch).select_related("created_by")


def rescue_user_bills(user, month):
    """One row per user who had visits in the month: visits, minutes, fee (the user's monthly bill)."""
    return (
        in_my_cities(user, RescueHelperVisit).filter(visited_on__range=(month, rules.month_end(month)))
        .values("dispatch__application_id", "dispatch__application__person_name",
                "dispatch__application__address", "dispatch__provider__name")
        .annotate(visits=Count("id"), minutes=Sum("minutes"), fee_yen=Sum("fee_yen"))
        .order_by("dispatch__application__person_name", "dispatch__application_id")
    )


def rescue_provider_months(user, month):
    """One row per city and provider with visits in the month: units and the user fees."""
    return (
        in_my_cities(user, RescueHelperVisit).filter(visited_on__range=(month, rules.month_end(month)))
        .values("dispatch__application__municipality__name", "dispatch__provider_id", "dispatch__provider__name")
        .annotate(visits=Count("id"), units=Sum("units"), fee_yen=Sum("fee_yen"))
        .order_by("dispatch__application__municipality__code", "dispatch__provider__name")
    )


def rescue_provider_payments(user, month):
    return in_my_cities(user, RescueHelperProviderPayment).filter(month=month).select_related(
        "provider", "created_by", "municipality").order_by("municipality__code", "provider__name")


# --- restart grant ------------------------------------------------------------------------------


def restart_applications(user, status=""):
    qs = in_my_cities(user, RestartGrantApplication).annotate(document_count=Count("documents")).order_by("-received_on", "-id")
    return qs.filter(status=status) if status else qs


def restart_application(user, pk):
    qs = RestartGrantApplication.objects.select_related("municipality", "rule__municipality").prefetch_related(
        "documents")
    return get_in_my_cities_or_404(user, qs, pk)


# --- linkage fee --------------------------------------------------------------------------------


def linkage_claims(user, month=None, status=""):
    """The user's cities' claims of a month, or, with a status, of every month in that status."""
    qs = in_my_cities(user, LinkageFeeClaim).select_related("station", "municipality").annotate(provision_count=Count("provisions")).order_by(
        "-month", "station__name", "id")
    if status:
        return qs.filter(status=status)
    return qs.filter(month=month) if month else qs


def linkage_claim(user, pk):
    qs = LinkageFeeClaim.objects.select_related("station", "municipality", "rule__municipality")
    return get_in_my_cities_or_404(user, qs, pk)


def approved_claims_for_payment(user, month):
    """Approved claims of a month: the payment list of the city's payment system."""
    return (
        in_my_cities(user, LinkageFeeClaim).filter(month=month, status=ClaimStatus.APPROVED)
        .select_related("station", "municipality")
        .annotate(with_24h=Count("provisions__patient_ref", filter=Q(provisions__twenty_four_hour=True,
                                                                   provisions__unified_form=True), distinct=True))
        .order_by("municipality__code", "station__official_id", "station__name")
    )


def linkage_fee_fiscal_year(user, fy):
    """Approved totals per month of a fiscal year (12 rows, months without claims as zero) and the year total."""
    start, end = fiscal_year_bounds(fy)
    rows = (
        in_my_cities(user, LinkageFeeClaim).filter(status=ClaimStatus.APPROVED, month__range=(start, end))
        .values("month")
        .annotate(claims=Count("id"), patients=Sum("patients"), total_yen=Sum("total_yen"))
    )
    by_month = {r["month"]: r for r in rows}
    months = []
    for i in range(12):
        first = start.replace(year=start.year + (start.month - 1 + i) // 12, month=(start.month - 1 + i) % 12 + 1)
        r = by_month.get(first, {})
        months.append({"month": first, "claims": r.get("claims", 0), "patients": r.get("patients") or 0,
                       "total_yen": r.get("total_yen") or 0})
    total = {k: sum(m[k] for m in months) for k in ("claims", "patients", "total_yen")}
    return months, total


# --- end-of-life --------------------------------------------------------------------------------


def consultations(user):
    return in_my_cities(user, EndOfLifeConsultation).select_related("created_by", "municipality")


def distributions(user):
    return in_my_cities(user, EndingNoteDistribution).select_related("created_by", "municipality")


def distribution_totals(user, fy):
    """Notes handed out per place in a fiscal year, and the downloads of the PDF (the user's cities)."""
    start, end = fiscal_year_bounds(fy)
    by_place = (
        in_my_cities(user, EndingNoteDistribution).filter(distributed_on__range=(start, end))
        .values("place").annotate(total=Sum("count")).order_by("place")
    )
    downloads = in_my_cities(user, EndingNoteDownload).filter(day__range=(start, end)).aggregate(
        n=Sum("count"))["n"] or 0
    return list(by_place), downloads



# --- the home page's work list -------------------------------------------------------------------


class AwaitingWork(TypedDict):
    """What waits for municipal staff in their cities (the home page's "today's work")."""

    rescue_received: int
    restart_applied: int
    restart_assessed: int
    linkage_draft: int


def awaiting_work(user: User) -> AwaitingWork:
    """Counts of the user's cities' applications and claims waiting for staff (one query per program).

    {"rescue_received", "restart_applied", "restart_assessed", "linkage_draft"}
    """
    restart = in_my_cities(user, RestartGrantApplication).aggregate(
        applied=Count("pk", filter=Q(status=GrantStatus.APPLIED)),
        assessed=Count("pk", filter=Q(status=GrantStatus.ASSESSED)),
    )
    return {
        "rescue_received": in_my_cities(user, RescueHelperApplication).filter(status=RescueStatus.RECEIVED).count(),
        "restart_applied": restart["applied"],
        "restart_assessed": restart["assessed"],
        "linkage_draft": in_my_cities(user, LinkageFeeClaim).filter(status=ClaimStatus.DRAFT).count(),
    }
