"""What the sheets pages share: access wrappers that audit a denial and answer 404, and refusal display."""
from renkei.core import access
from renkei.network.views.common import denied, found_or_denied, visible_patient  # noqa: F401  (the one patient wrapper)


def visible_sheet(request, pk):
    return found_or_denied(request, access.get_visible_sheet_or_404, pk, "sheet")


def visible_back_bed_request(request, pk):
    return found_or_denied(request, access.get_visible_back_bed_request_or_404, pk, "back-bed request")


def visible_dementia_case(request, pk):
    return found_or_denied(request, access.get_visible_dementia_case_or_404, pk, "dementia case")


def visible_conference(request, pk):
    return found_or_denied(request, access.get_visible_conference_or_404, pk, "conference")


def visible_document(request, pk):
    return found_or_denied(request, access.get_visible_received_document_or_404, pk, "received document")


def fieldsets(form, sections):
    """[(title, [bound fields])] to render a long content form in titled groups."""
    return [(section.title, [form[name] for name in section.fields]) for section in sections]
