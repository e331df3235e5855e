"""API of the program records: record consultations (staff, coordinators) and events (staff); read the rest.

Choice fields accept either the code (e.g. "phone") or the Japanese label (e.g. "電話").
Every answer holds the records of the caller's cities only (`municipality`: the city's code); a record of
another city answers 404 like a missing one. Creates take an optional `municipality` (default: the
caller's only city; staff of several cities must name one, 422; a city not theirs answers 404).
"""
import datetime

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from renkei.core.access import choose_municipality, get_in_my_cities_or_404, require_role
from renkei.core.apibase import Detail
from renkei.core.idempotency import idempotent
from renkei.core.wareki import fiscal_year_bounds

from . import selectors, services
from .models import (
    AskerProfession,
    Audience,
    Category,
    Channel,
    Consultation,
    Delivery,
    EventKind,
    EventStatus,
    FollowUpStatus,
    MeetingFormat,
)

router = Router(tags=["records"])
MAX_LIMIT = 200


def _codes(choices):
    return " / ".join(f"{code}（{label}）" for code, label in choices.choices)


def _require(request, *roles):
    require_role(request.user, *roles)


def _choice(value, choices, name):
    """The code for a code or a Japanese label; 422 with the allowed values otherwise."""
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if value == label:
            return code
    raise HttpError(422, f"{name}「{value}」は使えません。使える値：{_codes(choices)}")


# A fiscal year as the Western year it starts in (令和3年度 = 2021); its dates must exist.
FISCAL_YEAR = Field(None, ge=1900, le=2100, description="年度（開始する西暦年、例 2021 = 令和3年度）")


MUNICIPALITY_IN = Field(None, max_length=6, description="記録する市区町村の団体コード（例 13203）。省略時は担当する唯一の市区町村")


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    municipality: str = Field("", max_length=6, description="市区町村の団体コードで絞り込む（担当する市区町村のみ）")


def _city(request, filters):
    return selectors.city_choice(request.user, filters.municipality)


def _page(queryset, paging, serialise):
    count = queryset.count()
    rows = queryset[paging.offset : paging.offset + paging.limit]
    return {"count": count, "items": [serialise(row) for row in rows]}


# --- consultations -----------------------------------------------------------------------------------

class ConsultationIn(Schema):
    received_on: datetime.date
    channel: str = Field(..., description=f"受付方法。コードまたは日本語：{_codes(Channel)}")
    asker_profession: str = Field(..., description=f"相談者。コードまたは日本語：{_codes(AskerProfession)}")
    category: str = Field(..., description=f"相談分類。コードまたは日本語：{_codes(Category)}")
    summary: str = Field(..., min_length=1)
    asker_organisation: str = ""
    response: str = ""
    referral: str = ""
    minutes_spent: int | None = Field(None, ge=0)
    follow_up: str = ""
    follow_up_status: str = Field("none", description=f"フォローアップ状況：{_codes(FollowUpStatus)}")
    patient_id: str = Field("", description="関連する患者のID（呼び出し元が担当チームに入っている患者のみ）")
    municipality: str | None = MUNICIPALITY_IN


class ConsultationOut(Schema):
    id: int
    municipality: str
    received_on: datetime.date
    channel: str
    channel_label: str
    asker_profession: str
    asker_profession_label: str
    asker_organisation: str
    category: str
    category_label: str
    summary: str
    response: str
    referral: str
    minutes_spent: int | None
    follow_up: str
    follow_up_status: str


class ConsultationList(Schema):
    count: int
    items: list[ConsultationOut]


def _consultation(c):
    return {
        "id": c.pk, "municipality": c.municipality.code, "received_on": c.received_on, "channel": c.channel, "channel_label": c.get_channel_display(),
        "asker_profession": c.asker_profession, "asker_profession_label": c.get_asker_profession_display(),
        "asker_organisation": c.asker_organisation, "category": c.category, "category_label": c.get_category_display(),
        "summary": c.summary, "response": c.response, "referral": c.referral, "minutes_spent": c.minutes_spent,
        "follow_up": c.follow_up, "follow_up_status": c.follow_up_status,
    }


