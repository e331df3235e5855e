"""The care team: invitations, answers, removal and managers."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.models import User

from .. import unread
from ..models import (
    CareTeamMember,
    FamilyAccess,
    MemberStatus,
    NotificationKind,
    Patient,
)
from ._common import (
    Refused,
    _notify,
    _require_manager,
)

# --- care team -----------------------------------------------------------------------------------

def invitable(user: User) -> bool:
    """Whether a user may be invited to a care team or a group: an approved professional, not a family account."""
    return (user.is_active and user.is_professional and not FamilyAccess.objects.filter(user=user).exists())


def invite_member(*, patient: Patient, by: User, user: User, role: str, is_manager: bool = False,
                  request: HttpRequest | None = None) -> CareTeamMember:
    """A manager invites a registered professional; the invitee accepts or declines."""
    _require_manager(patient, by)
    if not invitable(user):
        raise Refused("招待できるのは承認済みの登録専門職のみです。", field="user")
    with transaction.atomic():
        member = CareTeamMember.objects.select_for_update().filter(patient=patient, user=user).first()
        if member is not None and member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
            raise Refused(f"{user} さんはすでにチームのメンバーか招待中です。", field="user")
        if member is None:
            member = CareTeamMember(patient=patient, user=user)
            member.unread_count = unread.initial_count(patient_id=patient.pk, user_id=user.pk)
        member.role, member.is_manager, member.status = role, is_manager, MemberStatus.INVITED
        member.invited_by, member.invited_at = by, timezone.now()
        member.responded_at = member.removed_at = member.removed_by = None
        member.save()
        _notify([user.pk], kind=NotificationKind.INVITATION, actor=by, patient=patient)
        record(action=Action.CREATE, request=request, actor=by, obj=member, patient=patient, detail="invited")
    return member


def respond_invitation(*, member: CareTeamMember, user: User, accept: bool,
                       request: HttpRequest | None = None) -> CareTeamMember:
    """The invitee accepts or declines a care-team invitation."""
    if member.user_id != user.pk or member.status != MemberStatus.INVITED:
        raise Refused("この招待は見つかりません。", status=404)
    with transaction.atomic():
        member.status = MemberStatus.ACTIVE if accept else MemberStatus.DECLINED
        member.responded_at = timezone.now()
        member.save(update_fields=["status", "responded_at"])
        record(action=Action.UPDATE, request=request, actor=user, obj=member, patient=member.patient_id,
               detail="accepted" if accept else "declined")
    return member


def remove_member(*, member: CareTeamMember, by: User, request: HttpRequest | None = None) -> CareTeamMember:
    """A manager removes a member; it takes effect on the member's next request."""
    _require_manager(member.patient, by)
    if member.status == MemberStatus.REMOVED:
        raise Refused("このメンバーはすでに削除されています。")
    if member.is_manager and member.status == MemberStatus.ACTIVE:
        others = CareTeamMember.objects.filter(patient=member.patient_id, is_manager=True,
                                               status=MemberStatus.ACTIVE).exclude(pk=member.pk)
        if not others.exists():
            raise Refused("最後のチーム管理者は削除できません。先に別のメンバーを管理者にしてください。")
    with transaction.atomic():
        member.status, member.removed_at, member.removed_by = MemberStatus.REMOVED, timezone.now(), by
        member.save(update_fields=["status", "removed_at", "removed_by"])
        record(action=Action.DELETE, request=request, actor=by, obj=member, patient=member.patient_id, detail="removed")
    return member


def set_manager(*, member: CareTeamMember, by: User, is_manager: bool,
                request: HttpRequest | None = None) -> CareTeamMember:
    """A manager makes another active member a manager (or not)."""
    _require_manager(member.patient, by)
    if member.status != MemberStatus.ACTIVE:
        raise Refused("参加中のメンバーのみ管理者にできます。")
    if not is_manager and member.user_id == by.pk and not CareTeamMember.objects.filter(
        patient=member.patient_id, is_manager=True, status=MemberStatus.ACTIVE
    ).exclude(pk=member.pk).exists():
        raise Refused("最後のチーム管理者は外せません。")
    with transaction.atomic():
        member.is_manager = is_manager
        member.save(update_fields=["is_manager"])
        record(action=Action.UPDATE, request=request, actor=by, obj=member, patient=member.patient_id,
               detail=f"manager={is_manager}")
    return member
