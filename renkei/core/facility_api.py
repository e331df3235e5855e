"""The facility administrator's API (施設管理者): the facility's people, the CSV of registrations and
withdrawals (a preview with `dry_run=1`, then applied all at once), and one member's withdrawal with the
hand-over of their care-team places. Every call starts from renkei.core.access: another facility's person
answers 404, a caller who administers no facility 403."""
import datetime

from ninja import File, Router, Schema
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from . import facility_staff
from .access import choose_administered_facility, get_facility_person_or_404
from .api import TokenRequest
from .audit import Action, record
from .facility_staff import Line, ListedPerson
from .idempotency import idempotent

router = Router(tags=["facility"])


class PersonOut(Schema):
    id: int
    username: str
    name: str
    name_kana: str
    profession: str
    profession_label: str
    email: str
    status: str
    approved_on: datetime.date | None
    withdrawn_on: datetime.date | None
    second_factor: bool
    care_team_places: int


class FacilityOut(Schema):
    id: int
    name: str


class PeopleOut(Schema):
    facility: FacilityOut
    count: int
    items: list[PersonOut]


def _person(user: ListedPerson) -> PersonOut:
    return PersonOut(id=user.pk, username=user.username, name=user.name, name_kana=user.name_kana,
                     profession=user.profession, profession_label=user.get_profession_display(), email=user.email,
                     status=user.registration_status, approved_on=user.approved_on, withdrawn_on=user.withdrawn_on,
                     second_factor=user.has_second_factor, care_team_places=user.places)


@router.get("/facility/members", response=PeopleOut, summary="The facility's people (facility administrator)")
def list_people(request: TokenRequest, facility: int | None = None, second_factor: str = "", status: str = "",
                q: str = "", limit: int = 50, offset: int = 0) -> dict[str, object]:
    """The people of the facility the caller administers (`facility`: its id, needed only by administrators
    of several). `second_factor=missing` lists those who have not enrolled the second factor; `status` one
    registration status (`approved`, `withdrawn`). Counts of care-team places only, never patients."""
    chosen = choose_administered_facility(request.user, facility)
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = facility_staff.people(chosen, second_factor=second_factor, status=status, query=q.strip())
    record(action=Action.READ, request=request, obj=chosen, detail="facility people")
    return {"facility": {"id": chosen.pk, "name": chosen.name}, "count": qs.count(),
            "items": [_person(u) for u in qs[offset:offset + limit]]}


class LineOut(Schema):
    line: int
    operation: str
    email: str
    name: str
    outcome: str
    errors: list[str]


class PreviewOut(Schema):
    dry_run: bool
    ok: bool
    registered: int
    withdrawn: int
    lines: list[LineOut]
    problems: list[str]


def _line(line: Line) -> LineOut:
    return LineOut(line=line.number, operation=line.operation, email=line.email,
                   name=line.name or str(line.person or ""), outcome=line.outcome, errors=line.errors)


@router.post("/facility/members/csv", response={200: PreviewOut}, summary="Register and withdraw staff from a CSV")
@idempotent
def import_people(request: TokenRequest, file: File[UploadedFile], dry_run: bool = False,
                  facility: int | None = None) -> dict[str, object]:
    """A CSV file (multipart field `file`, UTF-8 or CP932) with the columns 氏名, ふりがな, 職種, メールアドレス,
    操作 (登録 or 退職) and optionally 後任メールアドレス (who takes over a leaver's care-team places).

    `dry_run=1`: the preview — per line what would happen or why it cannot (line numbers as in the file);
    nothing is written. Without it: every line is applied in one transaction, or, when any line has a
    problem, nothing, and the answer is 422 with one problem per line (`loc` ["file", line])."""
    chosen = choose_administered_facility(request.user, facility)
    text = facility_staff.decode(file.read(facility_staff.MAX_BYTES + 1))
    if dry_run:
        plan = facility_staff.plan_file(facility=chosen, text=text, by=request.user)
    else:
        try:
            plan = facility_staff.apply_file(request=request, facility=chosen, text=text, by=request.user)
        except facility_staff.PlanRefused as refused:
            raise ValidationError([{"loc": ["file", number], "msg": f"{number}行目：{message}", "type": "value_error"}
                                   for number, message in refused.plan.problems])
    return {"dry_run": dry_run, "ok": plan.ok, "registered": plan.count(facility_staff.REGISTER),
            "withdrawn": plan.count(facility_staff.WITHDRAW), "lines": [_line(line) for line in plan.lines],
            "problems": [f"{number}行目：{message}" for number, message in plan.problems]}


class WithdrawIn(Schema):
    successor: int | None = None


class WithdrawOut(Schema):
    id: int
    status: str
    successor: int | None
    moved: int
    kept: int
    vacated: int
    cancelled: int


@router.post("/facility/members/{member_id}/withdraw", response={200: WithdrawOut},
             summary="Withdraw one member; a colleague takes over their care-team places")
@idempotent
def withdraw_person(request: TokenRequest, member_id: int, payload: WithdrawIn,
                    facility: int | None = None) -> dict[str, object]:
    """The member leaves the facility and the network (tokens revoked, sessions ended); `successor` (a
    colleague of the same facility) takes over their places in care teams. Required when the member holds
    any; another facility's member or colleague answers 404."""
    chosen = choose_administered_facility(request.user, facility)
    person = get_facility_person_or_404(request.user, chosen, member_id)
    successor = (get_facility_person_or_404(request.user, chosen, payload.successor)
                 if payload.successor is not None else None)
    counts = facility_staff.withdraw_person(request=request, facility=chosen, person=person, successor=successor,
                                            by=request.user)
    return {"id": person.pk, "status": "withdrawn", "successor": successor.pk if successor else None, **counts}
