"""A sheet as a downloadable PDF or FHIR file, audited; shared by the pages and the API."""
import json

from django.http import HttpResponse

from renkei.core.audit import Action, record

from . import selectors
from .fhir import build_bundle
from .pdf import render_sheet_pdf


def pdf_response(request, sheet, *, disposition="attachment"):
    """The sheet (with its stages and deliveries) as an A4 PDF response; the download is audited."""
    body = render_sheet_pdf(sheet, stages=selectors.stages_of(sheet), deliveries=selectors.deliveries_of(sheet))
    record(action=Action.DOWNLOAD, request=request, obj=sheet, patient=sheet.patient_id, detail="pdf")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="sheet-{sheet.pk}-v{sheet.version}.pdf"'
    return response


def fhir_response(request, sheet):
    """The sheet as a FHIR R4 document Bundle (JSON) response; the export is audited."""
    bundle = build_bundle(sheet, stages=selectors.stages_of(sheet), deliveries=selectors.deliveries_of(sheet))
    record(action=Action.EXPORT, request=request, obj=sheet, patient=sheet.patient_id, detail="fhir")
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=1),
                            content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sheet-{sheet.pk}-v{sheet.version}.fhir.json"'
    return response
