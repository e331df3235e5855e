"""Case conferences (退院時カンファレンス, サービス担当者会議, 地域ケア会議の個別ケース検討) on a patient's team.

A team member schedules one with invitations (team members, and people outside Renkei named in words);
each invited member answers; after the conference its record, attendance (in person / online / absent)
and action items are saved and posted to the team timeline, linked to the sheets discussed. Every write
is audited; errors are `AppError` with a Japanese message and nothing half-saved.
"""
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from renkei.core import access
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import User
from renkei.core.wareki import format_era_date as era_date
from renkei.network.models import MemberStatus, NotificationKind
from renkei.network.services import _notify, create_post, post_notice

from .models import (
    Attendance,
    CaseConference,
    ConferenceAction,
    ConferenceAttendee,
    ConferenceKind,
    ConferenceStatus,
    InvitationAnswer,
    Sheet,
)

MAX_OUTSIDE_ATTENDEES = 20
MAX_ACTIONS = 30


@dataclass(frozen=True)
class Outsider:
    """Someone invited who has no Renkei account: a name and a profession or affiliation."""

    name: str
    role: str = ""


@dataclass(frozen=True)
class ActionItem:
    text: str
    owner: User | None = None
    due_on: datetime.date | None = None


def _when(value):
    local = timezone.localtime(value)
    return f"{era_date(local.date())} {local:%H:%M}"


def team_users(patient):
    """The active members of the patient's team (who may be invited or own an action item)."""
    return (User.objects.filter(care_teams__patient=patient, care_teams__status=MemberStatus.ACTIVE)
            .distinct().order_by("name_kana", "id"))


def _require_member(user, patient):
    if not access.is_team_member(user, patient):
        raise AppError("この患者のケアチームのメンバーではありません。", status=404)


def _check_invitees(patient, invitees):
    allowed = set(team_users(patient).values_list("pk", flat=True))
    strangers = [u for u in invitees if u.pk not in allowed]
    if strangers:
        raise AppError("招待できるのはこの患者のケアチームのメンバーだけです。", field="invitees")


def _check_sheets(patient, sheets):
    if any(sheet.patient_id != patient.pk for sheet in sheets):
        raise AppError("検討する連携シートはこの患者のものを選んでください。", field="sheets")


def schedule(*, user, patient, kind, scheduled_at, place="", online_url="", agenda="", invitees=(),
             outsiders=(), sheets=(), request=None):
    """Schedule a conference on the patient's team; invited members get a notification, the timeline a notice."""
    _require_member(user, patient)
    if kind not in ConferenceKind.values:
        raise AppError("カンファレンスの種類が正しくありません。", field="kind")
    if not place.strip() and not online_url.strip():
        raise AppError("場所またはオンライン参加の URL を入力してください。", field="place")
    if len(outsiders) > MAX_OUTSIDE_ATTENDEES:
        raise AppError(f"Renkei 外の参加者は {MAX_OUTSIDE_ATTENDEES} 人までです。", field="outsiders")
    invitees = [u for u in dict.fromkeys(invitees) if u.pk != user.pk]
    _check_invitees(patient, invitees)
    _check_sheets(patient, sheets)
    with transaction.atomic():
        conference = CaseConference.objects.create(
            patient=patient, kind=kind, scheduled_at=scheduled_at, place=place.strip(),
            online_url=online_url.strip(), agenda=agenda.strip(), organiser=user)
        conference.sheets.set(sheets)
        ConferenceAttendee.objects.bulk_create(
            [ConferenceAttendee(conference=conference, user=user, answer=InvitationAnswer.ACCEPTED,
                                answered_at=timezone.now())]
            + [ConferenceAttendee(conference=conference, user=u) for u in invitees]
            + [ConferenceAttendee(conference=conference, name=o.name.strip(), role=o.role.strip())
               for o in outsiders if o.name.strip()])
        notice = post_notice(patient=patient, author=user, request=request,
                             body=f"{conference.get_kind_display()}を予定しました（{_when(scheduled_at)}）。")
        _notify([u.pk for u in invitees], kind=NotificationKind.CONFERENCE, actor=user, patient=patient,
                post=notice)
        record(action=Action.CREATE, request=request, actor=user, obj=conference, patient=patient,
               detail=f"conference {kind} invited={len(invitees)}+{len(outsiders)}")
    return conference


def _editable(conference):
    if conference.status != ConferenceStatus.SCHEDULED:
        raise AppError(f"このカンファレンスは{conference.get_status_display()}です。", status=409)


