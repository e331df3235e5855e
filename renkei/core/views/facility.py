"""The facility administrator's pages (施設管理者): the facility's people and who lacks the second factor,
the CSV of registrations and withdrawals (preview, then confirm), one member's withdrawal with the hand-over
of care-team places; a member's nomination of a facility administrator; and the staff's decisions on them."""
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.core.paging import paginate

from .. import facility_admin, facility_staff
from ..access import (
    administered_facilities,
    choose_administered_facility,
    facility_nominations_for,
    get_facility_nomination_or_404,
    get_facility_person_or_404,
    my_colleagues,
    my_facilities,
    my_facilities_administrators,
)
from ..audit import Action, record
from ..auth import SignedInRequest, View, professional_required, role_required
from ..errors import AppError, audit_refusal, show_error
from ..forms import (
    NominateForm,
    NominationDecisionForm,
    StaffFileConfirmForm,
    StaffFileForm,
    WithdrawPersonForm,
)
from ..models import Facility, FacilityAdminStatus, RegistrationStatus

PAGE_SIZE = 50


class _Choose(Exception):
    """An administrator of several facilities named none: the page lists them to choose from."""


def _facility(request: SignedInRequest) -> Facility:
    """The facility the page is about (`facility` in the query or the form), through the access module."""
    try:
        return choose_administered_facility(request.user, request.POST.get("facility") or request.GET.get("facility"))
    except AppError as refused:
        if refused.status == 422:
            raise _Choose from refused
        audit_refusal(request, status=403, reason="facility administrator")
        raise PermissionDenied from refused


