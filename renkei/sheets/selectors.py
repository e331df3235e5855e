"""Reads of sheets, back-bed requests and dementia-team cases, always through the access rule.

The rule is the network's `patients_visible_to(user)` (care-team membership). One narrow
addition: a hospital liaison office (医療連携室) that received a finalised sheet or a back-bed
request sees that one document — never the patient's page, timeline or other sheets.
"""
import datetime

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from renkei.core.models import Affiliation, Facility, Profession, RegistrationStatus
from renkei.network.selectors import active_membership, patients_visible_to

from .models import (
    BackBedHospital,
    BackBedRequest,
    DementiaCase,
    Sheet,
    SheetDelivery,
    SheetKind,
    SheetStatus,
)

NOT_FOUND = "見つかりません。"


def _signed_in(user):
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_liaison(user):
    """A signed-in, approved user of a hospital's liaison office."""
    return _signed_in(user) and user.profession == Profession.HOSPITAL_LIAISON and user.is_approved


def liaison_facility_ids(user):
    """Facilities for which the user acts as liaison office (a queryset of ids)."""
    if not is_liaison(user):
        return Affiliation.objects.none().values("facility_id")
    return Affiliation.objects.filter(user=user).values("facility_id")


def facilities_with_liaison():
    """Facilities that have at least one approved, active liaison account (so a sheet can be sent there)."""
    liaison = Affiliation.objects.filter(
        facility=OuterRef("pk"), user__profession=Profession.HOSPITAL_LIAISON,
        user__registration_status=RegistrationStatus.APPROVED, user__is_active=True,
    )
    return Facility.objects.filter(Exists(liaison))


def is_team_member(user, patient):
    """True when the user is an ACTIVE member of the patient's care team."""
    return _signed_in(user) and active_membership(user).filter(patient=patient).exists()


def sheets_visible_to(user):
    """Sheets of the patients the user may see, plus finalised sheets delivered to the user's liaison office."""
    if not _signed_in(user):
        return Sheet.objects.none()
    rule = Q(patient__in=patients_visible_to(user))
    if is_liaison(user):
        delivered = SheetDelivery.objects.filter(sheet=OuterRef("pk"), facility_id__in=liaison_facility_ids(user))
        rule |= Q(Exists(delivered), status=SheetStatus.FINALISED)
    return Sheet.objects.filter(rule)


def get_visible_sheet_or_404(user, sheet_id):
    """The sheet if the user may see it; Http404 exactly as for a missing sheet otherwise."""
    try:
        sheet_id = int(sheet_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND)
    sheet = (
        sheets_visible_to(user).filter(pk=sheet_id)
        .select_related("patient", "author", "author_facility", "sent_by").first()
    )
    if sheet is None:
        raise Http404(NOT_FOUND)
    return sheet


def with_latest_flag(queryset):
    """Annotate `is_superseded`: a finalised newer version of the same series exists."""
    newer = Sheet.objects.filter(series=OuterRef("series"), version__gt=OuterRef("version"),
                                 status=SheetStatus.FINALISED)
    return queryset.annotate(is_superseded=Exists(newer))


def sheets_of_patient(patient, *, kind=None):
    """All versions of a patient's sheets, newest first (the caller has checked the patient is visible)."""
    queryset = Sheet.objects.filter(patient=patient).select_related("author")
    if kind:
        queryset = queryset.filter(kind=kind)
    return with_latest_flag(queryset).order_by("-created_at", "-id")


def versions_of(sheet, user):
    """The versions of a sheet's series that the user may see, oldest first."""
    return sheets_visible_to(user).filter(series=sheet.series).select_related("author").order_by("version")


def previous_sheet(patient, kind):
    """The latest finalised sheet of this kind for the patient (the base for prefill), or None."""
    return (
        Sheet.objects.filter(patient=patient, kind=kind, status=SheetStatus.FINALISED)
        .order_by("-finalised_at", "-version", "-id").first()
    )


def deliveries_of(sheet):
    return list(sheet.deliveries.select_related("facility", "received_by", "sent_by"))


def stages_of(sheet):
    return list(sheet.stages.select_related("answered_by", "facility"))


def received_sheets(user):
    """Finalised sheets delivered to the user's liaison office, newest first, with receipt state."""
    return (
        SheetDelivery.objects.filter(facility_id__in=liaison_facility_ids(user), sheet__status=SheetStatus.FINALISED)
        .select_related("sheet", "sheet__patient", "sheet__author", "facility", "received_by")
        .order_by("-sent_at", "-id")
    )


def unified_form_provisions(station_facility, month):
    """Unified-form provisions of a visiting-nursing station in a month, for the linkage-fee program.

    `month` is "YYYY-MM" or a date in the month. One row per finalised, sent information sheet
    (訪問看護→ケアマネジャー 医療情報提供書) written for the station, whose provision date lies in that
    month; a corrected sheet counts once (its newest finalised version).
    Rows: {"patient", "patient_id", "provided_on", "twenty_four_hour", "sheet_id"}.
    """
    first = month if isinstance(month, datetime.date) else datetime.date.fromisoformat(f"{month}-01")
    first = first.replace(day=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    queryset = with_latest_flag(
        Sheet.objects.filter(
            kind=SheetKind.NURSING_INFO, status=SheetStatus.FINALISED, sent_at__isnull=False,
            author_facility=station_facility, document_date__gte=first, document_date__lt=after,
        )
    ).filter(is_superseded=False).select_related("patient").order_by("patient_id", "document_date", "id")
    return [
        {
            "patient": sheet.patient,
            "patient_id": sheet.patient_id,
            "provided_on": sheet.document_date,
            "twenty_four_hour": bool(sheet.content.get("twenty_four_hour")),
            "sheet_id": sheet.pk,
        }
        for sheet in queryset
    ]


# --- Back-bed


def active_back_bed_hospitals():
    return BackBedHospital.objects.filter(is_active=True).select_related("facility")


def back_bed_requests_visible_to(user):
    """Requests for the user's patients, and requests addressed to the user's liaison office."""
    if not _signed_in(user):
        return BackBedRequest.objects.none()
    rule = Q(patient__in=patients_visible_to(user))
    if is_liaison(user):
        rule |= Q(hospital__facility_id__in=liaison_facility_ids(user))
    return BackBedRequest.objects.filter(rule).select_related("patient", "hospital__facility", "requested_by",
                                                              "answered_by")


def get_visible_back_bed_request_or_404(user, request_id):
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND)
    found = back_bed_requests_visible_to(user).filter(pk=request_id).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def is_liaison_of(user, facility_id):
    return is_liaison(user) and Affiliation.objects.filter(user=user, facility_id=facility_id).exists()


# --- Dementia team


def dementia_cases_visible_to(user):
    return DementiaCase.objects.filter(patient__in=patients_visible_to(user)).select_related("patient")


def get_visible_dementia_case_or_404(user, case_id):
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND)
    found = dementia_cases_visible_to(user).filter(pk=case_id).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found
