"""Who may see or do what: every access rule of Renkei in one module (patients, sheets, files, groups, roles).

Every view, API endpoint, export and download reaches protected data through these functions; a
missing permission looks exactly like a missing object (Http404). `network.selectors` and
`sheets.selectors` re-export the rules for their callers, but this is the one implementation.
"""
from __future__ import annotations

from typing import Any, TypeAlias, TypeGuard, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from renkei.careplans.models import CarePlan
from renkei.core.models import (
    Affiliation,
    Facility,
    FacilityAdministrator,
    FacilityAdminStatus,
    Municipality,
    Profession,
    RegistrationStatus,
    User,
)
from renkei.medication.models import Dispensing, Medication
from renkei.network.models import (
    Attachment,
    CareTeamMember,
    Channel,
    Consent,
    FamilyAccess,
    FamilyAccessStatus,
    Group,
    GroupMember,
    MemberStatus,
    Patient,
    Post,
    TeamRole,
)
from renkei.sheets.models import (
    BackBedRequest,
    CaseConference,
    DementiaCase,
    ReceivedDocument,
    Sheet,
    SheetDelivery,
    SheetStatus,
)

from .compiled import CompiledQuery
from .errors import AppError

NOT_FOUND = "見つかりません。"

# Whoever makes a request: an account, an anonymous visitor, or nobody (a command).
Viewer: TypeAlias = User | AnonymousUser | None
M = TypeVar("M", bound=Model)


MAX_ID = 2**63 - 1  # the largest id a database integer holds; a larger one is forged (SQLite would overflow)


def _id(value: Any) -> int:
    """An object id from a URL or a body; anything else (not a whole number, beyond the database's integers) is a
    missing object."""
    try:
        found = int(value)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND)
    if abs(found) > MAX_ID:
        raise Http404(NOT_FOUND)
    return found


def _first_or_404(queryset: QuerySet[M]) -> M:
    """The first row of `queryset`; Http404 exactly as for a missing object when there is none."""
    found = queryset.first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def is_signed_in(user: Viewer) -> TypeGuard[User]:
    """An active, approved account (a withdrawn one loses access on its next request, session or token)."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and user.is_active
        and user.registration_status == RegistrationStatus.APPROVED
    )


# --- roles ---------------------------------------------------------------------------------------

def has_role(user: Viewer, *roles: str) -> bool:
    """True when the user holds one of the roles: 'staff' (municipal), 'coordinator', 'professional'."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    checks = {
        "staff": user.is_municipal_staff,
        "coordinator": user.is_coordinator,
        "professional": user.is_professional,
    }
    return any(checks[r] for r in roles)


def require_role(user: Viewer, *roles: str) -> None:
    """Raise a 403 AppError unless the user holds one of the roles (the refusal is audited where it is caught)."""
    if not has_role(user, *roles):
        raise AppError("この操作の権限がありません。", status=403)


# --- facility administrators (施設管理者) ----------------------------------------------------------
# A member of a facility whose nomination municipal staff approved manages the facility's people: the
# accounts affiliated with it, never patient data (no patient query starts from this role). Another
# facility's person, or a facility the user does not administer, answers 404 like a missing one.

def administered_facilities(user: Viewer) -> QuerySet[Facility]:
    """Facilities the user administers now (an approved, unrevoked nomination; approved, active account)."""
    if not is_signed_in(user):
        return Facility.objects.none()
    role = FacilityAdministrator.objects.filter(facility=OuterRef("pk"), user=user,
                                                status=FacilityAdminStatus.APPROVED)
    return Facility.objects.filter(Exists(role)).select_related("municipality").order_by("name_kana", "pk")


def is_facility_admin(user: Viewer) -> bool:
    """True when the user administers at least one facility."""
    return administered_facilities(user).exists()


