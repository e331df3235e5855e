"""The facility administrator role (施設管理者): a member of a facility nominates a colleague (or themselves),
municipal staff of the facility's city approve or reject the nomination and may revoke it later. Every step
is audited. What the role allows is in renkei/core/facility_staff.py; who holds it, in renkei/core/access.py."""
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from .access import acts_for, is_signed_in
from .audit import Action, record
from .errors import AppError
from .models import (
    Affiliation,
    Facility,
    FacilityAdministrator,
    FacilityAdminStatus,
    RegistrationStatus,
    User,
)


def nominate(*, request: HttpRequest | None, facility: Facility, nominee: User, by: User,
             reason: str = "") -> FacilityAdministrator:
    """A member of `facility` nominates an approved colleague of the same facility; staff decide later."""
    members = Affiliation.objects.filter(facility=facility)
    if not is_signed_in(by) or not members.filter(user=by).exists():
        raise AppError("推薦できるのはこの事業所に所属する登録者だけです。", status=404)
    if nominee.registration_status != RegistrationStatus.APPROVED or not nominee.is_active \
            or not members.filter(user=nominee).exists():
        raise AppError("施設管理者に推薦できるのは、この事業所に所属する承認済みの登録者だけです。", field="nominee")
    if nominee.is_municipal_staff or nominee.is_coordinator:
        raise AppError("市職員・コーディネーターは施設管理者に推薦できません。", field="nominee")
    try:
        with transaction.atomic():
            role = FacilityAdministrator.objects.create(
                facility=facility, user=nominee, nominated_by=by, reason=(reason or "").strip()[:1000])
            record(action=Action.FACILITY_ADMIN_NOMINATED, request=request, actor=by, obj=role,
                   detail=f"facility={facility.pk} user={nominee.pk}")
    except IntegrityError:
        raise AppError(f"{nominee} さんはすでに施設管理者か、推薦の審査中です。", field="nominee", status=409)
    return role


# each decision staff take: (the status it applies to, its audit action, the word of the reason it requires)
_DECISIONS: dict[str, tuple[str, str, str]] = {
    FacilityAdminStatus.APPROVED: (FacilityAdminStatus.PENDING, Action.FACILITY_ADMIN_APPROVED, ""),
    FacilityAdminStatus.REJECTED: (FacilityAdminStatus.PENDING, Action.FACILITY_ADMIN_REJECTED, "却下"),
    FacilityAdminStatus.REVOKED: (FacilityAdminStatus.APPROVED, Action.FACILITY_ADMIN_REVOKED, "取消"),
}


def _decide(*, request: HttpRequest | None, role: FacilityAdministrator, by: User, decision: str,
            reason: str = "") -> FacilityAdministrator:
    """Staff's decision on the role (locked; 404 for another city's; 409 where it no longer applies), stored
    with its reason and audited."""
    applies_to, action, reason_word = _DECISIONS[decision]
    if reason_word and not (reason or "").strip():
        raise AppError(f"{reason_word}の理由を入力してください。", field="reason")
    role = FacilityAdministrator.objects.select_for_update().select_related("facility", "user").get(pk=role.pk)
    if not acts_for(by, role.facility.municipality_id):
        raise AppError("見つかりません。", status=404)
    if role.status != applies_to:
        if applies_to == FacilityAdminStatus.PENDING:
            raise AppError(f"この推薦はすでに審査済みです（{role.get_status_display()}）。", status=409)
        raise AppError("承認済みの施設管理者だけを取り消せます。", status=409)
    if decision == FacilityAdminStatus.APPROVED and (not role.user.is_approved or not role.user.is_active):
        raise AppError("推薦された方のアカウントが承認済みでないため承認できません。", status=409)
    role.status, role.decided_by, role.decided_at = decision, by, timezone.now()
    role.decision_reason = (reason or "").strip()[:1000]
    role.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(action=action, request=request, actor=by, obj=role, detail=f"facility={role.facility_id} user={role.user_id}")
    return role


@transaction.atomic
def approve(*, request: HttpRequest | None, role: FacilityAdministrator, by: User) -> FacilityAdministrator:
    """Staff approve a pending nomination: the nominee manages the facility's people from the next request."""
    return _decide(request=request, role=role, by=by, decision=FacilityAdminStatus.APPROVED)


@transaction.atomic
def reject(*, request: HttpRequest | None, role: FacilityAdministrator, by: User, reason: str) -> FacilityAdministrator:
    """Staff reject a pending nomination; the reason is required and kept."""
    return _decide(request=request, role=role, by=by, decision=FacilityAdminStatus.REJECTED, reason=reason)


@transaction.atomic
def revoke(*, request: HttpRequest | None, role: FacilityAdministrator, by: User, reason: str) -> FacilityAdministrator:
    """Staff revoke an approved facility administrator; the role ends on the holder's next request."""
    return _decide(request=request, role=role, by=by, decision=FacilityAdminStatus.REVOKED, reason=reason)