@router.post("/consultations", response={201: ConsultationOut, 403: Detail, 404: Detail}, summary="Record a consultation")
@idempotent
def create_consultation(request, payload: ConsultationIn):
    """Record a consultation received at the desk (municipal staff or coordinators)."""
    _require(request, "staff", "coordinator")
    data = payload.dict()
    data["channel"] = _choice(data["channel"], Channel, "受付方法")
    data["asker_profession"] = _choice(data["asker_profession"], AskerProfession, "相談者")
    data["category"] = _choice(data["category"], Category, "相談分類")
    data["follow_up_status"] = _choice(data["follow_up_status"], FollowUpStatus, "フォローアップ状況")
    data["municipality"] = choose_municipality(request.user, data["municipality"])
    patient_id = data.pop("patient_id")
    consultation = services.save_consultation(user=request.user, data=data, patient_id=patient_id, request=request)
    return Status(201, _consultation(consultation))


class ConsultationFilters(Paging):
    q: str = ""
    category: str = ""
    asker: str = ""
    fiscal_year: int | None = FISCAL_YEAR


@router.get("/consultations", response={200: ConsultationList, 403: Detail, 404: Detail}, summary="List consultations")
def list_consultations(request, filters: Query[ConsultationFilters]):
    _require(request, "staff", "coordinator")
    dates = fiscal_year_bounds(filters.fiscal_year) if filters.fiscal_year else (None, None)
    qs = selectors.consultations_search(
        request.user,
        city=_city(request, filters),
        q=filters.q,
        category=_choice(filters.category, Category, "相談分類") if filters.category else "",
        asker=_choice(filters.asker, AskerProfession, "相談者") if filters.asker else "",
        date_from=dates[0],
        date_to=dates[1],
    )
    return _page(qs, filters, _consultation)


@router.get("/consultations/{consultation_id}", response={200: ConsultationOut, 403: Detail, 404: Detail}, summary="One consultation")
def get_consultation(request, consultation_id: int):
    _require(request, "staff", "coordinator")
    return _consultation(
        get_in_my_cities_or_404(request.user, Consultation.objects.select_related("municipality"), consultation_id))


# --- events -------------------------------------------------------------------------------------------

class EventIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: str = Field(..., description=f"種類。コードまたは日本語：{_codes(EventKind)}")
    audience: str = Field(..., description="対象：professionals（医療・介護関係者、項目カ）/ residents（市民、項目キ）")
    starts_on: datetime.date
    ends_on: datetime.date
    participants: int | None = Field(None, ge=0, description="参加者数（名）")
    online_accounts: int | None = Field(None, ge=0, description="オンライン参加のアカウント数")
    theme: str = ""
    delivery: str = Field("", description=f"実施方法：{_codes(Delivery)}。省略時はアカウント数があればオンライン、なければ会場")
    status: str = Field("", description=f"状況：{_codes(EventStatus)}。省略時は参加者数があれば実施")
    venue: str = ""
    registration_required: bool = False
    registered: int | None = Field(None, ge=0, description="申込者数（申込制のとき参加者数はこれを超えられません）")
    municipality: str | None = MUNICIPALITY_IN


class EventOut(Schema):
    id: int
    municipality: str
    title: str
    theme: str
    kind: str
    kind_label: str
    audience: str
    item: str
    delivery: str
    status: str
    venue: str
    starts_on: datetime.date
    ends_on: datetime.date
    registration_required: bool
    registrations: int
    participants: int | None
    online_accounts: int | None


class EventList(Schema):
    count: int
    items: list[EventOut]


def _event(e):
    registrations = getattr(e, "registration_count", None)
    if registrations is None:
        registrations = e.registrations.count()
    return {
        "id": e.pk, "municipality": e.municipality.code, "title": e.title, "theme": e.theme, "kind": e.kind, "kind_label": e.get_kind_display(),
        "audience": e.audience, "item": e.item, "delivery": e.delivery, "status": e.status, "venue": e.venue,
        "starts_on": e.starts_on, "ends_on": e.ends_on, "registration_required": e.registration_required,
        "registrations": registrations or (e.registered_count or 0), "participants": e.participants,
        "online_accounts": e.online_accounts,
    }


