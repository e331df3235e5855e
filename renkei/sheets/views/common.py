"""What the sheets pages share: access wrappers that audit a denial and answer 404, and refusal display."""
from django.http import Http404

from renkei.network.views.common import denied, visible_patient  # noqa: F401  (the one patient wrapper)

from .. import selectors


def visible_sheet(request, pk):
    """The sheet via the access rule; a denial is audited and answered 404 like a missing sheet."""
    try:
        return selectors.get_visible_sheet_or_404(request.user, pk)
    except Http404:
        denied(request, "sheet")
        raise


def visible_back_bed_request(request, pk):
    try:
        return selectors.get_visible_back_bed_request_or_404(request.user, pk)
    except Http404:
        denied(request, "back-bed request")
        raise


def visible_dementia_case(request, pk):
    try:
        return selectors.get_visible_dementia_case_or_404(request.user, pk)
    except Http404:
        denied(request, "dementia case")
        raise


def fieldsets(form, sections):
    """[(title, [bound fields])] to render a long content form in titled groups."""
    return [(section.title, [form[name] for name in section.fields]) for section in sections]