def choose_administered_facility(user: Viewer, facility_id: object = None) -> Facility:
    """The facility a facility-administration request concerns: `facility_id` if the user administers it
    (else 404 as if missing), otherwise the user's only one. Administrators of several must name one (422);
    a user who administers none is refused (403)."""
    mine = list(administered_facilities(user))
    if not mine:
        raise AppError("施設管理者として承認されていません。", status=403)
    if facility_id not in (None, ""):
        wanted = _id(facility_id)
        for facility in mine:
            if facility.pk == wanted:
                return facility
        raise Http404(NOT_FOUND)
    if len(mine) == 1:
        return mine[0]
    raise AppError("複数の事業所の施設管理者です。事業所（facility）を指定してください。", status=422)


def facility_people(facility: Facility) -> QuerySet[User]:
    """The accounts affiliated with `facility` that its administrator manages: professionals, not municipal
    staff, coordinators or superusers (their roles are the city's to give and take)."""
    return User.objects.filter(affiliations__facility=facility, is_superuser=False, is_municipal_staff=False,
                               is_coordinator=False)


def get_facility_person_or_404(user: Viewer, facility: Facility, person_id: object) -> User:
    """One of the people of a facility the user administers; Http404 for anyone else (another facility's
    person, a forged id, or a facility the user no longer administers)."""
    if not administered_facilities(user).filter(pk=facility.pk).exists():
        raise Http404(NOT_FOUND)
    return _first_or_404(facility_people(facility).filter(pk=_id(person_id)))


def my_facilities(user: Viewer) -> QuerySet[Facility]:
    """The facilities a signed-in user is affiliated with (where they may nominate an administrator)."""
    if not is_signed_in(user):
        return Facility.objects.none()
    return Facility.objects.filter(affiliations__user=user).order_by("name_kana", "pk")


def my_colleagues(user: Viewer) -> QuerySet[User]:
    """Approved, active accounts affiliated with one of the user's facilities (the user included)."""
    return User.objects.filter(affiliations__facility__in=my_facilities(user),
                               registration_status=RegistrationStatus.APPROVED,
                               is_active=True).distinct().order_by("name_kana", "pk")


def my_facilities_administrators(user: Viewer) -> QuerySet[FacilityAdministrator]:
    """The nominations and administrators of the user's facilities (what their members may know)."""
    return FacilityAdministrator.objects.filter(facility__in=my_facilities(user)).select_related("facility", "user")


def facility_nominations_for(user: Viewer) -> QuerySet[FacilityAdministrator]:
    """Nominations municipal staff decide on: those of facilities in the cities the staff member acts for."""
    if not has_role(user, "staff"):
        return FacilityAdministrator.objects.none()
    return in_my_cities(user, FacilityAdministrator).select_related(
        "facility__municipality", "user", "nominated_by", "decided_by")


def get_facility_nomination_or_404(user: Viewer, nomination_id: object) -> FacilityAdministrator:
    """One nomination of the staff member's cities; Http404 for another city's, exactly as a missing one."""
    return _first_or_404(facility_nominations_for(user).filter(pk=_id(nomination_id)))


# --- patients and care teams -----------------------------------------------------------------------

def active_membership(user: Viewer) -> QuerySet[CareTeamMember]:
    """ACTIVE care-team memberships of an approved, active account (none for anyone else)."""
    if not is_signed_in(user):
        return CareTeamMember.objects.none()
    return CareTeamMember.objects.filter(user=user, status=MemberStatus.ACTIVE)


def is_team_member(user: Viewer, patient: Patient | int) -> bool:
    """True when the user (approved, active) is an ACTIVE member of the patient's care team."""
    return active_membership(user).filter(patient=patient).exists()


def patients_visible_to(user: Viewer) -> QuerySet[Patient]:
    """Patients on whose care team the user is an ACTIVE member; nobody else sees a patient.

    Municipal staff, coordinators and superusers get no exception: they see a patient only as members.
    """
    if not is_signed_in(user):
        return Patient.objects.none()
    member = CareTeamMember.objects.filter(patient=OuterRef("pk"), user=user, status=MemberStatus.ACTIVE)
    return Patient.objects.filter(Exists(member))


