"""HTTP API of coordination sheets, back-bed requests (mounted at "/" with full paths)."""
import datetime

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.idempotency import idempotent
from renkei.core.models import Facility, User
from renkei.network.selectors import get_visible_patient_or_404

from . import backbed, selectors, services
from .exports import fhir_response, pdf_response
from .models import BackBedHospital, BackBedReason, SheetKind
from .presentation import stage_label

router = Router(tags=["sheets"])


class SheetItem(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    version: int
    created_at: datetime.datetime
    document_date: datetime.date
    sent_at: datetime.datetime | None
    superseded: bool


class SheetList(Schema):
    count: int
    items: list[SheetItem]


class DeliveryOut(Schema):
    facility_id: int
    facility: str
    sent_at: datetime.datetime
    received_at: datetime.datetime | None
    received_by: str | None


class StageOut(Schema):
    position: int
    stage: str
    label: str
    content: dict
    answered_by: str
    answered_at: datetime.datetime


class SheetOut(Schema):
    id: int
    series: str
    version: int
    kind: str
    kind_label: str
    status: str
    patient_id: int
    author: str
    content: dict
    document_date: datetime.date
    created_at: datetime.datetime
    finalised_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    deliveries: list[DeliveryOut]
    stages: list[StageOut]
    next_stage: str | None
    versions: list[int]


class SheetIn(Schema):
    kind: SheetKind
    content: dict


class ContentIn(Schema):
    content: dict


class SendIn(Schema):
    addressee_ids: list[int] = Field(default_factory=list)
    facility_id: int | None = None


class StageIn(Schema):
    content: dict
    next_facility_id: int | None = None


def _item(sheet):
    return {
        "id": sheet.pk, "kind": sheet.kind, "kind_label": sheet.get_kind_display(), "status": sheet.status,
        "version": sheet.version, "created_at": sheet.created_at, "document_date": sheet.document_date,
        "sent_at": sheet.sent_at, "superseded": getattr(sheet, "is_superseded", False),
    }


def _detail(sheet, user):
    deliveries = selectors.deliveries_of(sheet)
    stages = selectors.stages_of(sheet)
    step = services.next_stage(sheet) if sheet.kind in services.ROUTES else None
    return {
        "id": sheet.pk, "series": str(sheet.series), "version": sheet.version, "kind": sheet.kind,
        "kind_label": sheet.get_kind_display(), "status": sheet.status, "patient_id": sheet.patient_id,
        "author": str(sheet.author), "content": sheet.content, "document_date": sheet.document_date,
        "created_at": sheet.created_at, "finalised_at": sheet.finalised_at, "sent_at": sheet.sent_at,
        "deliveries": [
            {"facility_id": d.facility_id, "facility": d.facility.name, "sent_at": d.sent_at,
             "received_at": d.received_at, "received_by": str(d.received_by) if d.received_by else None}
            for d in deliveries
        ],
        "stages": [
            {"position": s.position, "stage": s.stage, "label": stage_label(sheet.kind, s.stage), "content": s.content,
             "answered_by": str(s.answered_by), "answered_at": s.answered_at}
            for s in stages
        ],
        "next_stage": step.next_stage if step else None,
        "versions": list(selectors.versions_of(sheet, user).values_list("version", flat=True)),
    }


def _sheet(request, sheet_id):
    return selectors.get_visible_sheet_or_404(request.user, sheet_id)  # a refusal is audited by the API handler


def _act(request, sheet_id, service, **fields):
    """service(sheet=, user=, request=, **fields) on the caller's visible sheet; its result."""
    return service(sheet=_sheet(request, sheet_id), user=request.user, request=request, **fields)


@router.get("/patients/{patient_id}/sheets", response=SheetList, summary="A patient's sheets")
def list_sheets(request, patient_id: str, kind: SheetKind | None = None,
                limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    """All versions of the patient's sheets, newest first (404 unless the caller is on the care team)."""
    patient = get_visible_patient_or_404(request.user, patient_id)
    queryset = selectors.sheets_of_patient(patient, kind=kind)
    items = list(queryset[offset: offset + limit])
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="sheets list")
    return {"count": queryset.count(), "items": [_item(s) for s in items]}


@router.post("/patients/{patient_id}/sheets", response={201: SheetOut, 400: Detail},
             summary="Write a draft sheet")
@idempotent
def create_sheet(request, patient_id: str, payload: SheetIn):
    patient = get_visible_patient_or_404(request.user, patient_id)
    sheet = services.create_sheet(patient=patient, author=request.user, kind=payload.kind,
                                  content=payload.content, request=request)
    return Status(201, _detail(sheet, request.user))


@router.get("/sheets/received", response=SheetList, summary="Sheets received by my liaison office")
def received(request, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    deliveries = selectors.received_sheets(request.user)
    page = list(deliveries[offset: offset + limit])
    record(action=Action.READ, request=request, detail="received sheets")
    return {"count": deliveries.count(), "items": [_item(d.sheet) for d in page]}


@router.get("/sheets/{sheet_id}", response=SheetOut, summary="One sheet")
def get_sheet(request, sheet_id: str):
    sheet = _sheet(request, sheet_id)
    services.record_read(request=request, sheet=sheet, detail="api")
    services.mark_read(sheet=sheet, user=request.user)  # an addressee reading it in another client: read
    return _detail(sheet, request.user)


@router.put("/sheets/{sheet_id}", response={200: SheetOut, 400: Detail, 409: Detail},
            summary="Edit a draft (a finalised sheet answers 409)")
def update_sheet(request, sheet_id: str, payload: ContentIn):
    return _detail(_act(request, sheet_id, services.update_draft, content=payload.content), request.user)


@router.delete("/sheets/{sheet_id}", response={204: None, 400: Detail, 409: Detail},
               summary="Discard a draft (a finalised sheet answers 409)")
def discard_sheet(request, sheet_id: str):
    _act(request, sheet_id, services.discard_draft)
    return Status(204, None)


@router.post("/sheets/{sheet_id}/finalise", response={200: SheetOut, 400: Detail, 409: Detail, 422: Detail},
             summary="Finalise a draft (an incomplete one, e.g. DASC-21 items unanswered, answers 422)")
@idempotent
def finalise_sheet(request, sheet_id: str):
    return _detail(_act(request, sheet_id, services.finalise), request.user)


@router.post("/sheets/{sheet_id}/revise", response={201: SheetOut, 400: Detail, 409: Detail},
             summary="Start a correction (new version)")
@idempotent
def revise_sheet(request, sheet_id: str):
    return Status(201, _detail(_act(request, sheet_id, services.revise), request.user))


def _facility_or_400(facility_id, missing):
    """The facility a payload names (None where it names none); an unknown id is a 400 with `missing`."""
    if facility_id is None:
        return None
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise HttpError(400, missing)
    return facility


def _addressees_or_400(ids):
    """The accounts a payload addresses (the service then checks each is on the team); an unknown id is a 400."""
    addressees = list(User.objects.filter(pk__in=ids))
    if len(addressees) != len(set(ids)):
        raise HttpError(400, "宛先に存在しないアカウントが含まれています。")
    return addressees


@router.post("/sheets/{sheet_id}/send", response={200: SheetOut, 400: Detail, 409: Detail},
             summary="Send to team members and/or a facility")
@idempotent
def send_sheet(request, sheet_id: str, payload: SendIn):
    sheet = _sheet(request, sheet_id)
    sheet = services.send(sheet=sheet, user=request.user, request=request,
                          addressees=_addressees_or_400(payload.addressee_ids),
                          facility=_facility_or_400(payload.facility_id, "送付先の医療機関が見つかりません。"))
    return _detail(sheet, request.user)


@router.post("/sheets/{sheet_id}/receipt", response={200: DeliveryOut, 400: Detail, 409: Detail},
             summary="Confirm receipt (liaison office)")
@idempotent
def confirm_receipt(request, sheet_id: str):
    d = _act(request, sheet_id, services.confirm_receipt)
    return {"facility_id": d.facility_id, "facility": d.facility.name, "sent_at": d.sent_at,
            "received_at": d.received_at, "received_by": str(d.received_by)}


@router.post("/sheets/{sheet_id}/stages", response={201: SheetOut, 400: Detail, 409: Detail},
             summary="Answer the next stage of a route sheet")
@idempotent
def answer_stage(request, sheet_id: str, payload: StageIn):
    sheet = _sheet(request, sheet_id)
    next_facility = _facility_or_400(payload.next_facility_id, "次の送付先の医療機関が見つかりません。")
    services.answer_stage(sheet=sheet, user=request.user, content=payload.content, next_facility=next_facility,
                          request=request)
    return Status(201, _detail(sheet, request.user))


@router.get("/sheets/{sheet_id}/pdf", summary="One sheet as A4 PDF", response={200: None})
def sheet_pdf(request, sheet_id: str):
    return pdf_response(request, _sheet(request, sheet_id))


@router.get("/sheets/{sheet_id}/fhir", summary="One sheet as a FHIR R4 document Bundle", response={200: None})
def sheet_fhir(request, sheet_id: str):
    return fhir_response(request, _sheet(request, sheet_id))


# --- Back-bed admissions


class HospitalOut(Schema):
    id: int
    facility_id: int
    name: str
    beds: int


class BackBedIn(Schema):
    hospital_id: int
    reason: BackBedReason
    detail: str
    desired_on: datetime.date


class AnswerIn(Schema):
    accept: bool
    note: str = ""


class BackBedOut(Schema):
    id: int
    patient_id: int
    hospital: str
    reason: str
    status: str
    desired_on: datetime.date
    answer_note: str
    answered_at: datetime.datetime | None


def _bed(found):
    return {"id": found.pk, "patient_id": found.patient_id, "hospital": str(found.hospital), "reason": found.reason,
            "status": found.status, "desired_on": found.desired_on, "answer_note": found.answer_note,
            "answered_at": found.answered_at}


@router.get("/back-bed/hospitals", response=list[HospitalOut], summary="Hospitals in the back-bed scheme")
def hospitals(request):
    return [{"id": h.pk, "facility_id": h.facility_id, "name": h.facility.name, "beds": h.beds}
            for h in selectors.active_back_bed_hospitals()]


@router.post("/patients/{patient_id}/back-bed-requests", response={201: BackBedOut, 400: Detail},
             summary="Request a temporary admission (team physician)")
@idempotent
def request_back_bed(request, patient_id: str, payload: BackBedIn):
    patient = get_visible_patient_or_404(request.user, patient_id)
    hospital = BackBedHospital.objects.filter(pk=payload.hospital_id).select_related("facility").first()
    if hospital is None:
        raise HttpError(400, "依頼先の医療機関が見つかりません。")
    created = backbed.request_admission(patient=patient, user=request.user, hospital=hospital,
                                        reason=payload.reason, detail=payload.detail,
                                        desired_on=payload.desired_on, request=request)
    return Status(201, _bed(created))


@router.post("/back-bed-requests/{request_id}/answer", response={200: BackBedOut, 400: Detail, 409: Detail},
             summary="Accept or decline (hospital liaison office)")
@idempotent
def answer_back_bed(request, request_id: str, payload: AnswerIn):
    found = selectors.get_visible_back_bed_request_or_404(request.user, request_id)
    found = backbed.answer(bed_request=found, user=request.user, accept=payload.accept, note=payload.note,
                           request=request)
    return _bed(found)