def answer(*, user, conference, accept, request=None):
    """An invited member answers: will attend or not."""
    _editable(conference)
    attendee = conference.attendees.filter(user=user).first()
    if attendee is None:
        raise AppError("このカンファレンスに招待されていません。", status=403)
    attendee.answer = InvitationAnswer.ACCEPTED if accept else InvitationAnswer.DECLINED
    attendee.answered_at = timezone.now()
    with transaction.atomic():
        attendee.save(update_fields=["answer", "answered_at"])
        record(action=Action.UPDATE, request=request, actor=user, obj=conference, patient=conference.patient_id,
               detail=f"conference answer {attendee.answer}")
    return attendee


def cancel(*, user, conference, reason, request=None):
    _require_member(user, conference.patient)
    _editable(conference)
    reason = (reason or "").strip()
    if not reason:
        raise AppError("中止の理由を入力してください。", field="reason")
    conference.status = ConferenceStatus.CANCELLED
    conference.cancel_reason = reason[:200]
    with transaction.atomic():
        conference.save(update_fields=["status", "cancel_reason"])
        post_notice(patient=conference.patient, author=user, request=request,
                    body=f"{_when(conference.scheduled_at)}の{conference.get_kind_display()}は中止になりました。")
        record(action=Action.UPDATE, request=request, actor=user, obj=conference, patient=conference.patient_id,
               detail="conference cancelled")
    return conference


def record_held(*, user, conference, held_at, text, attendance, actions=(), request=None):
    """Save what was decided: the record, each attendee's attendance ({attendee id: Attendance}) and the
    action items; the record goes on the team timeline as a post (it needs the patient's consent)."""
    _require_member(user, conference.patient)
    _editable(conference)
    text = (text or "").strip()
    if not text:
        raise AppError("記録を入力してください。", field="record")
    if held_at > timezone.now() + datetime.timedelta(minutes=5):
        raise AppError("開催日時に未来の日時は入力できません。", field="held_at")
    if len(actions) > MAX_ACTIONS:
        raise AppError(f"行動予定は {MAX_ACTIONS} 件までです。", field="actions")
    attendees = {a.pk: a for a in conference.attendees.select_related("user")}
    if set(attendance) - set(attendees) or set(attendance.values()) - set(Attendance.values):
        raise AppError("出欠の内容が正しくありません。", field="attendance")
    members = set(team_users(conference.patient).values_list("pk", flat=True))
    if any(item.owner is not None and item.owner.pk not in members for item in actions):
        raise AppError("行動予定の担当はケアチームのメンバーから選んでください。", field="actions")
    with transaction.atomic():
        for pk, mode in attendance.items():
            attendees[pk].attendance = mode
        ConferenceAttendee.objects.bulk_update(attendees.values(), ["attendance"])
        ConferenceAction.objects.bulk_create([
            ConferenceAction(conference=conference, text=item.text.strip()[:300], owner=item.owner,
                             due_on=item.due_on) for item in actions if item.text.strip()])
        post = create_post(author=user, patient=conference.patient, request=request,
                           body=record_text(conference, held_at, text, attendees.values(), actions))
        conference.status = ConferenceStatus.HELD
        conference.held_at = held_at
        conference.record = text
        conference.recorded_by = user
        conference.record_post = post
        conference.save(update_fields=["status", "held_at", "record", "recorded_by", "record_post"])
        record(action=Action.UPDATE, request=request, actor=user, obj=conference, patient=conference.patient_id,
               detail=f"conference held actions={len(actions)}")
    return conference


def record_text(conference, held_at, text, attendees, actions):
    """The timeline post of a held conference: when, who attended how, the record, the action items, the sheets."""
    lines = [f"【{conference.get_kind_display()} 記録】{_when(held_at)}"]
    present = [f"{a.user.name if a.user else a.name}（{a.get_attendance_display()}）"
               for a in attendees if a.attendance in (Attendance.IN_PERSON, Attendance.ONLINE)]
    if present:
        lines.append("出席：" + "、".join(present))
    lines += ["", text]
    if actions:
        lines += ["", "行動予定："]
        for item in actions:
            owner = f"（担当 {item.owner.name}" if item.owner else "（"
            due = f"、期限 {era_date(item.due_on)}）" if item.due_on else "）"
            lines.append(f"・{item.text.strip()}{owner}{due}".replace("（）", ""))
    sheets = list(conference.sheets.all())
    if sheets:
        lines += ["", "検討した連携シート：" + "、".join(f"{s.get_kind_display()} 第{s.version}版" for s in sheets)]
    return "\n".join(lines)


def complete_action(*, user, action, request=None):
    conference = action.conference
    _require_member(user, conference.patient)
    if action.done_at is None:
        action.done_at = timezone.now()
        with transaction.atomic():
            action.save(update_fields=["done_at"])
            record(action=Action.UPDATE, request=request, actor=user, obj=conference,
                   patient=conference.patient_id, detail=f"conference action {action.pk} done")
    return action


def sheets_to_discuss(patient):
    """The patient's sheets a conference can be linked to, newest first."""
    return Sheet.objects.filter(patient=patient).order_by("-created_at", "-id")
