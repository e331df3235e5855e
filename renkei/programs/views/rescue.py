"""Pages of the rescue helper (高齢者等緊急訪問介護)."""
import datetime
import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.access import get_in_my_cities_or_404
from renkei.core.audit import Action, record
from renkei.core.errors import show_error
from renkei.core.forms import add_municipality_field

from .. import forms, rules, selectors, services
from ..models import (
    Program,
    RescueHelperApplication,
    RescueHelperDispatch,
)
from .common import (
    action_view,
    month_from,
    monthly_csv_view,
    staff_required,
)


def _within(day, first, last):
    """`day` moved into [first, last] (the visit form suggests a date inside the service period)."""
    return min(max(day, first), last)


@staff_required
def rescue_detail(request, pk):
    application = selectors.rescue_application(request.user, pk)
    record(action=Action.READ, request=request, obj=application, detail="緊急訪問介護 申請の閲覧")
    try:
        rule = selectors.rule_of(application, Program.RESCUE_HELPER)
    except services.ProgramError as error:  # no version in force on the receipt date: say so, never a 500
        rule, rule_problems = None, error.problems
    else:
        rule_problems = []
    params = rule.params if rule else None
    dispatch = getattr(application, "dispatch", None)
    visits = list(selectors.rescue_visits(dispatch)) if dispatch else []
    weeks = []
    last_day = rules.rescue_last_day(dispatch.first_day, params) if dispatch and params else None
    if dispatch and params:
        for w in range(rules.rescue_weeks(params)):
            start = dispatch.first_day + datetime.timedelta(days=7 * w)
            used = sum(v.minutes for v in visits if rules.rescue_week_index(dispatch.first_day, v.visited_on) == w)
            weeks.append({"no": w + 1, "start": start, "end": min(start + datetime.timedelta(days=6), last_day),
                          "minutes": used, "left": max(params.max_minutes_per_week - used, 0)})
    return render(request, "programs/rescue_detail.html", {
        "application": application,
        "rule": rule, "rule_problems": rule_problems, "rule_kept": application.rule_id is not None,
        "assessment": rules.assess_rescue_helper(application.facts(), params) if params else None,
        "decisions": selectors.decisions_of(application),
        "decision_form": forms.RescueDecisionForm(initial={
            "age_override_reason": application.age_override_reason,
            "household_override_reason": application.household_override_reason}),
        "dispatch": dispatch,
        "dispatch_form": forms.DispatchForm(providers=selectors.home_help_providers(),
                                            initial={"first_day": application.received_on}),
        "visits": visits,
        "weeks": weeks,
        "last_day": last_day,
        "visit_form": forms.VisitForm(initial={"visited_on": _within(timezone.localdate(), dispatch.first_day, last_day)
                                               if dispatch and last_day else None}),
        "fee_total": sum(v.fee_yen for v in visits),
    })


rescue_action = functools.partial(action_view, model=RescueHelperApplication, detail="programs:rescue_detail")


@rescue_action(form=lambda request: forms.RescueDecisionForm(request.POST))
def rescue_decide(request, application, data):
    services.decide_rescue_application(
        application=application, approve=data["approve"], reason=data["reason"],
        age_override_reason=data["age_override_reason"], household_override_reason=data["household_override_reason"],
        actor=request.user, request=request,
    )
    return "決定を記録しました。"


@rescue_action(form=lambda request: forms.DispatchForm(request.POST, providers=selectors.home_help_providers()))
def rescue_dispatch(request, application, data):
    services.dispatch_rescue_helper(application=application, actor=request.user, request=request, **data)
    return "派遣を記録しました。"


@rescue_action(form=lambda request: forms.VisitForm(request.POST))
def rescue_visit(request, application, data):
    dispatch = RescueHelperDispatch.objects.filter(application=application).first()  # application: in my cities
    if dispatch is None:
        raise services.ProgramError("派遣前の申請には訪問を記録できません。")
    try:
        visit = services.record_rescue_visit(dispatch=dispatch, actor=request.user, request=request, **data)
    except services.ProgramError as error:
        raise services.ProgramError(["この訪問は記録できません。", *error.problems])
    return f"訪問を記録しました（利用料 {visit.fee_yen:,}円）。"


@staff_required
def rescue_billing(request):
    """The month's bills to users and payments to providers."""
    month, month_form = month_from(request)
    user = request.user
    return render(request, "programs/rescue_billing.html", {
        "month": month, "month_form": month_form,
        "bills": list(selectors.rescue_user_bills(user, month)),
        "provider_rows": list(selectors.rescue_provider_months(user, month)),
        "payments": list(selectors.rescue_provider_payments(user, month)),
        "payment_form": _payment_form(request, initial={"month": f"{month:%Y-%m}"}),
    })


def _payment_form(request, data=None, **kwargs):
    form = forms.ProviderPaymentForm(data, providers=selectors.home_help_providers(), **kwargs)
    add_municipality_field(form, request.user, label="支払う市区町村")
    return form


@staff_required
def rescue_bill(request, pk):
    """One user's printable bill for a month: each visit with its fee, and the total."""
    application = get_in_my_cities_or_404(
        request.user, RescueHelperApplication.objects.select_related("dispatch__provider", "municipality", "rule"), pk)
    month, _ = month_from(request)
    dispatch = getattr(application, "dispatch", None)
    visits = list(selectors.rescue_visits(dispatch).filter(visited_on__range=(month, rules.month_end(month)))) \
        if dispatch else []
    record(action=Action.READ, request=request, obj=application, detail=f"緊急訪問介護 利用料請求書 {month:%Y-%m}")
    return render(request, "programs/rescue_bill.html", {
        "application": application, "dispatch": dispatch, "month": month, "visits": visits, "rule": application.rule,
        "total": sum(v.fee_yen for v in visits), "issued_on": timezone.localdate(),
    })


# The month's bills per user, for the city's billing.
rescue_bills_csv = monthly_csv_view(
    header=["利用者", "住所", "訪問介護事業所", "訪問回数", "訪問時間（分）", "利用料（円）"],
    found=selectors.rescue_user_bills,
    row=lambda b: [b["dispatch__application__person_name"], b["dispatch__application__address"],
                   b["dispatch__provider__name"], b["visits"], b["minutes"], b["fee_yen"]],
    path="dispatch__application__municipality",
    object_type="programs.rescuehelpervisit", detail="緊急訪問介護 利用料請求一覧", filename="rescue-helper-bills",
)

# The month's fixed payments to providers, for the city's payment system.
rescue_payments_csv = monthly_csv_view(
    header=["事業所番号", "訪問介護事業所", "30分単位数", "委託単価（円）", "支払額（円）"],
    found=selectors.rescue_provider_payments,
    row=lambda p: [p.provider.official_id, p.provider.name, p.units, p.unit_price_yen, p.amount_yen],
    object_type="programs.rescuehelperproviderpayment", detail="緊急訪問介護 事業所への支払一覧",
    filename="rescue-helper-payments",
)


@staff_required
@require_POST
def rescue_payment(request):
    form = _payment_form(request, request.POST)
    month = None
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        month = form.cleaned_data["month"]
        try:
            p = services.create_provider_payment(actor=request.user, request=request, **form.cleaned_data)
            messages.success(request, f"{p.provider.name}への支払額 {p.amount_yen:,}円 を確定しました。")
        except services.ProgramError as error:
            show_error(request, error)
    url = reverse("programs:rescue_billing")
    return redirect(f"{url}?month={month:%Y-%m}" if month else url)
