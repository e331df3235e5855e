"""The patient's allergies, drug contraindications and infections: one page, kept once per patient."""
from django.contrib import messages
from django.shortcuts import redirect, render

from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.errors import AppError, show_error

from .. import safety
from ..forms import SafetyForm
from .common import visible_patient


@verified_required
def patient_safety(request, patient_id):
    patient = visible_patient(request, patient_id)  # the care team only (404 otherwise, audited)
    current = safety.safety_of(patient)
    form = SafetyForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            safety.update(patient=patient, user=request.user, values=form.cleaned_data, request=request)
        except AppError as error:
            show_error(request, error, form, patient=patient)
        else:
            messages.success(request, "アレルギー・禁忌・感染症を更新しました。次に作成する連携シートに反映されます。")
            return redirect("sheets:patient_sheets", patient_id=patient.pk)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="safety")
    return render(request, "sheets/safety_form.html", {"patient": patient, "form": form},
                  status=400 if form.errors else 200)