def get_visible_patient_or_404(user: Viewer, patient_id: object, *, with_consent: bool = False) -> Patient:
    """The patient if the user may see it; Http404 exactly as for a missing patient otherwise.

    `with_consent` reads the consent state in the same query (see network.services.consent_state).
    """
    patient_pk = _id(patient_id)
    if not is_signed_in(user):
        raise Http404(NOT_FOUND)
    rows: list[Patient] = _VISIBLE_PATIENT[with_consent].run(user.pk, patient_pk)
    if not rows:
        raise Http404(NOT_FOUND)
    return rows[0]


def _visible_patient_query(user_id: int, patient_id: int, *, with_consent: bool) -> QuerySet[Patient]:
    """The one-patient query of get_visible_patient_or_404: patients_visible_to's rule for this one id."""
    member = CareTeamMember.objects.filter(patient=OuterRef("pk"), user_id=user_id, status=MemberStatus.ACTIVE)
    qs = Patient.objects.filter(Exists(member)).filter(pk=patient_id).select_related("municipality")
    if with_consent:
        qs = qs.annotate(
            consent_active=Exists(Consent.objects.filter(patient=OuterRef("pk"), withdrawn_at__isnull=True)),
            consent_recorded=Exists(Consent.objects.filter(patient=OuterRef("pk"))),
        )
    return qs.order_by("pk")[:1]


# Run on every request about one patient: compiled to SQL once per process (renkei/core/compiled.py).
_VISIBLE_PATIENT = {
    flag: CompiledQuery(Patient, lambda user_id, patient_id, flag=flag: _visible_patient_query(
        user_id, patient_id, with_consent=flag), -730_001, -730_002)
    for flag in (False, True)
}


def dispensings_visible_to(user: Viewer) -> QuerySet[Dispensing]:
    """Dispensings read from お薬手帳 codes of the patients the user may see (the patient rule)."""
    return Dispensing.objects.filter(patient__in=patients_visible_to(user))


def medications_visible_to(user: Viewer) -> QuerySet[Medication]:
    """Medications of the patients the user may see (the patient rule)."""
    return Medication.objects.filter(patient__in=patients_visible_to(user))


def get_visible_team_post_or_404(user: Viewer, post_id: object) -> Post:
    """A team-timeline post (not retracted) of a patient the user may see; Http404 otherwise."""
    return _first_or_404(
        Post.objects.filter(pk=_id(post_id), patient__in=patients_visible_to(user), channel=Channel.TEAM,
                            retracted_at__isnull=True)
        .select_related("patient")
    )


# --- groups --------------------------------------------------------------------------------------

def groups_visible_to(user: Viewer) -> QuerySet[Group]:
    """Facility groups of the user's facilities and free groups where the user is an active member."""
    if not is_signed_in(user):
        return Group.objects.none()
    member = GroupMember.objects.filter(group=OuterRef("pk"), user=user, status=MemberStatus.ACTIVE)
    return Group.objects.filter(Q(facility__affiliations__user=user) | Exists(member)).distinct()


def get_visible_group_or_404(user: Viewer, group_id: object) -> Group:
    """The group if the user reads its timeline; Http404 otherwise."""
    return _first_or_404(groups_visible_to(user).select_related("facility").filter(pk=_id(group_id)))


# --- family --------------------------------------------------------------------------------------

def family_patients(user: Viewer) -> QuerySet[Patient]:
    """Patients whose family timeline this (family) account may use."""
    if not is_signed_in(user):
        return Patient.objects.none()
    access = FamilyAccess.objects.filter(patient=OuterRef("pk"), user=user, status=FamilyAccessStatus.ACTIVE)
    return Patient.objects.filter(Exists(access))


def is_family_account(user: Viewer) -> bool:
    return is_signed_in(user) and FamilyAccess.objects.filter(user=user).exists()


def is_family_only(user: Viewer) -> bool:
    """A family account and nothing else (no staff or coordinator role, no facility): it sees family things
    only. At most one query, remembered on the user object for the rest of the request."""
    if not is_signed_in(user):
        return False
    cached = getattr(user, "_renkei_family_only", None)
    if cached is None:
        # Family accounts are made with profession 「その他」: anyone else is decided without a query.
        cached = (user.profession == Profession.OTHER and not user.is_municipal_staff and not user.is_coordinator
                  and FamilyAccess.objects.filter(user=user).exists()
                  and not Affiliation.objects.filter(user=user).exists())
        user._renkei_family_only = cached
    return cached


