"""Groups (facility and free groups) and their invitations."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.models import Facility, User

from ..models import (
    Group,
    GroupKind,
    GroupMember,
    MemberStatus,
    NotificationKind,
)
from ._common import (
    Refused,
    _notify,
)
from .team import invitable

# --- groups --------------------------------------------------------------------------------------

def ensure_facility_group(*, facility: Facility) -> Group:
    """The facility's own staff timeline (施設グループ), created on first use."""
    group, _ = Group.objects.get_or_create(
        facility=facility, defaults={"kind": GroupKind.FACILITY, "name": f"{facility.name} 施設グループ"}
    )
    return group


def create_group(*, by: User, name: str | None, description: str = "", request: HttpRequest | None = None) -> Group:
    """A free group of registered professionals; the creator manages it and invites others."""
    if not invitable(by):
        raise Refused("グループを作成できるのは登録専門職のみです。", status=403)
    name = (name or "").strip()
    if not name:
        raise Refused("グループ名を入力してください。", field="name")
    with transaction.atomic():
        group = Group.objects.create(name=name[:100], kind=GroupKind.FREE, description=description, created_by=by)
        GroupMember.objects.create(group=group, user=by, is_manager=True, status=MemberStatus.ACTIVE,
                                   invited_by=by, responded_at=timezone.now())
        record(action=Action.CREATE, request=request, actor=by, obj=group)
    return group


def invite_group_member(*, group: Group, by: User, user: User, request: HttpRequest | None = None) -> GroupMember:
    """A free group's manager invites a professional."""
    if group.kind != GroupKind.FREE or not GroupMember.objects.filter(
        group=group, user=by, is_manager=True, status=MemberStatus.ACTIVE
    ).exists():
        raise Refused("この操作はグループ管理者のみ行えます。", status=403)
    if not invitable(user):
        raise Refused("招待できるのは承認済みの登録専門職のみです。", field="user")
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(group=group, user=user, defaults={"invited_by": by})
        if not created:
            if member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
                raise Refused(f"{user} さんはすでにメンバーか招待中です。", field="user")
            member.status, member.invited_by, member.invited_at = MemberStatus.INVITED, by, timezone.now()
            member.save()
        _notify([user.pk], kind=NotificationKind.INVITATION, actor=by, group=group)
        record(action=Action.CREATE, request=request, actor=by, obj=member, detail=f"group {group.pk} invited")
    return member


def respond_group_invitation(*, member: GroupMember, user: User, accept: bool,
                             request: HttpRequest | None = None) -> GroupMember:
    """The invitee accepts or declines a group invitation."""
    if member.user_id != user.pk or member.status != MemberStatus.INVITED:
        raise Refused("この招待は見つかりません。", status=404)
    member.status = MemberStatus.ACTIVE if accept else MemberStatus.DECLINED
    member.responded_at = timezone.now()
    member.save(update_fields=["status", "responded_at"])
    record(action=Action.UPDATE, request=request, actor=user, obj=member, detail="accepted" if accept else "declined")
    return member
