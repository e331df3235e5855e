"""Pages of the consultation desk (item オ)."""
from django.shortcuts import redirect, render
from django.urls import reverse

from renkei.core.access import get_in_my_cities_or_404, patients_visible_to
from renkei.core.audit import Action, record
from renkei.core.idempotency import once_per_submission
from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..models import (
    Consultation,
)
from .common import PAGE_SIZE, city_filter, form_page, fy_param, save_form, staff_or_coordinator


def _visible_patients(user):
    return list(patients_visible_to(user)[:500])


@staff_or_coordinator
def consultation_list(request):
    city, city_context = city_filter(request)
    form = forms.ConsultationSearchForm(request.GET or None, cities=city_context.get("cities"))
    filters = form.cleaned_data if form.is_valid() else {}
    filters.pop("city", None)
    consultations = selectors.consultations_search(request.user, city=city, **{k: v for k, v in filters.items() if v})
    page = paginate(request, consultations, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "records/consultation_list.html",
                  {"form": form, "page": page, "query": query.urlencode(), **city_context})


@staff_or_coordinator
@once_per_submission
def consultation_new(request):
    form = forms.ConsultationForm(request.POST or None, user=request.user, patients=_visible_patients(request.user))
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
    consultation = get_in_my_cities_or_404(request.user, Consultation, pk)
    form = forms.ConsultationForm(request.POST or None, instance=consultation, user=request.user,
                                  patients=_visible_patients(request.user))
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
    consultation = get_in_my_cities_or_404(
        request.user, Consultation.objects.select_related("recorded_by", "municipality"), pk)
    patient = services.visible_patient(request.user, consultation.patient_ref) if consultation.patient_ref else None
    if patient is not None:
        record(action=Action.READ, request=request, obj=consultation, patient=patient, detail="consultation")
    return render(request, "records/consultation_detail.html", {"c": consultation, "patient": patient})


@staff_or_coordinator
def consultation_stats(request):
    """Monthly counts of one fiscal year and yearly counts of the last five, by category and by asker."""
    fy = fy_param(request)
    years = list(range(fy - 4, fy + 1))
    city, city_context = city_filter(request)
    user = request.user
    context = {
        "fy": fy,
        "years": years,
        "monthly_category": selectors.consultation_monthly_table(user, fy, "category", city),
        "monthly_asker": selectors.consultation_monthly_table(user, fy, "asker_profession", city),
        "yearly_category": selectors.consultation_yearly_table(user, years, "category", city),
        "yearly_asker": selectors.consultation_yearly_table(user, years, "asker_profession", city),
        "prev": fy - 1,
        "next": fy + 1,
        "city_query": f"&city={city.code}" if city else "",
        "fy_keep": f"fy={fy}&",
        **city_context,
    }
    return render(request, "records/consultation_stats.html", context)
