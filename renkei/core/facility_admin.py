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


def _decide(role: FacilityAdministrator, *, request: HttpRequest | None, by: User, status: str, reason: str,
            action: str) -> None:
    """Store staff's decision on the role and audit it."""
    role.status, role.decided_by, role.decided_at = status, by, timezone.now()
    role.decision_reason = (reason or "").strip()[:1000]
    role.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(action=action, request=request, actor=by, obj=role, detail=f"facility={role.facility_id} user={role.user_id}")


def _locked(role: FacilityAdministrator, by: User) -> FacilityAdministrator:
    """The nomination, locked, once staff acting for its facility's city decide (404 for another city's)."""
    role = FacilityAdministrator.objects.select_for_update().select_related("facility", "user").get(pk=role.pk)
    if not acts_for(by, role.facility.municipality_id):
        raise AppError("見つかりません。", status=404)
    return role


@transaction.atomic
def approve(*, request: HttpRequest | None, role: FacilityAdministrator, by: User) -> FacilityAdministrator:
    """Staff approve a pending nomination: the nominee manages the facility's people from the next request."""
    role = _locked(role, by)
    if role.status != FacilityAdminStatus.PENDING:
        raise AppError(f"この推薦はすでに審査済みです（{role.get_status_display()}）。", status=409)
    if not role.user.is_approved or not role.user.is_active:
        raise AppError("推薦された方のアカウントが承認済みでないため承認できません。", status=409)
    _decide(role, request=request, by=by, status=FacilityAdminStatus.APPROVED, reason="",
            action=Action.FACILITY_ADMIN_APPROVED)
    return role


@transaction.atomic
def reject(*, request: HttpRequest | None, role: FacilityAdministrator, by: User, reason: str) -> FacilityAdministrator:
    """Staff reject a pending nomination; the reason is required and kept."""
    if not (reason or "").strip():
        raise AppError("却下の理由を入力してください。", field="reason")
    role = _locked(role, by)
    if role.status != FacilityAdminStatus.PENDING:
        raise AppError(f"この推薦はすでに審査済みです（{role.get_status_display()}）。", status=409)
    _decide(role, request=request, by=by, status=FacilityAdminStatus.REJECTED, reason=reason,
            action=Action.FACILITY_ADMIN_REJECTED)
    return role


@transaction.atomic
def revoke(*, request: HttpRequest | None, role: FacilityAdministrator, by: User, reason: str) -> FacilityAdministrator:
    """Staff revoke an approved facility administrator; the role ends on the holder's next request."""
    if not (reason or "").strip():
        raise AppError("取消の理由を入力してください。", field="reason")
    role = _locked(role, by)
    if role.status != FacilityAdminStatus.APPROVED:
        raise AppError("承認済みの施設管理者だけを取り消せます。", status=409)
    _decide(role, request=request, by=by, status=FacilityAdminStatus.REVOKED, reason=reason,
            action=Action.FACILITY_ADMIN_REVOKED)
    return role
