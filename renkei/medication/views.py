"""The お薬 page of a patient: current medications, the dispensings read, and reading an お薬手帳."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.errors import AppError, show_error
from renkei.core.idempotency import once_per_submission
from renkei.core.paging import paginate
from renkei.network.views.common import visible_patient

from . import qr, selectors, services
from .forms import ReadForm
from .models import Source

PER_PAGE = 10


def _render(request, patient, form, status=200):
    page = paginate(request, selectors.dispensings_of(request.user, patient), PER_PAGE)
    context = {"patient": patient, "form": form, "page": page,
               "current": selectors.current_medications(request.user, patient)}
    return render(request, "medication/patient_medications.html", context, status=status)


@verified_required
def patient_medications(request, patient_id):
    patient = visible_patient(request, patient_id)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="medications")
    return _render(request, patient, ReadForm())


@verified_required
@require_POST
@once_per_submission
def medications_read(request, patient_id):
    """Read the uploaded photos or file, or the posted text; every problem shown, nothing stored on any."""
    patient = visible_patient(request, patient_id)
    form = ReadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, patient, form, status=400)
    read = qr.read_uploads(form.cleaned_data["uploads"])
    text = form.cleaned_data["text"].strip()
    source = (Source.IMAGE if read.images else Source.FILE) if form.cleaned_data["uploads"] else (
        form.cleaned_data["source"] or Source.TEXT)
    try:
        result = services.import_jahis(user=request.user, patient=patient, texts=read.texts + ([text] if text else []),
                                       source=source, problems=read.problems, request=request)
    except AppError as error:
        show_error(request, error, form, patient=patient)
        return _render(request, patient, form, status=error.status)
    if result.created:
        messages.success(request, f"お薬手帳から調剤{len(result.created)}件を読み取りました。")
    if result.duplicates:
        messages.info(request, f"調剤{len(result.duplicates)}件は読み取り済みのため、二重に登録していません。")
    return redirect("medication:patient_medications", patient_id=patient.pk)
