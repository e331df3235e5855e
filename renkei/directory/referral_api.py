"""API of what professionals share: consultation windows, capacity and referral requests (token needed)."""
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from renkei.core.apibase import Detail
from renkei.core.idempotency import idempotent

from . import referrals, selectors, windows

router = Router(tags=["directory (professionals)"])
MAX_LIMIT = 100


def _professional(request):
    if not windows.is_professional_account(request.user):
        raise PermissionDenied(referrals.NOT_A_PROFESSIONAL)


class WindowOut(Schema):
    facility_id: int
    facility: str
    kind: str
    municipality: str
    weekday: int
    weekday_label: str
    starts_at: time
    ends_at: time
    channel: str
    direct_number: str
    note: str


class WindowList(Schema):
    count: int
    items: list[WindowOut]


class WindowQuery(Schema):
    municipality: str = ""
    kind: str = ""
    q: str = ""
    when: str = ""
    limit: int = 50
    offset: int = 0


@router.get("/directory/windows", response={200: WindowList, 403: Detail}, summary="Consultation windows (ケアマネタイム)")
def list_windows(request, filters: Query[WindowQuery]):
    """Published windows; `when` = `today` or `now` keeps those of today or open at this moment. Professionals only."""
    _professional(request)
    if not (1 <= filters.limit <= MAX_LIMIT) or filters.offset < 0 or filters.when not in ("", "today", "now"):
        raise HttpError(400, f"limit は 1〜{MAX_LIMIT}、offset は 0 以上、when は today か now で指定してください。")
    now = timezone.now()
    try:
        qs = windows.windows_list(municipality=filters.municipality, kind=filters.kind, q=filters.q,
                                  now=now if filters.when == "now" else None,
                                  today_only=timezone.localdate(now) if filters.when == "today" else None)
    except selectors.SearchError as error:
        raise HttpError(400, str(error))
    rows = qs[filters.offset:filters.offset + filters.limit]
    return {"count": qs.count(), "items": [{
        "facility_id": w.facility_id, "facility": w.facility.name, "kind": w.facility.kind,
        "municipality": w.facility.municipality.name, "weekday": w.weekday, "weekday_label": w.get_weekday_display(),
        "starts_at": w.starts_at, "ends_at": w.ends_at, "channel": w.channel, "direct_number": w.direct_number,
        "note": w.note} for w in rows]}


class CapacityIn(Schema):
    accepting_new: bool
    flags: list[str] = []
    languages: str = ""
    note: str = ""


class CapacityOut(Schema):
    facility_id: int
    accepting_new: bool | None
    flags: list[str]
    languages: str
    note: str
    confirmed_on: date | None


@router.put("/facilities/{facility_id}/capacity", response={200: CapacityOut, 403: Detail},
            summary="Confirm a provider's capacity now")
def put_capacity(request, facility_id: int, payload: CapacityIn):
    """Members of the facility (and municipal staff) confirm today whether it takes new patients, with what."""
    capacity = windows.confirm_capacity(user=request.user, facility_id=facility_id, request=request,
                                        **payload.dict())
    return {"facility_id": facility_id, "accepting_new": capacity.accepting_new,
            "flags": [f for f in windows.CAPACITY_FLAGS if getattr(capacity, f)], "languages": capacity.languages,
            "note": capacity.note, "confirmed_on": capacity.confirmed_on}


class ReferralIn(Schema):
    facility_ids: list[int]
    need: str
    place: str = ""
    patient_id: int | None = None


class AnswerOut(Schema):
    id: int
    facility_id: int
    facility: str
    status: str
    reason: str
    answered_at: datetime | None
    invited: bool


class ReferralOut(Schema):
    id: int
    need: str
    place: str
    created_at: datetime
    answers: list[AnswerOut]


def _referral(referral):
    return {"id": referral.pk, "need": referral.need, "place": referral.place, "created_at": referral.created_at,
            "answers": [{"id": a.pk, "facility_id": a.facility_id, "facility": a.facility.name, "status": a.status,
                         "reason": a.reason, "answered_at": a.answered_at, "invited": a.invited}
                        for a in referral.answers.all()]}


@router.post("/referrals", response={201: ReferralOut, 403: Detail}, summary="Send one referral request to providers")
@idempotent
def create_referral(request, payload: ReferralIn):
    """One request (the need, no personal data) to up to 10 providers; a patient the sender manages may be named."""
    referral = referrals.send_request(user=request.user, facility_ids=payload.facility_ids, need=payload.need,
                                      place=payload.place, patient_id=payload.patient_id, request=request)
    return Status(201, _referral(referrals.sent_by(request.user).get(pk=referral.pk)))


@router.get("/referrals/{referral_id}", response={200: ReferralOut, 403: Detail}, summary="A request one sent")
def get_referral(request, referral_id: int):
    """The request with each provider's answer and its time (the sender only)."""
    _professional(request)
    return _referral(referrals.get_sent_or_404(request.user, referral_id))


class AnswerIn(Schema):
    accept: bool
    reason: str = ""


@router.post("/referrals/answers/{answer_id}", response={200: AnswerOut, 403: Detail},
             summary="Accept or decline a request to one's facility")
@idempotent
def answer_referral(request, answer_id: int, payload: AnswerIn):
    """A member of the asked provider answers; accepting a request that names a patient invites them to the team."""
    answer = referrals.answer_request(user=request.user, answer_id=answer_id, accept=payload.accept,
                                      reason=payload.reason, request=request)
    return {"id": answer.pk, "facility_id": answer.facility_id, "facility": answer.facility.name,
            "status": answer.status, "reason": answer.reason, "answered_at": answer.answered_at,
            "invited": answer.invited}
