"""Pages of end-of-life support (エンディング（終活）支援事業) and the public ending note."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from renkei.core.access import area_municipalities, home_municipality
from renkei.core.audit import Action, record
from renkei.core.errors import show_error
from renkei.core.forms import add_municipality_field
from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..ending_note import ending_note_pdf
from ..models import (
    NOTE_PLACES,
)
from .common import (
    PAGE_SIZE,
    fiscal_year_from,
    staff_required,
)


@staff_required
def end_of_life(request):
    fy, fy_form = fiscal_year_from(request)
    user = request.user
    by_place, downloads = selectors.distribution_totals(user, fy)
    consultation_form = forms.ConsultationForm(initial={"received_on": timezone.localdate()})
    distribution_form = forms.DistributionForm(initial={"distributed_on": timezone.localdate()})
    add_municipality_field(consultation_form, user)
    add_municipality_field(distribution_form, user)
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = forms.ConsultationForm(request.POST) if kind == "consultation" else forms.DistributionForm(request.POST)
        add_municipality_field(form, user)
        if form.is_valid():
            service = services.record_consultation if kind == "consultation" else services.record_distribution
            try:
                service(actor=request.user, request=request, **form.cleaned_data)
                messages.success(request, "記録しました。")
                return redirect("programs:end_of_life")
            except services.ProgramError as error:
                show_error(request, error, form)
        if kind == "consultation":
            consultation_form = form
        else:
            distribution_form = form
    record(action=Action.READ, request=request, object_type="programs.endoflifeconsultation",
           detail="エンディング相談の一覧の閲覧")
    return render(request, "programs/end_of_life.html", {
        "fy": fy, "fy_form": fy_form,
        "by_place": [{"place": NOTE_PLACES.get(r["place"], r["place"]), "total": r["total"]} for r in by_place],
        "downloads": downloads,
        "consultations": paginate(request, selectors.consultations(user), PAGE_SIZE),
        "distributions": selectors.distributions(user)[:20],
        "consultation_form": consultation_form, "distribution_form": distribution_form,
    })


def ending_note(request):
    """The ending note as a printable A4 PDF (public: residents download it from the city's site).

    The download counts for the city named by ?municipality=<code> when it is one of the area's (each
    city's site links with its code), else for the home city."""
    code = request.GET.get("municipality", "")
    city = next((m for m in area_municipalities() if m.code == code), None) if code else None
    services.count_ending_note_download(timezone.localdate(), city or home_municipality())
    response = HttpResponse(ending_note_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="ending-note.pdf"'
    return response
