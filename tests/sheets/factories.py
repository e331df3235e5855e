"""factory_boy factories and valid sample content for the coordination sheets."""
import datetime

import factory
from django.utils import timezone

from renkei.core.models import Affiliation, FacilityKind, Profession
from renkei.network.models import TeamRole
from renkei.sheets.models import BackBedHospital, Sheet, SheetKind, SheetStatus
from renkei.sheets.services import validate_content
from tests.factories import FacilityFactory, UserFactory
from tests.network.factories import CareTeamMemberFactory, PatientFactory

BASICS = {"patient_name": "試験 花子", "patient_kana": "しけん はなこ", "patient_birth_date": "1938-04-12",
          "patient_sex": "女性", "patient_address": "東京都武蔵野市（架空）1-2-3"}


def admission_content(**overrides):
    return BASICS | {
        "provided_on": "2025-05-10", "admitted_on": "2025-05-09", "hospital_name": "架空総合病院",
        "care_level": "要介護2", "adl_mobility": "見守り", "adl_eating": "自立", "household": "独居",
        "key_person": "試験 一郎（長男）", "procedures": ["酸素療法"], "medicines": "アムロジピン 5mg 1日1回",
    } | overrides


def discharge_content(**overrides):
    return BASICS | {"hospital_name": "架空総合病院", "discharge_on": "2025-06-01", "admitted_on": "2025-05-09",
                     "diagnoses": "誤嚥性肺炎", "home_care_needs": ["喀痰吸引", "酸素療法"]} | overrides


def nursing_info_content(**overrides):
    return BASICS | {"month": "2025-04", "provided_on": "2025-04-25", "condition": "血圧安定",
                     "care_given": "服薬管理、入浴介助", "care_plan_points": "脱水に注意", "twenty_four_hour": True} | overrides


def stroke_content(**overrides):
    return BASICS | {"onset_on": "2025-04-02", "stroke_type": "脳梗塞", "diagnosis": "左中大脳動脈領域の脳梗塞",
                     "acute_hospital": "架空総合病院"} | overrides


def dasc_items(value=2):
    return {f"dasc_{n}": value for n in range(1, 22)}


def dementia_content(**overrides):
    return BASICS | {"consulted_on": "2025-04-10", "center_name": "架空在宅介護・地域包括支援センター",
                     "reasons": "同じことを何度も尋ねる"} | dasc_items() | overrides


def acp_content(**overrides):
    return BASICS | {"discussed_on": "2025-04-10", "participants": "本人、長男、訪問看護師", "capacity": "できる",
                     "resuscitation": "希望しない"} | overrides


CONTENT = {
    SheetKind.ADMISSION: admission_content, SheetKind.DISCHARGE: discharge_content,
    SheetKind.NURSING_INFO: nursing_info_content, SheetKind.STROKE: stroke_content,
    SheetKind.DEMENTIA: dementia_content, SheetKind.ACP: acp_content,
}


def barthel(**overrides):
    items = {"feeding": 10, "transfer": 15, "grooming": 5, "toilet": 10, "bathing": 0, "mobility": 10,
             "stairs": 5, "dressing": 5, "bowels": 10, "bladder": 5}
    return {f"barthel_{k}": v for k, v in (items | overrides).items()}


def stroke_stage(**overrides):
    return {"facility_name": "架空総合病院", "started_on": "2025-04-02", "nihss": 8, "mrs": 4,
            "goals": "座位保持"} | barthel() | overrides


def liaison_for(facility, **kwargs):
    """An approved hospital liaison account affiliated with the facility."""
    user = UserFactory(profession=Profession.HOSPITAL_LIAISON, **kwargs)
    Affiliation.objects.create(user=user, facility=facility)
    return user


def hospital(**kwargs):
    return FacilityFactory(kind=FacilityKind.HOSPITAL, **kwargs)


def member(patient, profession=Profession.CARE_MANAGER, role=TeamRole.CARE_MANAGER, facility=None):
    """An active team member of the patient (with an affiliation to `facility` when given)."""
    user = CareTeamMemberFactory(patient=patient, user__profession=profession, role=role).user
    if facility is not None:
        Affiliation.objects.create(user=user, facility=facility)
    return user


class SheetFactory(factory.django.DjangoModelFactory):
    """A finalised admission sheet by an active team member (pass status=SheetStatus.DRAFT for a draft)."""

    class Meta:
        model = Sheet

    patient = factory.SubFactory(PatientFactory)
    kind = SheetKind.ADMISSION
    status = SheetStatus.FINALISED
    author = factory.LazyAttribute(lambda o: member(o.patient))
    content = factory.LazyAttribute(lambda o: validate_content(o.kind, CONTENT[o.kind]()).to_content())
    document_date = datetime.date(2025, 5, 10)
    finalised_at = factory.LazyFunction(timezone.now)


class BackBedHospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackBedHospital

    facility = factory.SubFactory(FacilityFactory, kind=FacilityKind.HOSPITAL)
    beds = 2
    joined_on = datetime.date(2014, 4, 1)