def _with_facility(view: Callable[..., HttpResponseBase]) -> View:
    """The page of one administered facility: `view(request, facility, …)`; the choice when several."""

    def wrapper(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            facility = _facility(request)
        except _Choose:
            choices = administered_facilities(request.user)
            return render(request, "core/facility_choose.html", {"facilities": choices, "next": request.path})
        return view(request, facility, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return professional_required(wrapper)


def _here(name: str, facility: Facility, **kwargs: object) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?facility={facility.pk}"


@_with_facility
def people(request: SignedInRequest, facility: Facility) -> HttpResponse:
    """The facility's people, filterable to those who have not enrolled the second factor."""
    second_factor = request.GET.get("second_factor", "")
    status = request.GET.get("status", RegistrationStatus.APPROVED)
    query = request.GET.get("q", "").strip()
    qs = facility_staff.people(facility, second_factor=second_factor, status=status, query=query)
    page = paginate(request, qs, PAGE_SIZE)
    missing = facility_staff.people(facility, second_factor="missing", status=RegistrationStatus.APPROVED).count()
    record(action=Action.READ, request=request, obj=facility, detail="facility people")
    return render(request, "core/facility_people.html", {
        "facility": facility, "page": page, "second_factor": second_factor, "status": status, "query": query,
        "keep": [("facility", facility.pk), ("status", status), ("second_factor", second_factor)],
        "missing": missing, "statuses": [(RegistrationStatus.APPROVED, "登録中"), (RegistrationStatus.WITHDRAWN, "退会"),
                                         ("", "すべて")]})


@_with_facility
def people_import(request: SignedInRequest, facility: Facility) -> HttpResponse:
    """Upload → preview (what each line will do, or its errors) → confirm: applied all at once or not at all."""
    context = {"facility": facility, "upload": StaffFileForm(), "plan": None, "confirm": None}
    if request.method != "POST":
        return render(request, "core/facility_import.html", context)
    if "csv_text" in request.POST:
        confirm = StaffFileConfirmForm(request.POST)
        if confirm.is_valid():
            text = confirm.cleaned_data["csv_text"]
            try:
                plan = facility_staff.apply_file(request=request, facility=facility, text=text, by=request.user)
            except facility_staff.PlanRefused as refused:
                show_error(request, refused)
                context.update(plan=refused.plan, confirm=confirm)
                return render(request, "core/facility_import.html", context, status=400)
            messages.success(request, f"登録 {plan.count(facility_staff.REGISTER)}名、退職 "
                                      f"{plan.count(facility_staff.WITHDRAW)}名を反映しました。")
            return redirect(_here("core:facility_people", facility))
        return render(request, "core/facility_import.html", context, status=400)
    upload = StaffFileForm(request.POST, request.FILES)
    context["upload"] = upload
    if upload.is_valid():
        try:
            text = facility_staff.decode(upload.cleaned_data["file"].read(facility_staff.MAX_BYTES + 1))
        except AppError as refused:
            show_error(request, refused, upload)
        else:
            plan = facility_staff.plan_file(facility=facility, text=text, by=request.user)
            context.update(plan=plan, confirm=StaffFileConfirmForm(initial={"csv_text": text}))
            return render(request, "core/facility_import.html", context)
    return render(request, "core/facility_import.html", context, status=400)


@_with_facility
def person_withdraw(request: SignedInRequest, facility: Facility, pk: int) -> HttpResponse:
    """One member leaves: choose the colleague who takes over their care-team places, then confirm."""
    person = get_facility_person_or_404(request.user, facility, pk)
    colleagues = facility_staff.colleagues(facility, leaving=person)
    form = WithdrawPersonForm(request.POST or None, colleagues=colleagues)
    places = facility_staff.people(facility).get(pk=person.pk).places
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                counts = facility_staff.withdraw_person(request=request, facility=facility, person=person,
                                                        successor=form.cleaned_data["successor"], by=request.user)
            except AppError as refused:
                show_error(request, refused, form)
            else:
                messages.success(request, f"{person} さんの退職を処理しました（ケアチームの担当 引継ぎ {counts['moved']}件、"
                                          f"後任が参加済み {counts['kept']}件、空き {counts['vacated']}件）。")
                return redirect(_here("core:facility_people", facility))
        status = 400
    return render(request, "core/facility_withdraw.html",
                  {"facility": facility, "person": person, "form": form, "places": places}, status=status)


@professional_required
def nominate(request: SignedInRequest) -> HttpResponse:
    """A member of a facility nominates a colleague as its facility administrator; municipal staff decide."""
    mine, colleagues = my_facilities(request.user), my_colleagues(request.user)
    form = NominateForm(request.POST or None, facilities=mine, colleagues=colleagues)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                facility_admin.nominate(request=request, facility=form.cleaned_data["facility"],
                                        nominee=form.cleaned_data["nominee"], by=request.user,
                                        reason=form.cleaned_data["reason"])
            except AppError as refused:
                show_error(request, refused, form)
            else:
                messages.success(request, "施設管理者の推薦を受け付けました。市の担当者が審査します。")
                return redirect("core:facility_nominate")
        status = 400
    nominations = my_facilities_administrators(request.user).order_by("-nominated_at")[:50]
    return render(request, "core/facility_nominate.html", {
        "form": form, "nominations": nominations, "administered": administered_facilities(request.user)},
        status=status)


@role_required("staff")
def nominations(request: SignedInRequest) -> HttpResponse:
    """Facility-administrator nominations of the staff member's cities, pending first."""
    status = request.GET.get("status", FacilityAdminStatus.PENDING)
    if status not in FacilityAdminStatus.values:
        status = FacilityAdminStatus.PENDING
    page = paginate(request, facility_nominations_for(request.user).filter(status=status), PAGE_SIZE)
    return render(request, "core/facility_nominations.html", {
        "page": page, "status": status, "tabs": FacilityAdminStatus.choices, "form": NominationDecisionForm()})


@require_POST
@role_required("staff")
def nomination_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Approve, reject or revoke one nomination (another city's answers 404)."""
    role = get_facility_nomination_or_404(request.user, pk)
    form = NominationDecisionForm(request.POST)
    if form.is_valid():
        act = {"approve": lambda: facility_admin.approve(request=request, role=role, by=request.user),
               "reject": lambda: facility_admin.reject(request=request, role=role, by=request.user,
                                                       reason=form.cleaned_data["reason"]),
               "revoke": lambda: facility_admin.revoke(request=request, role=role, by=request.user,
                                                       reason=form.cleaned_data["reason"])}
        try:
            done = act[form.cleaned_data["decision"]]()
        except AppError as refused:
            show_error(request, refused)
        else:
            messages.success(request, f"{done.user} さん（{done.facility}）：{done.get_status_display()}にしました。")
    else:
        for errors in form.errors.values():
            for error in errors:
                # ErrorList yields strings (its __getitem__ renders each ValidationError); django-stubs
                # types the items as ValidationError | str.
                messages.error(request, error)  # type: ignore[arg-type]
    return redirect(f"{reverse('core:facility_nominations')}?status={role.status}")