@router.post("/events", response={201: EventOut, 403: Detail, 404: Detail}, summary="Record an event (training or outreach)")
@idempotent
def create_event(request, payload: EventIn):
    """Record a training (audience professionals, item カ) or an outreach event (residents, item キ). Staff only."""
    _require(request, "staff")
    data = payload.dict()
    data["kind"] = _choice(data["kind"], EventKind, "種類")
    data["audience"] = _choice(data["audience"], Audience, "対象")
    if data["delivery"]:
        data["delivery"] = _choice(data["delivery"], Delivery, "実施方法")
    else:
        data["delivery"] = Delivery.ONLINE if data["online_accounts"] is not None else Delivery.IN_PERSON
    data["status"] = _choice(data["status"], EventStatus, "状況") if data["status"] else EventStatus.PLANNED
    data["registered_count"] = data.pop("registered")
    data["municipality"] = choose_municipality(request.user, data["municipality"])
    event = services.save_event(user=request.user, data=data, request=request)
    return Status(201, _event(event))


class EventFilters(Paging):
    audience: str = ""
    fiscal_year: int | None = FISCAL_YEAR


@router.get("/events", response={200: EventList, 403: Detail, 404: Detail}, summary="List events")
def list_events(request, filters: Query[EventFilters]):
    _require(request, "staff", "coordinator")
    audience = _choice(filters.audience, Audience, "対象") if filters.audience else ""
    events = selectors.events_list(request.user, audience=audience, fy=filters.fiscal_year, city=_city(request, filters))
    return _page(events, filters, _event)


@router.get("/events/{event_id}", response={200: EventOut, 403: Detail, 404: Detail}, summary="One event")
def get_event(request, event_id: int):
    _require(request, "staff", "coordinator")
    return _event(get_in_my_cities_or_404(request.user, selectors.events_list(request.user), event_id))


# --- council, meetings, issues, pamphlets, regional cooperation ---------------------------------------

class BodyOut(Schema):
    id: int
    municipality: str
    kind: str
    name: str
    items: list[str]
    term_start: datetime.date | None
    term_end: datetime.date | None
    members: list[str]
    meetings: int


def _body(b):
    return {
        "id": b.pk, "municipality": b.municipality.code, "kind": b.kind, "name": b.name, "items": b.items, "term_start": b.term_start, "term_end": b.term_end,
        "members": [m.organisation for m in b.members.all()], "meetings": b.meeting_count,
    }


class BodyList(Schema):
    count: int
    items: list[BodyOut]


@router.get("/council", response={200: BodyList, 403: Detail, 404: Detail}, summary="The council and its subcommittees")
def list_bodies(request, paging: Query[Paging]):
    _require(request, "staff", "coordinator")
    return _page(selectors.bodies_with_members(request.user, _city(request, paging)), paging, _body)


@router.get("/council/{body_id}", response={200: BodyOut, 403: Detail, 404: Detail}, summary="The council or one subcommittee")
def get_body(request, body_id: int):
    _require(request, "staff", "coordinator")
    return _body(get_in_my_cities_or_404(request.user, selectors.bodies_with_members(request.user), body_id))


class MeetingOut(Schema):
    id: int
    municipality: str
    body: str
    body_id: int
    held_on: datetime.date
    title: str
    format: str
    agenda: str
    attendees: list[str]
    minutes: str
    attachments: int


class MeetingList(Schema):
    count: int
    items: list[MeetingOut]


def _meeting(m):
    return {
        "id": m.pk, "municipality": m.body.municipality.code, "body": m.body.name, "body_id": m.body_id, "held_on": m.held_on, "title": m.title, "format": m.format,
        "agenda": m.agenda, "attendees": m.attendee_list, "minutes": m.minutes, "attachments": m.attachment_count,
    }


class MeetingFilters(Paging):
    body_id: int | None = None


@router.get("/meetings", response={200: MeetingList, 403: Detail, 404: Detail}, summary="Meetings of the council and subcommittees")
def list_meetings(request, filters: Query[MeetingFilters]):
    _require(request, "staff", "coordinator")
    qs = selectors.meetings_list(request.user, city=_city(request, filters))
    if filters.body_id:
        qs = qs.filter(body_id=filters.body_id)
    return _page(qs, filters, _meeting)


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, 403: Detail, 404: Detail}, summary="One meeting")
def get_meeting(request, meeting_id: int):
    _require(request, "staff", "coordinator")
    return _meeting(get_in_my_cities_or_404(request.user, selectors.meetings_list(request.user), meeting_id))


class CountermeasureOut(Schema):
    id: int
    description: str
    item: str
    owner: str
    due_on: datetime.date | None
    progress: str
    progress_label: str


