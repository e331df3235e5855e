"""Reads of the programs (staff only): querysets with what each page shows, in a fixed number of queries."""
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum

from renkei.core.models import Facility, FacilityKind
from renkei.core.wareki import fiscal_year_bounds

from . import rules
from .models import (
    ClaimStatus,
    Decision,
    EndingNoteDistribution,
    EndingNoteDownload,
    EndOfLifeConsultation,
    LinkageFeeClaim,
    RescueHelperApplication,
    RescueHelperProviderPayment,
    RescueHelperVisit,
    RestartGrantApplication,
)


def decisions_of(obj):
    """The decision history of an application or claim, oldest first."""
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("decided_by")


def home_help_providers():
    return Facility.objects.filter(kind=FacilityKind.HOME_HELP).select_related("municipality")


def visiting_nursing_stations():
    return Facility.objects.filter(kind=FacilityKind.VISITING_NURSING)


# --- rescue helper ------------------------------------------------------------------------------


def rescue_applications(status=""):
    qs = RescueHelperApplication.objects.select_related("dispatch__provider").annotate(
        visit_count=Count("dispatch__visits"), fee_total=Sum("dispatch__visits__fee_yen")
    ).order_by("-received_on", "-id")
    return qs.filter(status=status) if status else qs


def rescue_application(pk):
    return RescueHelperApplication.objects.select_related("dispatch__provider", "created_by").get(pk=pk)


def rescue_visits(dispatch):
    return RescueHelperVisit.objects.filter(dispatch=dispatch).select_related("created_by")


def rescue_user_bills(month):
    """One row per user who had visits in the month: visits, minutes, fee (the user's monthly bill)."""
    return (
        RescueHelperVisit.objects.filter(visited_on__range=(month, rules.month_end(month)))
        .values("dispatch__application_id", "dispatch__application__person_name",
                "dispatch__application__address", "dispatch__provider__name")
        .annotate(visits=Count("id"), minutes=Sum("minutes"), fee_yen=Sum("fee_yen"))
        .order_by("dispatch__application__person_name", "dispatch__application_id")
    )


def rescue_provider_months(month):
    """One row per provider with visits in the month: units and the user fees."""
    return (
        RescueHelperVisit.objects.filter(visited_on__range=(month, rules.month_end(month)))
        .values("dispatch__provider_id", "dispatch__provider__name")
        .annotate(visits=Count("id"), units=Sum("units"), fee_yen=Sum("fee_yen"))
        .order_by("dispatch__provider__name")
    )


def rescue_provider_payments(month):
    return RescueHelperProviderPayment.objects.filter(month=month).select_related("provider", "created_by")


# --- restart grant ------------------------------------------------------------------------------


def restart_applications(status=""):
    qs = RestartGrantApplication.objects.annotate(document_count=Count("documents")).order_by("-received_on", "-id")
    return qs.filter(status=status) if status else qs


def restart_application(pk):
    return RestartGrantApplication.objects.prefetch_related("documents").get(pk=pk)


# --- linkage fee --------------------------------------------------------------------------------


def linkage_claims(month=None):
    qs = LinkageFeeClaim.objects.select_related("station").annotate(provision_count=Count("provisions")).order_by(
        "-month", "station__name", "id")
    return qs.filter(month=month) if month else qs


def linkage_claim(pk):
    return LinkageFeeClaim.objects.select_related("station").get(pk=pk)


def approved_claims_for_payment(month):
    """Approved claims of a month: the payment list of the city's payment system."""
    return (
        LinkageFeeClaim.objects.filter(month=month, status=ClaimStatus.APPROVED)
        .select_related("station")
        .annotate(with_24h=Count("provisions__patient_ref", filter=Q(provisions__twenty_four_hour=True,
                                                                   provisions__unified_form=True), distinct=True))
        .order_by("station__official_id", "station__name")
    )


def linkage_fee_fiscal_year(fy):
    """Approved totals per month of a fiscal year (12 rows, months without claims as zero) and the year total."""
    start, end = fiscal_year_bounds(fy)
    rows = (
        LinkageFeeClaim.objects.filter(status=ClaimStatus.APPROVED, month__range=(start, end))
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


def consultations():
    return EndOfLifeConsultation.objects.select_related("created_by")


def distributions():
    return EndingNoteDistribution.objects.select_related("created_by")


def distribution_totals(fy):
    """Notes handed out per place in a fiscal year, and the downloads of the PDF."""
    start, end = fiscal_year_bounds(fy)
    by_place = (
        EndingNoteDistribution.objects.filter(distributed_on__range=(start, end))
        .values("place").annotate(total=Sum("count")).order_by("place")
    )
    downloads = EndingNoteDownload.objects.filter(day__range=(start, end)).aggregate(n=Sum("count"))["n"] or 0
    return list(by_place), downloads

