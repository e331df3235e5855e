"""Registration on the regional ICT network: the public application and the staff decisions."""
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renkei.core.paging import paginate

from .. import selectors, services, throttle
from ..audit import Action, record
from ..auth import SignedInRequest, role_required
from ..forms import ApproveForm, FacilityChoiceField, RegistrationForm, RejectForm, WithdrawForm
from ..models import RegistrationStatus, User

PAGE_SIZE = 30


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count this application from its address; True past REGISTRATION_RATE_LIMIT in the window
    (audited once, when the limit is passed)."""
    where = throttle.client_network(request)
    window = settings.REGISTRATION_RATE_WINDOW_SECONDS
    applications = throttle.hit(f"registration:{where}", window_seconds=window)
    limit: int = settings.REGISTRATION_RATE_LIMIT
    if applications == limit + 1:
        record(action=Action.REGISTRATION_THROTTLED, request=request, detail=f"{applications - 1} in {window} s")
    return applications > limit


def register(request: HttpRequest) -> HttpResponse:
    """The public application form: creates a pending account that staff review. A taken username or
    e-mail address gets the same answer as a new one (the service tells by mail instead)."""
    if request.method == "POST" and _over_rate_limit(request):
        context = {"minutes": settings.REGISTRATION_RATE_WINDOW_SECONDS // 60}
        return render(request, "core/register_limited.html", context, status=429)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.apply_for_registration(
                request=request,
                username=data["username"],
                password=data["password1"],
                name=data["name"],
                name_kana=data["name_kana"],
                email=data["email"],
                profession=data["profession"],
                phone=data["phone"],
                facility=data["facility"],
                facility_name=data["facility_name"],
                facility_kind=data["facility_kind"],
                facility_municipality=data["facility_municipality"],
            )
            return redirect("core:register_done")
        record(
            action=Action.REGISTRATION_INVALID,
            request=request,
            detail="fields=" + ",".join(sorted(form.errors)) + f" username={request.POST.get('username', '')[:30]}",
        )
    return render(request, "core/register.html", {"form": form}, status=400 if form.errors else 200)


def facility_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the facility picker narrowed to a name (htmx, public like the directory)."""
    field = cast(FacilityChoiceField, RegistrationForm.base_fields["facility"])
    facilities = selectors.facilities_named(request.GET.get("facility_search", ""))
    options = [(f.pk, field.label_from_instance(f)) for f in facilities]
    return render(request, "core/_facility_options.html", {"options": options, "empty_label": field.empty_label})


def register_done(request: HttpRequest) -> HttpResponse:
    return render(request, "core/register_done.html")


@role_required("staff")
def registration_list(request: HttpRequest) -> HttpResponse:
    """Applications and accounts by registration status (pending first), searchable and paginated."""
    status = request.GET.get("status", RegistrationStatus.PENDING)
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.PENDING
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.registrations(status=status, query=query), PAGE_SIZE)
    counts = selectors.registration_counts()
    tabs = [{"value": v, "label": label, "count": counts.get(v, 0)} for v, label in RegistrationStatus.choices]
    return render(
        request, "core/registration_list.html",
        {"page": page, "status": status, "query": query, "tabs": tabs, "keep": [("status", status)]},
    )


def _applicant(pk: int) -> User:
    qs = User.objects.select_related("applied_facility_municipality", "decided_by")
    return get_object_or_404(qs, pk=pk, is_superuser=False)


def _detail(request: SignedInRequest, applicant: User, *, status: int = 200, **forms: BaseForm) -> HttpResponse:
    context = {
        "applicant": applicant,
        "affiliations": applicant.affiliations.select_related("facility__municipality"),
        "tokens": selectors.tokens_of(applicant),
        "failed_logins": selectors.failed_logins(applicant),
        "lockout_limit": settings.AXES_FAILURE_LIMIT,
        "approve_form": forms.get("approve_form") or ApproveForm(applicant=applicant, approver=request.user),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    return render(request, "core/registration_detail.html", context, status=status)


@role_required("staff")
def registration_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, _applicant(pk))


def _decision(request: SignedInRequest, applicant: User, form_name: str, form: BaseForm,
              act: Callable[[User, dict[str, Any]], None]) -> HttpResponse:
    """Run a staff decision from a bound form; errors go back to the detail page (next to the field
    for input errors, at the top for decisions the account's state does not allow)."""
    if form.is_valid():
        try:
            act(applicant, form.cleaned_data)
        except services.RegistrationError as refused:
            messages.error(request, str(refused))
        else:
            return redirect("core:registration_detail", pk=applicant.pk)
    return _detail(request, applicant, status=400, **{form_name: form})


@require_POST
@role_required("staff")
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    def act(applicant: User, data: dict[str, Any]) -> None:
        services.approve_registration(
            request=request, user=applicant, by=request.user, facility=data.get("facility"),
            approved_on=data["approved_on"], municipalities=data.get("municipalities"),
        )
        messages.success(request, f"{applicant} さんの登録を承認しました。")

    applicant = _applicant(pk)
    return _decision(request, applicant, "approve_form", ApproveForm(request.POST, applicant=applicant, approver=request.user), act)


@require_POST
@role_required("staff")
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    def act(applicant: User, data: dict[str, Any]) -> None:
        services.reject_registration(request=request, user=applicant, by=request.user, reason=data["reason"])
        messages.success(request, f"{applicant} さんの申請を却下しました。")

    return _decision(request, _applicant(pk), "reject_form", RejectForm(request.POST), act)


@require_POST
@role_required("staff")
def withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    def act(applicant: User, data: dict[str, Any]) -> None:
        services.record_withdrawal(
            request=request, user=applicant, by=request.user, withdrawn_on=data["withdrawn_on"], reason=data["reason"]
        )
        messages.success(request, f"{applicant} さんの退会を記録しました。")

    return _decision(request, _applicant(pk), "withdraw_form", WithdrawForm(request.POST), act)


@require_POST
@role_required("staff")
def unlock(request: SignedInRequest, pk: int) -> HttpResponse:
    applicant = _applicant(pk)
    services.unlock_login(request=request, user=applicant, by=request.user)
    messages.success(request, f"{applicant} さんのログイン制限を解除しました。")
    return redirect("core:registration_detail", pk=applicant.pk)
