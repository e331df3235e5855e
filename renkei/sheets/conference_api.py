"""HTTP API of case conferences (mounted at "/" with full paths): list, schedule, read, answer, record."""
import datetime

from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from renkei.core import access
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.idempotency import idempotent

from . import conferences
from .models import Attendance, ConferenceKind

router = Router(tags=["conferences"])


class AttendeeOut(Schema):
    id: int
    user_id: int | None
    name: str
    role: str
    answer: str
    attendance: str


class ActionOut(Schema):
    id: int
    text: str
    owner_id: int | None
    due_on: datetime.date | None
    done_at: datetime.datetime | None


class ConferenceOut(Schema):
    id: int
    patient_id: int
    kind: str
    kind_label: str
    status: str
    scheduled_at: datetime.datetime
    place: str
    online_url: str
    agenda: str
    organiser_id: int
    sheet_ids: list[int]
    held_at: datetime.datetime | None
    record: str
    record_post_id: int | None
    attendees: list[AttendeeOut]
    actions: list[ActionOut]


class ConferenceItem(Schema):
    id: int
    kind: str
    status: str
    scheduled_at: datetime.datetime
    held_at: datetime.datetime | None


class ConferenceList(Schema):
    count: int
    items: list[ConferenceItem]


class OutsiderIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    role: str = Field("", max_length=100)


class ConferenceIn(Schema):
    kind: ConferenceKind
    scheduled_at: datetime.datetime
    place: str = Field("", max_length=200)
    online_url: str = Field("", max_length=200)
    agenda: str = Field("", max_length=2000)
    invitee_ids: list[int] = Field(default_factory=list, max_length=100)
    outsiders: list[OutsiderIn] = Field(default_factory=list, max_length=conferences.MAX_OUTSIDE_ATTENDEES)
    sheet_ids: list[int] = Field(default_factory=list, max_length=50)


class AnswerIn(Schema):
    accept: bool


class ActionIn(Schema):
    text: str = Field(min_length=1, max_length=300)
    owner_id: int | None = None
    due_on: datetime.date | None = None


class RecordIn(Schema):
    held_at: datetime.datetime
    record: str = Field(min_length=1, max_length=8000)
    attendance: dict[int, Attendance] = Field(default_factory=dict)
    actions: list[ActionIn] = Field(default_factory=list, max_length=conferences.MAX_ACTIONS)


def _out(conference):
    return {
        "id": conference.pk, "patient_id": conference.patient_id, "kind": conference.kind,
        "kind_label": conference.get_kind_display(), "status": conference.status,
        "scheduled_at": conference.scheduled_at, "place": conference.place, "online_url": conference.online_url,
        "agenda": conference.agenda, "organiser_id": conference.organiser_id,
        "sheet_ids": [s.pk for s in conference.sheets.all()], "held_at": conference.held_at,
        "record": conference.record, "record_post_id": conference.record_post_id,
        "attendees": [{"id": a.pk, "user_id": a.user_id, "name": a.user.name if a.user else a.name, "role": a.role,
                       "answer": a.answer, "attendance": a.attendance}
                      for a in conference.attendees.select_related("user")],
        "actions": [{"id": x.pk, "text": x.text, "owner_id": x.owner_id, "due_on": x.due_on, "done_at": x.done_at}
                    for x in conference.actions.all()],
    }


def _team_users(patient, ids, field):
    found = list(conferences.team_users(patient).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise AppError("指定できるのはこの患者のケアチームのメンバーだけです。", status=422, field=field)
    return found


@router.get("/patients/{patient_id}/conferences", response=ConferenceList, summary="A patient's case conferences")
def list_conferences(request, patient_id: str, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    found = access.conferences_visible_to(request.user).filter(patient=patient).order_by("-scheduled_at", "-id")
    items = list(found[offset: offset + limit])
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="conferences list")
    return {"count": found.count(), "items": [{"id": c.pk, "kind": c.kind, "status": c.status,
                                              "scheduled_at": c.scheduled_at, "held_at": c.held_at} for c in items]}


@router.post("/patients/{patient_id}/conferences", response={201: ConferenceOut, 400: Detail, 422: Detail},
             summary="Schedule a case conference on the patient's team")
@idempotent
def schedule_conference(request, patient_id: str, payload: ConferenceIn):
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    invitees = _team_users(patient, payload.invitee_ids, "invitee_ids")
    sheets = list(conferences.sheets_to_discuss(patient).filter(pk__in=payload.sheet_ids))
    if len(sheets) != len(set(payload.sheet_ids)):
        raise AppError("検討する連携シートはこの患者のものを選んでください。", status=422, field="sheet_ids")
    conference = conferences.schedule(
        user=request.user, patient=patient, kind=payload.kind, scheduled_at=payload.scheduled_at,
        place=payload.place, online_url=payload.online_url, agenda=payload.agenda, invitees=invitees,
        outsiders=[conferences.Outsider(o.name, o.role) for o in payload.outsiders], sheets=sheets,
        request=request)
    return Status(201, _out(conference))


@router.get("/conferences/{conference_id}", response=ConferenceOut, summary="One case conference")
def get_conference(request, conference_id: str):
    conference = access.get_visible_conference_or_404(request.user, conference_id)
    record(action=Action.READ, request=request, obj=conference, patient=conference.patient_id, detail="conference")
    return _out(conference)


@router.post("/conferences/{conference_id}/answer", response={200: ConferenceOut, 403: Detail, 409: Detail},
             summary="Answer an invitation (attend or not)")
@idempotent
def answer_conference(request, conference_id: str, payload: AnswerIn):
    conference = access.get_visible_conference_or_404(request.user, conference_id)
    conferences.answer(user=request.user, conference=conference, accept=payload.accept, request=request)
    return _out(conference)


@router.post("/conferences/{conference_id}/record", response={200: ConferenceOut, 400: Detail, 409: Detail,
                                                                422: Detail},
             summary="Record a held conference (posted to the team timeline)")
@idempotent
def record_conference(request, conference_id: str, payload: RecordIn):
    conference = access.get_visible_conference_or_404(request.user, conference_id)
    owners = {u.pk: u for u in _team_users(conference.patient, {a.owner_id for a in payload.actions if a.owner_id},
                                           "actions")}
    conferences.record_held(
        user=request.user, conference=conference, held_at=payload.held_at, text=payload.record,
        attendance={k: v.value for k, v in payload.attendance.items()}, request=request,
        actions=[conferences.ActionItem(a.text, owners.get(a.owner_id), a.due_on) for a in payload.actions])
    return _out(conference)