def get_family_timeline_patient_or_404(user: Viewer, patient_id: object) -> Patient:
    """A patient whose family timeline the user may use: a family account of it, or an active team member."""
    return _first_or_404((family_patients(user) | patients_visible_to(user)).filter(pk=_id(patient_id)))


# --- files ---------------------------------------------------------------------------------------

def get_visible_attachment_or_404(user: Viewer, attachment_id: object) -> Attachment:
    """An attachment on a timeline the user can read (team, family channel or group); 404 otherwise."""
    attachment_id = _id(attachment_id)
    if not is_signed_in(user):
        raise Http404(NOT_FOUND)
    family = FamilyAccess.objects.filter(user=user, status=FamilyAccessStatus.ACTIVE).values("patient_id")
    allowed = (
        Q(patient__in=patients_visible_to(user))
        | Q(post__channel=Channel.FAMILY, post__patient__in=family)
        | Q(group__in=groups_visible_to(user))
    )
    return _first_or_404(
        Attachment.objects.select_related("post").filter(allowed, pk=attachment_id)
        .exclude(post__retracted_at__isnull=False)
    )


# --- sheets, back-bed requests, dementia cases ----------------------------------------------------
# One narrow addition to the patient rule: a hospital liaison office (医療連携室) that received a
# finalised sheet or a back-bed request sees that one document — never the patient's page, timeline
# or other sheets.

def is_liaison(user: Viewer) -> TypeGuard[User]:
    """A signed-in, approved user of a hospital's liaison office."""
    return is_signed_in(user) and user.profession == Profession.HOSPITAL_LIAISON


def liaison_facility_ids(user: Viewer) -> QuerySet[Affiliation, Any]:
    """Facilities for which the user acts as liaison office (a queryset of ids)."""
    if not is_liaison(user):
        return Affiliation.objects.none().values("facility_id")
    return Affiliation.objects.filter(user=user).values("facility_id")


def is_liaison_of(user: Viewer, facility_id: int) -> bool:
    return is_liaison(user) and Affiliation.objects.filter(user=user, facility_id=facility_id).exists()


def sheets_visible_to(user: Viewer) -> QuerySet[Sheet]:
    """Sheets of the patients the user may see, plus finalised sheets delivered to the user's liaison office."""
    if not is_signed_in(user):
        return Sheet.objects.none()
    rule = Q(patient__in=patients_visible_to(user))
    if is_liaison(user):
        delivered = SheetDelivery.objects.filter(sheet=OuterRef("pk"), facility_id__in=liaison_facility_ids(user))
        rule |= Q(Exists(delivered), status=SheetStatus.FINALISED)
    return Sheet.objects.filter(rule)


def get_visible_sheet_or_404(user: Viewer, sheet_id: object) -> Sheet:
    """The sheet if the user may see it; Http404 exactly as for a missing sheet otherwise."""
    return _first_or_404(
        sheets_visible_to(user).filter(pk=_id(sheet_id))
        .select_related("patient", "author", "author_facility", "sent_by")
    )


def back_bed_requests_visible_to(user: Viewer) -> QuerySet[BackBedRequest]:
    """Requests for the user's patients, and requests addressed to the user's liaison office."""
    if not is_signed_in(user):
        return BackBedRequest.objects.none()
    rule = Q(patient__in=patients_visible_to(user))
    if is_liaison(user):
        rule |= Q(hospital__facility_id__in=liaison_facility_ids(user))
    return BackBedRequest.objects.filter(rule).select_related("patient", "hospital__facility", "requested_by",
                                                              "answered_by")


def get_visible_back_bed_request_or_404(user: Viewer, request_id: object) -> BackBedRequest:
    return _first_or_404(back_bed_requests_visible_to(user).filter(pk=_id(request_id)))


