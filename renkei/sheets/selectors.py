"""Reads of sheets, back-bed requests and dementia-team cases, always through renkei.core.access."""
import datetime

from django.db.models import Exists, OuterRef

from renkei.core.access import (  # noqa: F401  (re-exported: the access rules, for the sheets' callers)
    NOT_FOUND,
    back_bed_requests_visible_to,
    dementia_cases_visible_to,
    get_visible_back_bed_request_or_404,
    get_visible_dementia_case_or_404,
    get_visible_sheet_or_404,
    is_liaison,
    is_liaison_of,
    is_team_member,
    liaison_facility_ids,
    patients_visible_to,
    sheets_visible_to,
)
from renkei.core.models import Affiliation, Facility, Profession, RegistrationStatus

from .models import (
    BackBedHospital,
    Sheet,
    SheetDelivery,
    SheetKind,
    SheetOpening,
    SheetStatus,
)


def facilities_with_liaison():
    """Facilities that have at least one approved, active liaison account (so a sheet can be sent there)."""
    liaison = Affiliation.objects.filter(
        facility=OuterRef("pk"), user__profession=Profession.HOSPITAL_LIAISON,
        user__registration_status=RegistrationStatus.APPROVED, user__is_active=True,
    )
    return Facility.objects.filter(Exists(liaison))


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


# --- Dementia team




def unopened_addressed_sheets(user):
    """Finalised sheets the user may see, addressed to them, that they have not opened yet."""
    opened = SheetOpening.objects.filter(sheet=OuterRef("pk"), user=user)
    return sheets_visible_to(user).filter(addressees=user, status=SheetStatus.FINALISED).exclude(Exists(opened))


def unconfirmed_received_sheets(user):
    """Finalised sheets delivered to the user's liaison office whose receipt nobody has confirmed yet."""
    return received_sheets(user).filter(received_at__isnull=True)
