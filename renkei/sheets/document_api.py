"""HTTP API of documents received from hospital systems (JP-CLINS 診療情報提供書・退院時サマリー)."""
import datetime
import json

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from renkei.core import access
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.idempotency import idempotent

from . import received
from .received_pdf import render_received_pdf

router = Router(tags=["received documents"])


class SectionOut(Schema):
    title: str
    text: str


class DocumentOut(Schema):
    id: int
    patient_id: int
    kind: str
    title: str
    document_date: datetime.date
    source: str
    author_name: str
    bundle_identifier: str
    received_at: datetime.datetime
    sections: list[SectionOut]


def _out(document):
    return {"id": document.pk, "patient_id": document.patient_id, "kind": document.kind, "title": document.title,
            "document_date": document.document_date, "source": document.source, "author_name": document.author_name,
            "bundle_identifier": document.bundle_identifier, "received_at": document.received_at,
            "sections": [{"title": t, "text": x} for t, x in received.sections_of(document)]}


@router.post("/patients/{patient_id}/documents", response={201: DocumentOut, 200: DocumentOut, 400: Detail,
                                                           413: Detail, 422: Detail},
             summary="Deliver a JP-CLINS 診療情報提供書 or 退院時サマリー Bundle for the patient",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/fhir+json": {"schema": {"type": "object"}},
                 "application/json": {"schema": {"type": "object"}}}}})
@idempotent
def deliver_document(request, patient_id: str):
    """The body is the FHIR document Bundle itself. A liaison office of a facility that received one of the
    patient's sheets, or a member of the care team, may deliver. 201 with the stored document; 200 when the
    same Bundle (identifier) was delivered before; 422 listing each problem, with nothing stored."""
    patient = access.get_document_recipient_or_404(request.user, patient_id)
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise AppError("本文が JSON ではありません。", status=400) from None
    document, created = received.receive(user=request.user, patient=patient, data=data, request=request)
    return Status(201 if created else 200, _out(document))


@router.get("/documents/{document_id}", response=DocumentOut, summary="One received document (care team)")
def get_document(request, document_id: str):
    document = access.get_visible_received_document_or_404(request.user, document_id)
    record(action=Action.READ, request=request, obj=document, patient=document.patient_id, detail="received document")
    return _out(document)


@router.get("/documents/{document_id}/pdf", response={200: None}, summary="One received document as A4 PDF")
def document_pdf(request, document_id: str):
    document = access.get_visible_received_document_or_404(request.user, document_id)
    record(action=Action.DOWNLOAD, request=request, obj=document, patient=document.patient_id, detail="pdf")
    response = HttpResponse(render_received_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="received-{document.pk}.pdf"'
    return response