class IssueOut(Schema):
    id: int
    municipality: str
    body: str
    title: str
    description: str
    item: str
    raised_on: datetime.date
    status: str
    countermeasures: list[CountermeasureOut]


class IssueList(Schema):
    count: int
    items: list[IssueOut]


def _issue(i):
    return {
        "id": i.pk, "municipality": i.body.municipality.code, "body": i.body.name, "title": i.title, "description": i.description, "item": i.item,
        "raised_on": i.raised_on, "status": i.status,
        "countermeasures": [
            {"id": c.pk, "description": c.description, "item": c.item, "owner": c.owner, "due_on": c.due_on,
             "progress": c.progress, "progress_label": c.get_progress_display()}
            for c in i.countermeasures.all()
        ],
    }


class IssueFilters(Paging):
    item: str = ""
    status: str = ""


@router.get("/issues", response={200: IssueList, 403: Detail, 404: Detail}, summary="Issues (課題) and their countermeasures (対応策)")
def list_issues(request, filters: Query[IssueFilters]):
    _require(request, "staff", "coordinator")
    issues = selectors.issues_list(request.user, item=filters.item, status=filters.status, city=_city(request, filters))
    return _page(issues, filters, _issue)


@router.get("/issues/{issue_id}", response={200: IssueOut, 403: Detail, 404: Detail}, summary="One issue")
def get_issue(request, issue_id: int):
    _require(request, "staff", "coordinator")
    return _issue(get_in_my_cities_or_404(request.user, selectors.issues_list(request.user), issue_id))


class RegionalOut(Schema):
    id: int
    municipality: str = Field(..., description="記録した市区町村の団体コード")
    participants: list[str] = Field(..., description="ほかに参加した市区町村の団体コード")
    title: str
    counterpart: str
    held_on: datetime.date
    format: str
    format_label: str
    summary: str


class RegionalList(Schema):
    count: int
    items: list[RegionalOut]


def _regional(r):
    return {"id": r.pk, "municipality": r.municipality.code,
            "participants": [m.code for m in r.participants.all()], "title": r.title, "counterpart": r.counterpart, "held_on": r.held_on, "format": r.format,
            "format_label": MeetingFormat(r.format).label, "summary": r.summary}


@router.get("/regional-activities", response={200: RegionalList, 403: Detail, 404: Detail}, summary="Cooperation with other municipalities (ク)")
def list_regional(request, paging: Query[Paging]):
    _require(request, "staff", "coordinator")
    return _page(selectors.regional_activities(request.user, _city(request, paging)), paging, _regional)


@router.get("/regional-activities/{activity_id}", response={200: RegionalOut, 403: Detail, 404: Detail}, summary="One regional activity")
def get_regional(request, activity_id: int):
    _require(request, "staff", "coordinator")
    return _regional(get_in_my_cities_or_404(request.user, selectors.regional_activities(request.user), activity_id))


class EditionOut(Schema):
    edition: str
    published_on: datetime.date
    print_run: int
    distributed: int


class PamphletOut(Schema):
    id: int
    municipality: str
    title: str
    editions: list[EditionOut]


class PamphletList(Schema):
    count: int
    items: list[PamphletOut]


def _pamphlet(p):
    return {
        "id": p.pk, "municipality": p.municipality.code, "title": p.title,
        "editions": [
            {"edition": e.edition, "published_on": e.published_on, "print_run": e.print_run, "distributed": e.distributed or 0}
            for e in p.editions.all()
        ],
    }


@router.get("/pamphlets", response={200: PamphletList, 403: Detail, 404: Detail}, summary="Pamphlets, editions and distribution")
def list_pamphlets(request, paging: Query[Paging]):
    _require(request, "staff", "coordinator")
    return _page(selectors.pamphlets_with_editions(request.user, _city(request, paging)).order_by("title"), paging,
                 _pamphlet)


@router.get("/pamphlets/{pamphlet_id}", response={200: PamphletOut, 403: Detail, 404: Detail}, summary="One pamphlet")
def get_pamphlet(request, pamphlet_id: int):
    _require(request, "staff", "coordinator")
    return _pamphlet(get_in_my_cities_or_404(request.user, selectors.pamphlets_with_editions(request.user), pamphlet_id))

