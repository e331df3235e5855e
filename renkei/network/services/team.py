"""The care team: invitations, answers, removal and managers."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.models import User

from .. import unread
from ..models import (
    CareTeamMember,
    Consent,
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


def hand_over_places(*, leaver: User, successor: User, by: User,
                     request: HttpRequest | None = None) -> dict[str, int]:
    """A leaver's places in care teams go to a colleague of the same facility (the facility administrator's
    move when a member leaves; `by` needs no place in the teams and reads no patient data).

    Per team: the successor takes the leaver's role (and manager mark) as an active member, or keeps their
    own place, made manager if the leaver was one; a notice on the team timeline says who took over (a
    notice carries no clinical detail). The patient's consent rules hold: a team whose consent is not in
    force (withdrawn, or never recorded) gets no new member — the leaver's place is closed and the team's
    notice says so; so is a team that had removed the successor, or whom the successor declined (that
    was a team's decision, not the facility's). The leaver's pending invitations are cancelled.
    Returns {"moved", "kept", "vacated", "cancelled"} counts. Call inside the caller's transaction.
    """
    if not invitable(successor) or successor.pk == leaver.pk:
        raise Refused("後任には承認済みの登録専門職（本人以外）を選んでください。", field="successor")
    with transaction.atomic():
        return _hand_over(leaver=leaver, successor=successor, by=by, request=request)


def _hand_over(*, leaver: User, successor: User, by: User, request: HttpRequest | None) -> dict[str, int]:
    from .timeline import post_notice

    counts = {"moved": 0, "kept": 0, "vacated": 0, "cancelled": 0}
    places = list(CareTeamMember.objects.select_for_update().select_related("patient")
                  .filter(user=leaver, status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED]).order_by("pk"))
    if not places:
        return counts
    patient_ids = [place.patient_id for place in places]
    theirs = {m.patient_id: m for m in CareTeamMember.objects.select_for_update()
              .filter(user=successor, patient_id__in=patient_ids)}
    consented = set(Consent.objects.filter(patient_id__in=patient_ids, withdrawn_at__isnull=True)
                    .values_list("patient_id", flat=True))
    now = timezone.now()
    for place in places:
        patient = place.patient
        was_active = place.status == MemberStatus.ACTIVE
        place.status, place.removed_at, place.removed_by = MemberStatus.REMOVED, now, by
        place.save(update_fields=["status", "removed_at", "removed_by"])
        record(action=Action.DELETE, request=request, actor=by, obj=place, patient=patient,
               detail=f"handed over to {successor.pk}" if was_active else "invitation cancelled")
        if not was_active:
            counts["cancelled"] += 1
            continue
        own = theirs.get(patient.pk)
        if own is not None and own.status == MemberStatus.ACTIVE:
            if place.is_manager and not own.is_manager:
                own.is_manager = True
                own.save(update_fields=["is_manager"])
                record(action=Action.UPDATE, request=request, actor=by, obj=own, patient=patient,
                       detail="manager=True")
            counts["kept"] += 1
            note = f"{leaver} さんの退職により、同じ事業所の {successor} さんが担当を引き継ぎました。"
        elif patient.pk not in consented or (own is not None and own.status in (MemberStatus.REMOVED,
                                                                                 MemberStatus.DECLINED)):
            counts["vacated"] += 1
            note = (f"{leaver} さんの退職により、チームの担当が空きました。"
                    "後任の招待はチーム管理者が行ってください。" + _keep_a_manager(place, by=by, request=request))
        else:
            member = own or CareTeamMember(patient=patient, user=successor)
            if own is None:
                member.unread_count = unread.initial_count(patient_id=patient.pk, user_id=successor.pk)
            member.role, member.is_manager, member.status = place.role, place.is_manager, MemberStatus.ACTIVE
            member.invited_by, member.invited_at, member.responded_at = by, now, now
            member.removed_at = member.removed_by = None
            member.save()
            record(action=Action.CREATE, request=request, actor=by, obj=member, patient=patient,
                   detail=f"took over from {leaver.pk}")
            counts["moved"] += 1
            note = f"{leaver} さんの退職により、同じ事業所の {successor} さんが担当を引き継ぎました。"
        post_notice(patient=patient, author=by, body=note, request=request)
    return counts


def cancel_invitations(*, user: User, by: User, request: HttpRequest | None = None) -> dict[str, int]:
    """A leaver without care-team places: their pending invitations end (audited); the hand-over counts."""
    with transaction.atomic():
        invited = list(CareTeamMember.objects.select_for_update().filter(user=user, status=MemberStatus.INVITED))
        for place in invited:
            place.status, place.removed_at, place.removed_by = MemberStatus.REMOVED, timezone.now(), by
            place.save(update_fields=["status", "removed_at", "removed_by"])
            record(action=Action.DELETE, request=request, actor=by, obj=place, patient=place.patient_id,
                   detail="invitation cancelled")
    return {"moved": 0, "kept": 0, "vacated": 0, "cancelled": len(invited)}


def _keep_a_manager(place: CareTeamMember, *, by: User, request: HttpRequest | None) -> str:
    """When a leaving manager was the team's last one, its longest-serving active member becomes manager
    (a team is never left without one, as remove_member ensures); the notice's sentence about it."""
    if not place.is_manager:
        return ""
    active = CareTeamMember.objects.filter(patient=place.patient_id, status=MemberStatus.ACTIVE).select_related("user")
    if active.filter(is_manager=True).exists():
        return ""
    heir = active.order_by("invited_at", "pk").first()
    if heir is None:
        return ""
    heir.is_manager = True
    heir.save(update_fields=["is_manager"])
    record(action=Action.UPDATE, request=request, actor=by, obj=heir, patient=place.patient_id, detail="manager=True")
    return f"チーム管理者は {heir.user} さんが引き継ぎました。"
