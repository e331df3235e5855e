"""Pages of the consultation desk (item オ)."""
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renkei.core.access import patients_visible_to
from renkei.core.audit import Action, record
from renkei.core.idempotency import once_per_submission
from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..models import (
    Consultation,
)
from .common import PAGE_SIZE, form_page, fy_param, save_form, staff_or_coordinator


def _visible_patients(user):
    return list(patients_visible_to(user)[:500])


@staff_or_coordinator
def consultation_list(request):
    form = forms.ConsultationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.consultations_search(**{k: v for k, v in filters.items() if v}), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "records/consultation_list.html", {"form": form, "page": page, "query": query.urlencode()})


@staff_or_coordinator
@once_per_submission
def consultation_new(request):
    form = forms.ConsultationForm(request.POST or None, patients=_visible_patients(request.user))
    obj = save_form(
        request,
        form,
        lambda data: services.save_consultation(
            user=request.user, data=data, patient_id=data.get("patient_ref"), request=request
        ),
        "相談を記録しました。",
    )
    if obj:
        return redirect("records:consultation_detail", pk=obj.pk)
    return form_page(request, form, "相談の記録", reverse("records:consultation_list"), once=True)


@staff_or_coordinator
def consultation_edit(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    form = forms.ConsultationForm(request.POST or None, instance=consultation, patients=_visible_patients(request.user))
    obj = save_form(
        request,
        form,
        lambda data: services.save_consultation(
            user=request.user, data=data, consultation=consultation, patient_id=data.get("patient_ref"), request=request
        ),
        "相談の記録を更新しました。",
    )
    if obj:
        return redirect("records:consultation_detail", pk=obj.pk)
    return form_page(request, form, "相談の記録を編集", reverse("records:consultation_detail", args=[pk]))


@staff_or_coordinator
def consultation_detail(request, pk):
    consultation = get_object_or_404(Consultation.objects.select_related("recorded_by"), pk=pk)
    patient = services.visible_patient(request.user, consultation.patient_ref) if consultation.patient_ref else None
    if patient is not None:
        record(action=Action.READ, request=request, obj=consultation, patient=patient, detail="consultation")
    return render(request, "records/consultation_detail.html", {"c": consultation, "patient": patient})


@staff_or_coordinator
def consultation_stats(request):
    """Monthly counts of one fiscal year and yearly counts of the last five, by category and by asker."""
    fy = fy_param(request)
    years = list(range(fy - 4, fy + 1))
    context = {
        "fy": fy,
        "years": years,
        "monthly_category": selectors.consultation_monthly_table(fy, "category"),
        "monthly_asker": selectors.consultation_monthly_table(fy, "asker_profession"),
        "yearly_category": selectors.consultation_yearly_table(years, "category"),
        "yearly_asker": selectors.consultation_yearly_table(years, "asker_profession"),
        "prev": fy - 1,
        "next": fy + 1,
    }
    return render(request, "records/consultation_stats.html", context)