def dementia_cases_visible_to(user: Viewer) -> QuerySet[DementiaCase]:
    return DementiaCase.objects.filter(patient__in=patients_visible_to(user)).select_related("patient")


def get_visible_dementia_case_or_404(user: Viewer, case_id: object) -> DementiaCase:
    return _first_or_404(dementia_cases_visible_to(user).filter(pk=_id(case_id)))


def conferences_visible_to(user: Viewer) -> QuerySet[CaseConference]:
    """Case conferences of the patients on whose team the user is an active member."""
    return CaseConference.objects.filter(patient__in=patients_visible_to(user))


def get_visible_conference_or_404(user: Viewer, conference_id: object) -> CaseConference:
    return _first_or_404(conferences_visible_to(user).filter(pk=_id(conference_id))
                         .select_related("patient", "organiser", "recorded_by"))


def get_document_recipient_or_404(user: Viewer, patient_id: object) -> Patient:
    """The patient a hospital system may deliver a document for: a member of the patient's team, or the
    liaison office of a facility that was sent one of the patient's sheets. Http404 otherwise."""
    if not is_signed_in(user):
        raise Http404(NOT_FOUND)
    patient = patients_visible_to(user).filter(pk=_id(patient_id)).first()
    if patient is None and is_liaison(user):
        delivered = SheetDelivery.objects.filter(sheet__patient_id=OuterRef("pk"),
                                                 facility_id__in=liaison_facility_ids(user))
        patient = Patient.objects.filter(Exists(delivered), pk=_id(patient_id)).first()
    if patient is None:
        raise Http404(NOT_FOUND)
    return patient


def received_documents_visible_to(user: Viewer) -> QuerySet[ReceivedDocument]:
    """Documents received from hospitals, for the patient's care team."""
    return ReceivedDocument.objects.filter(patient__in=patients_visible_to(user))


def get_visible_received_document_or_404(user: Viewer, document_id: object) -> ReceivedDocument:
    return _first_or_404(received_documents_visible_to(user).filter(pk=_id(document_id)).select_related("patient"))


# --- care plans (ケアプランデータ連携) ----------------------------------------------------------------
# The plan is patient data: the care team reads it. Only the team's care manager imports it; a provider
# (a member working for a 事業所 the plan names) reads and exports the rows of its own 事業所番号.

def is_team_care_manager(user: Viewer, patient: Patient | int) -> bool:
    """True when the user is an ACTIVE member of the patient's team in the care-manager role."""
    return active_membership(user).filter(patient=patient, role=TeamRole.CARE_MANAGER).exists()


def require_team_care_manager(user: Viewer, patient: Patient | int) -> None:
    """Raise a 403 AppError unless the user is the patient's team care manager (import of a plan)."""
    if not is_team_care_manager(user, patient):
        raise AppError("ケアプランを取り込めるのは、この患者のチームのケアマネジャーだけです。", status=403)


def office_numbers_of(user: Viewer) -> list[str]:
    """The 介護保険事業所番号 (Facility.official_id) of the facilities the user works for."""
    if not is_signed_in(user):
        return []
    return sorted(Facility.objects.filter(affiliations__user=user).exclude(official_id="")
                  .values_list("official_id", flat=True))


def care_plans_visible_to(user: Viewer) -> QuerySet[CarePlan]:
    """Plan versions of the patients on whose team the user is an active member."""
    return CarePlan.objects.filter(patient__in=patients_visible_to(user))


# --- municipalities (records, programs, reports) ---------------------------------------------------
# Program records, the municipal programs and the annual report belong to one municipality each.
# Municipal staff and coordinators act for the municipalities set on their approval (User.acts_for);
# every query of those apps goes through `in_my_cities` / `get_in_my_cities_or_404`, and an object of
# another city is missing (404), exactly like one that does not exist. A model says where its city is
# with `municipality_path` (default "municipality") or, for records shared by several cities, with a
# classmethod `city_scope(ids) -> Q`.

