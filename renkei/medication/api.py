"""HTTP API of the medication list: read it, and add an お薬手帳 reading (JAHIS text, file or QR image)."""
import datetime
import json

from ninja import Router, Schema
from ninja.responses import Status

from renkei.core import access
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.idempotency import idempotent

from . import jahis, qr, selectors, services
from .models import Dispensing, Medication, Source

router = Router(tags=["medications"])
MAX_DISPENSINGS = 100


class MedicationOut(Schema):
    rp: int
    name: str
    amount: str
    unit: str
    code_system: str
    code: str
    usage: str
    quantity: str
    quantity_unit: str
    days: int | None
    dosage_form: str
    notes: str
    dispensed_on: datetime.date
    pharmacy_name: str
    institution_name: str


class DispensingOut(Schema):
    id: int
    dispensed_on: datetime.date
    pharmacy_name: str
    pharmacy_code: str
    pharmacist_name: str
    institution_name: str
    institution_code: str
    physician_name: str
    department: str
    notes: str
    source: str
    imported_at: datetime.datetime
    medications: list[MedicationOut]


class MedicationList(Schema):
    current: list[MedicationOut]
    count: int
    dispensings: list[DispensingOut]


class DuplicateOut(Schema):
    dispensed_on: datetime.date
    pharmacy_name: str


class ImportOut(Schema):
    created: list[DispensingOut]
    duplicates: list[DuplicateOut]


def _medication(m: Medication, d: Dispensing) -> dict:
    return {"rp": m.rp, "name": m.name, "amount": m.amount, "unit": m.unit, "code_system": m.code_system,
            "code": m.code, "usage": m.usage, "quantity": m.quantity, "quantity_unit": m.quantity_unit,
            "days": m.days, "dosage_form": m.dosage_form, "notes": m.notes, "dispensed_on": d.dispensed_on,
            "pharmacy_name": d.pharmacy_name, "institution_name": d.institution_name}


def _dispensing(d: Dispensing, medications) -> dict:
    fields = ("id", "dispensed_on", "pharmacy_name", "pharmacy_code", "pharmacist_name", "institution_name",
              "institution_code", "physician_name", "department", "notes", "source", "imported_at")
    return {name: getattr(d, name) for name in fields} | {"medications": [_medication(m, d) for m in medications]}


@router.get("/patients/{patient_id}/medications", response={200: MedicationList, 400: Detail},
            summary="The patient's medication list: current medications and the dispensings read")
def list_medications(request, patient_id: str, limit: int = 20, offset: int = 0):
    """`current`: what the patient takes now (the latest dispensing of each prescribing institution, not run
    out); `dispensings`: every dispensing read from お薬手帳 codes, newest first (`limit` 1–100, `offset`)."""
    if not 1 <= limit <= MAX_DISPENSINGS or offset < 0:
        raise AppError(f"limit は 1〜{MAX_DISPENSINGS}、offset は 0 以上で指定してください。")
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    found = selectors.dispensings_of(request.user, patient)
    page = list(found[offset:offset + limit])
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="api medications")
    return {"current": [_medication(m, m.dispensing) for m in selectors.current_medications(request.user, patient)],
            "count": found.count(),
            "dispensings": [_dispensing(d, d.medications.all()) for d in page]}


def _texts(request) -> tuple[list[str], list[str], str]:
    """(texts, problems, source) of the body: a text, a JSON {"text"} / {"parts"}, or multipart files and text."""
    kind = (request.content_type or "").lower()
    if kind.startswith("multipart/form-data"):
        read = qr.read_uploads(request.FILES.getlist("file"))
        text = request.POST.get("text", "").strip()
        if not read.texts and not read.problems and not text:
            raise AppError("file（QR コードの画像または JAHIS ファイル）か text を送ってください。")
        return read.texts + ([text] if text else []), read.problems, Source.IMAGE if read.images else (
            Source.FILE if request.FILES else Source.TEXT)
    if kind == "application/json":
        try:
            data = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            raise AppError("本文が JSON ではありません。") from None
        parts = data.get("parts") if isinstance(data, dict) else None
        parts = parts if isinstance(parts, list) else [data.get("text") if isinstance(data, dict) else None]
        if not parts or not all(isinstance(p, str) and p.strip() for p in parts):
            raise AppError("JSON では {\"text\": \"JAHISTC…\"} か {\"parts\": [\"JAHISTC…\", …]} を送ってください。")
        return parts, [], Source.TEXT
    text = jahis.decode_bytes(request.body or b"")
    if text is None:
        raise AppError("本文の文字コードを読めません（Shift_JIS か UTF-8 にしてください）。")
    return [text], [], Source.FILE if kind in ("text/csv", "application/octet-stream") else Source.TEXT


@router.post("/patients/{patient_id}/medications/jahis",
             response={201: ImportOut, 200: ImportOut, 400: Detail, 409: Detail},
             summary="Read お薬手帳 data (JAHIS text, file, or QR code image) into the patient's medication list",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/plain": {"schema": {"type": "string"}},
                 "text/csv": {"schema": {"type": "string"}},
                 "application/json": {"schema": {"type": "object", "properties": {
                     "text": {"type": "string"}, "parts": {"type": "array", "items": {"type": "string"}}}}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                     "text": {"type": "string"}}}}}}})
@idempotent
def import_jahis(request, patient_id: str):
    """The body is the JAHIS text itself (Shift_JIS or UTF-8; the parts of a split code one after another),
    JSON, or multipart with `file` (QR code images, decoded here, or JAHIS files) and `text`. 201 with the
    dispensings stored; 200 when all were read before; 422 listing every problem (with line numbers), nothing
    stored; 409 without the patient's consent."""
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    texts, problems, source = _texts(request)
    result = services.import_jahis(user=request.user, patient=patient, texts=texts, source=source,
                                   problems=problems, request=request)
    created = Dispensing.objects.filter(pk__in=[d.pk for d in result.created]).prefetch_related("medications")
    body = {"created": [_dispensing(d, d.medications.all()) for d in created],
            "duplicates": [{"dispensed_on": d.dispensed_on, "pharmacy_name": d.pharmacy_name}
                           for d in result.duplicates]}
    return Status(201 if result.created else 200, body)
