"""Documents received from hospitals (JP-CLINS): a patient's list, one document, its PDF."""
from django.http import HttpResponse
from django.shortcuts import render

from renkei.core import access
from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.paging import paginate

from ..received import sections_of
from ..received_pdf import render_received_pdf
from .common import visible_document, visible_patient

PER_PAGE = 20



@verified_required
def patient_documents(request, patient_id):
    patient = visible_patient(request, patient_id)
    found = access.received_documents_visible_to(request.user).filter(patient=patient).select_related("received_by")
    page = paginate(request, found.defer("bundle"), PER_PAGE)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="received documents")
    return render(request, "sheets/received_list.html", {"patient": patient, "page": page})


@verified_required
def document_detail(request, pk):
    document = visible_document(request, pk)
    record(action=Action.READ, request=request, obj=document, patient=document.patient_id, detail="received document")
    return render(request, "sheets/received_detail.html",
                  {"document": document, "patient": document.patient, "sections": sections_of(document)})


@verified_required
def document_pdf(request, pk):
    document = visible_document(request, pk)
    body = render_received_pdf(document)
    record(action=Action.DOWNLOAD, request=request, obj=document, patient=document.patient_id, detail="pdf")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="received-{document.pk}.pdf"'
    return response
