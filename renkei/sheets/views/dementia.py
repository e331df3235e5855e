"""Dementia initial-intensive-support team pages: cases, visits, conferences, support period, closing."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.auth import professional_required, verified_required
from renkei.core.errors import show_error
from renkei.core.models import User
from renkei.core.paging import paginate
from renkei.network.models import MemberStatus
from renkei.network.services import Refused

from .. import dementia, rules, selectors
from ..forms import (
    CaseStudyForm,
    CloseCaseForm,
    ConferenceForm,
    DementiaCaseForm,
    StartSupportForm,
    VisitForm,
)
from .common import patient_form_page, visible_dementia_case, visible_patient

FORMS = {"start": StartSupportForm, "visit": VisitForm, "conference": ConferenceForm, "close": CloseCaseForm,
         "case_study": CaseStudyForm}


@professional_required
def index(request):
    cases = selectors.dementia_cases_visible_to(request.user)
    page = paginate(request, cases, 30)
    today = timezone.localdate()
    rows = [(case, rules.support_period(case.support_started_on, case.closed_on, today)) for case in page]
    record(action=Action.READ, request=request, object_type="sheets.dementiacase", detail="dementia cases")
    return render(request, "sheets/dementia_index.html", {"page": page, "rows": rows})


@verified_required
def case_create(request, patient_id):
    patient = visible_patient(request, patient_id)
    team_users = User.objects.filter(care_teams__patient=patient, care_teams__status=MemberStatus.ACTIVE)
    form = DementiaCaseForm(request.POST or None, team_users=team_users,
                            initial={"referred_on": timezone.localdate()})
    return patient_form_page(request, patient, form, lambda data: dementia.open_case(
        patient=patient, user=request.user, request=request,
        referred_on=data["referred_on"], referral_source=data["referral_source"],
        referral_reason=data["referral_reason"], team_note=data["team_note"],
        members=data["members"], support_started_on=data["support_started_on"],
    ), template="sheets/dementia_form.html", done="sheets:dementia_detail", success="事例を登録しました。")


def _save(request, case, which, data):
    if which == "start":
        dementia.start_support(case=case, user=request.user, request=request, started_on=data["started_on"])
    elif which == "visit":
        dementia.add_visit(case=case, user=request.user, request=request, **data)
    elif which == "conference":
        dementia.add_conference(case=case, user=request.user, request=request, **data)
    elif which == "case_study":
        dementia.select_for_case_study(case=case, user=request.user, request=request, **data)
    else:
        dementia.close_case(case=case, user=request.user, request=request, **data)


@verified_required
def case_detail(request, pk):
    case = visible_dementia_case(request, pk)
    which = request.POST.get("form") if request.method == "POST" else None
    forms = {name: cls(request.POST if which == name else None) for name, cls in FORMS.items()}
    forms["case_study"].initial = {"selected": case.case_study, "note": case.case_study_note}
    if which in forms and forms[which].is_valid():
        try:
            _save(request, case, which, forms[which].cleaned_data)
        except Refused as refused:
            show_error(request, refused, forms[which], patient=case.patient)
        else:
            messages.success(request, "記録しました。")
            return redirect("sheets:dementia_detail", pk=case.pk)
    record(action=Action.READ, request=request, obj=case, patient=case.patient_id)
    context = {"case": case, "forms": forms, "visits": case.visits.all(), "conferences": case.conferences.all(),
               "members": case.team_members.all(),
               "period": rules.support_period(case.support_started_on, case.closed_on, timezone.localdate())}
    errors = which in forms and forms[which].errors
    return render(request, "sheets/dementia_detail.html", context, status=400 if errors else 200)
