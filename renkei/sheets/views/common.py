"""What the sheets pages share: access wrappers that audit a denial and answer 404, and refusal display."""
from django.contrib import messages
from django.shortcuts import redirect, render

from renkei.core import access
from renkei.core.errors import AppError, show_error
from renkei.network.views.common import (  # noqa: F401  (the one patient wrapper and 404s)
    audited_access,
    denied,
    first_or_denied,
    visible_patient,
)

visible_sheet = audited_access(access.get_visible_sheet_or_404, "sheet")
visible_back_bed_request = audited_access(access.get_visible_back_bed_request_or_404, "back-bed request")
visible_dementia_case = audited_access(access.get_visible_dementia_case_or_404, "dementia case")
visible_conference = audited_access(access.get_visible_conference_or_404, "conference")
visible_document = audited_access(access.get_visible_received_document_or_404, "received document")


def fieldsets(form, sections):
    """[(title, [bound fields])] to render a long content form in titled groups."""
    return [(section.title, [form[name] for name in section.fields]) for section in sections]


def patient_form_page(request, patient, form, create, *, template, success, done):
    """A page creating a record about one patient: a valid form is saved through create(cleaned_data) (a
    refusal is shown on the form) and the new record's page (URL name `done`) follows; else the form again."""
    if request.method == "POST" and form.is_valid():
        try:
            created = create(form.cleaned_data)
        except AppError as error:
            show_error(request, error, form, patient=patient)
        else:
            messages.success(request, success)
            return redirect(done, pk=created.pk)
    return render(request, template, {"patient": patient, "form": form}, status=400 if form.errors else 200)
