"""Reads of sheets, back-bed requests and dementia-team cases, always through renkei.core.access."""
import datetime
import unicodedata

from django.db.models import Exists, OuterRef, QuerySet, Subquery

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
from renkei.core.models import Affiliation, Facility, Profession, RegistrationStatus, User
from renkei.network.models import MemberStatus, TeamRole

from .models import (
    BackBedHospital,
    Sheet,
    SheetDelivery,
    SheetKind,
    SheetRead,
    SheetStatus,
)
from .rules import common_name


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


def addressees_of(sheet):
    """The team members the sheet was sent to, each with `sheet_marked` (an unread mark was made when sent)
    and `sheet_read_at` (when the addressee opened it, or None): one query."""
    reads = SheetRead.objects.filter(sheet=sheet, user=OuterRef("pk"))
    return list(
        sheet.addressees.annotate(sheet_marked=Exists(reads), sheet_read_at=Subquery(reads.values("read_at")[:1]))
        .order_by("name_kana", "id")
    )


def with_unread_flag(queryset, user):
    """Annotate sheets with `unread_for_me`: sent to the user and not opened yet."""
    return queryset.annotate(unread_for_me=Exists(
        SheetRead.objects.filter(sheet=OuterRef("pk"), user=user, read_at__isnull=True)))


def send_addressees(sheet, user):
    """Who a sheet can be sent to on the team: the active members but the sender, with their facilities."""
    return (
        User.objects.filter(care_teams__patient=sheet.patient, care_teams__status=MemberStatus.ACTIVE)
        .exclude(pk=user.pk).prefetch_related("facilities").order_by("name_kana", "id")
    )


def send_defaults(sheet, user, facilities):
    """The send page's pre-selection: the patient's care managers for the unified form (nurse → care
    manager), and the hospital named in an admission sheet when it is one of `facilities` (matched by
    its full or common name). Two queries at most."""
    initial = {}
    if sheet.kind == SheetKind.NURSING_INFO:
        initial["addressees"] = list(
            sheet.patient.team_members.filter(status=MemberStatus.ACTIVE, role=TeamRole.CARE_MANAGER)
            .exclude(user=user).values_list("user_id", flat=True)
        )
    named = _normalised((sheet.content or {}).get("hospital_name")) if sheet.kind == SheetKind.ADMISSION else ""
    if named:
        for facility in facilities.only("pk", "name"):
            if named in (_normalised(facility.name), _normalised(common_name(facility.name))):
                initial["facility"] = facility.pk
                break
    return initial


def _normalised(name):
    return "".join(unicodedata.normalize("NFKC", name or "").split())


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




def unopened_addressed_sheets(user: User) -> QuerySet[Sheet]:
    """Finalised sheets the user may see, addressed to them, that they have not opened yet."""
    unread = SheetRead.objects.filter(sheet=OuterRef("pk"), user=user, read_at__isnull=True)
    return sheets_visible_to(user).filter(Exists(unread), status=SheetStatus.FINALISED)


def unconfirmed_received_sheets(user: User) -> QuerySet[Sheet]:
    """Finalised sheets delivered to the user's liaison office whose receipt nobody has confirmed yet."""
    return received_sheets(user).filter(received_at__isnull=True)
