"""Family access to a patient's timeline."""
import re
import secrets

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.models import Profession, RegistrationStatus, User

from ..models import (
    FamilyAccess,
    FamilyAccessStatus,
    Patient,
)
from ._common import (
    Refused,
    _require_manager,
)

# --- family --------------------------------------------------------------------------------------

def grant_family_access(*, patient: Patient, by: User, name: str, relationship: str,
                        username: str | None, request: HttpRequest | None = None) -> tuple[FamilyAccess, str]:
    """A manager opens a limited family account on the patient's family timeline; returns (access, password)."""
    _require_manager(patient, by)
    username = (username or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{4,40}", username):
        raise Refused("ユーザー名は半角英数字と _ . - で4〜40文字にしてください。", field="username")
    if not (name or "").strip() or not (relationship or "").strip():
        raise Refused("氏名と続柄を入力してください。", field="name")
    password = secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            user = User(username=username, name=name.strip(), profession=Profession.OTHER,
                        registration_status=RegistrationStatus.APPROVED, approved_on=timezone.localdate(),
                        decision_reason="家族アカウント（本人・家族タイムラインのみ）")
            user.set_password(password)
            user.save()
            access = FamilyAccess.objects.create(patient=patient, user=user, relationship=relationship.strip(),
                                                 invited_by=by)
            record(action=Action.CREATE, request=request, actor=by, obj=access, patient=patient, detail="family account")
    except IntegrityError:
        raise Refused("このユーザー名はすでに使われています。", field="username")
    return access, password


def revoke_family_access(*, access: FamilyAccess, by: User, request: HttpRequest | None = None) -> FamilyAccess:
    """A manager stops a family account's access to the family timeline."""
    _require_manager(access.patient, by)
    with transaction.atomic():
        access.status, access.revoked_at = FamilyAccessStatus.REVOKED, timezone.now()
        access.save(update_fields=["status", "revoked_at"])
        record(action=Action.DELETE, request=request, actor=by, obj=access, patient=access.patient_id, detail="family revoked")
    return access