def home_municipality() -> Municipality:
    """The installation's home city: the first of RENKEI_AREA_MUNICIPALITY_CODES."""
    from django.conf import settings

    from renkei.core.models import Municipality

    return Municipality.objects.get(code=settings.RENKEI_AREA_MUNICIPALITY_CODES[0])


def area_municipalities() -> list[Municipality]:
    """The municipalities of the area, in the order of RENKEI_AREA_MUNICIPALITY_CODES."""
    from django.conf import settings

    from renkei.core.models import Municipality

    codes = list(settings.RENKEI_AREA_MUNICIPALITY_CODES)
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def my_municipalities(user: Viewer) -> QuerySet[Municipality]:
    """The municipalities a signed-in staff member or coordinator acts for (none for anyone else)."""
    from renkei.core.models import Municipality

    if not is_signed_in(user) or not (user.is_municipal_staff or user.is_coordinator):
        return Municipality.objects.none()
    return Municipality.objects.filter(staff_members=user).order_by("code")


def my_city_list(user: Viewer) -> list[Municipality]:
    """`my_municipalities` as a list, read once per user object (so once per request)."""
    cached = getattr(user, "_renkei_cities", None)
    if cached is None:
        cached = list(my_municipalities(user))
        if isinstance(user, User) and user.pk is not None:
            user._renkei_cities = cached
    return cached


def my_municipality_ids(user: Viewer) -> list[int]:
    """The ids of `my_municipalities` as a list (read once per user object)."""
    return [city.pk for city in my_city_list(user)]


def city_scope_q(model: type[Model], city_ids: list[int]) -> Q:
    """The Q that keeps the rows of `model` belonging to one of `city_ids`."""
    scope = getattr(model, "city_scope", None)
    if scope is not None:
        return cast(Q, scope(city_ids))
    path = getattr(model, "municipality_path", "municipality")
    return Q(**{f"{path}__in": city_ids})


def city_id_of(obj: Model) -> int:
    """The municipality id of one record: its own, or for a child the one its `municipality_path` reaches."""
    path = getattr(type(obj), "municipality_path", "municipality")
    record: Any = obj
    for step in path.split("__")[:-1]:
        record = getattr(record, step)
    return cast(int, record.municipality_id)


def in_my_cities(user: Viewer, queryset: type[M] | QuerySet[M]) -> QuerySet[M]:
    """`queryset` (a model or a queryset of records/programs/reports) cut to the user's municipalities."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return qs.filter(city_scope_q(qs.model, my_municipality_ids(user)))


def get_in_my_cities_or_404(user: Viewer, queryset: type[M] | QuerySet[M], pk: object) -> M:
    """One object of the user's municipalities; Http404 exactly as for a missing object otherwise."""
    return _first_or_404(in_my_cities(user, queryset).filter(pk=_id(pk)))


def acts_for(user: Viewer, municipality: Municipality | int) -> bool:
    """True when the user acts for `municipality` (an object or an id)."""
    mid = getattr(municipality, "pk", municipality)
    return mid in my_municipality_ids(user)


def choose_municipality(user: Viewer, code: object = None) -> Municipality:
    """The one municipality a request concerns: `code` if the user acts for it (else 404 as if missing),
    otherwise the user's only city. Staff of several cities must name one (422)."""
    mine = my_city_list(user)
    if code not in (None, ""):
        for city in mine:
            if city.code == str(code).strip():
                return city
        raise Http404(NOT_FOUND)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise AppError("担当する市区町村が設定されていません。管理者に連絡してください。", status=403)
    raise AppError("複数の市区町村を担当しています。市区町村（municipality）を指定してください。", status=422)


def default_municipality(user: Viewer) -> Municipality:
    """The city a user speaks for when none is named: the one they act for, else their facility's city,
    else the home city (used where rules are public, e.g. the programs' assessment calls)."""
    mine = my_city_list(user)
    if mine:
        return choose_municipality(user)
    facility_city = (
        Affiliation.objects.filter(user=user).select_related("facility__municipality")
        .order_by("pk").first() if is_signed_in(user) else None
    )
    if facility_city is not None:
        return facility_city.facility.municipality
    return home_municipality()
