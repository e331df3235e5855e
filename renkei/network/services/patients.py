"""Patients and their family contacts."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.fields import future_message
from renkei.core.models import User

from ..models import (
    CareTeamMember,
    FamilyAccess,
    FamilyContact,
    MemberStatus,
    Patient,
    PatientStatus,
)
from ._common import (
    Refused,
    _require_active_member,
)

# --- patients ------------------------------------------------------------------------------------

PATIENT_FIELDS = ("name", "name_kana", "birth_date", "sex", "address", "municipality", "phone",
                  "care_level", "status", "end_reason", "ended_on")


def _check_patient(data: dict[str, Any]) -> None:
    if data.get("status") == PatientStatus.ENDED:
        if not data.get("ended_on"):
            raise Refused("終了の場合は終了日を入力してください。", field="ended_on")
        if not data.get("end_reason"):
            raise Refused("終了の場合は終了理由（死亡・転居・その他）を選んでください。", field="end_reason")
    else:
        data["end_reason"], data["ended_on"] = "", None
    if data.get("birth_date") and data["birth_date"] > timezone.localdate():
        raise Refused(future_message("生年月日"), field="birth_date")


def create_patient(*, by: User, role: str, request: HttpRequest | None = None, **data: Any) -> Patient:
    """Register a patient; the registering professional becomes the team's first manager."""
    if not by.is_professional or FamilyAccess.objects.filter(user=by).exists():
        raise Refused("患者を登録できるのは登録済みの専門職のみです。", status=403)
    data = {k: v for k, v in data.items() if k in PATIENT_FIELDS}
    _check_patient(data)
    with transaction.atomic():
        patient = Patient.objects.create(created_by=by, **data)
        member = CareTeamMember.objects.create(
            patient=patient, user=by, role=role, is_manager=True, status=MemberStatus.ACTIVE,
            invited_by=by, responded_at=timezone.now(),
        )
        record(action=Action.CREATE, request=request, actor=by, obj=patient, patient=patient)
        record(action=Action.CREATE, request=request, actor=by, obj=member, patient=patient, detail="first manager")
    return patient


def update_patient(*, patient: Patient, by: User, request: HttpRequest | None = None, **data: Any) -> Patient:
    """Change a patient's record (any active team member)."""
    _require_active_member(patient, by)
    data = {k: v for k, v in data.items() if k in PATIENT_FIELDS}
    _check_patient(data)
    changed = sorted(k for k, v in data.items() if getattr(patient, k) != v)
    with transaction.atomic():
        for key, value in data.items():
            setattr(patient, key, value)
        patient.save()
        record(action=Action.UPDATE, request=request, actor=by, obj=patient, patient=patient,
               detail="changed: " + ",".join(changed))
    return patient


def add_contact(*, patient: Patient, by: User, request: HttpRequest | None = None, name: str, relationship: str,
                phone: str = "", is_key_person: bool = False, note: str = "") -> FamilyContact:
    """Add a key person / family contact to a patient."""
    _require_active_member(patient, by)
    if not name.strip() or not relationship.strip():
        raise Refused("氏名と続柄を入力してください。", field="name")
    with transaction.atomic():
        if is_key_person:
            patient.contacts.update(is_key_person=False)
        contact = FamilyContact.objects.create(patient=patient, name=name.strip(), relationship=relationship.strip(),
                                               phone=phone, is_key_person=is_key_person, note=note)
        record(action=Action.CREATE, request=request, actor=by, obj=contact, patient=patient)
    return contact
