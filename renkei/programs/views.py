"""Staff pages of the city's programs (thin: parse, call a service or selector, render)."""
import csv
import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import role_required
from renkei.core.wareki import fiscal_year

from . import forms, rules, selectors, services
from .ending_note import ending_note_pdf
from .models import (
    NOTE_PLACES,
    ClaimStatus,
    GrantStatus,
    LinkageFeeClaim,
    LinkageFeeProvision,
    RescueHelperApplication,
    RescueStatus,
    RestartGrantApplication,
    RestartGrantDocument,
)

staff_required = role_required("staff")
PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _problems(request, error):
    for p in error.problems:
        messages.error(request, p)


def _form_problems(form, error):
    for p in error.problems:
        form.add_error(None, p)


def _month(request, default=None):
    form = forms.MonthForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["month"], form
    today = default or timezone.localdate()
    return today.replace(day=1), forms.MonthForm(initial={"month": f"{today:%Y-%m}"})


def _fy(request):
    form = forms.FiscalYearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["fy"], form
    fy = fiscal_year(timezone.localdate())
    return fy, forms.FiscalYearForm(initial={"fy": fy})


@staff_required
def index(request):
    """The programs' overview: what waits for staff in each program."""
    context = {
        "rescue_waiting": RescueHelperApplication.objects.filter(status=RescueStatus.RECEIVED).count(),
        "grant_waiting": RestartGrantApplication.objects.filter(
            status__in=[GrantStatus.APPLIED, GrantStatus.ASSESSED, GrantStatus.CONFIRMED]).count(),
        "claims_waiting": selectors.linkage_claims().filter(status=ClaimStatus.DRAFT).count(),
    }
    return render(request, "programs/index.html", context)


# --- rescue helper ------------------------------------------------------------------------------


@staff_required
def rescue_list(request):
    status = request.GET.get("status", "")
    page = _page(request, selectors.rescue_applications(status if status in RescueStatus.values else ""))
    return render(request, "programs/rescue_list.html",
                  {"page": page, "status": status, "statuses": RescueStatus.choices})


APPLICATION_FORMS = {
    "rescue": (forms.RescueApplicationForm, services.create_rescue_application, services.update_rescue_application,
               "緊急訪問介護（レスキューヘルパー）の申請", "programs:rescue_list", "programs:rescue_detail"),
    "restart": (forms.RestartApplicationForm, services.create_restart_application,
                services.update_restart_application, "介護職・看護職Reスタート支援金の申請", "programs:restart_list",
                "programs:restart_detail"),
}


def _application_form(request, program, application=None):
    """Receive a new application or correct one: the form, then the program's create/update service."""
    form_class, create, update, title, back, detail = APPLICATION_FORMS[program]
    editing = application is not None
    form = form_class(request.POST or None, instance=application, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            if editing:
                update(application=application, actor=request.user, request=request, **fields)
            else:
                application = create(actor=request.user, request=request, **fields)
        except services.ProgramError as error:
            _form_problems(form, error)
        else:
            messages.success(request, "申請を保存しました。")
            return redirect(detail, pk=application.pk)
    return render(request, "programs/form.html",
                  {"form": form, "title": title + ("の修正" if editing else "受付"), "back": reverse(back)})


@staff_required
def rescue_new(request):
    return _application_form(request, "rescue")


@staff_required
def rescue_edit(request, pk):
    return _application_form(request, "rescue", get_object_or_404(RescueHelperApplication, pk=pk))


def _within(day, first, last):
    """`day` moved into [first, last] (the visit form suggests a date inside the service period)."""
    return min(max(day, first), last)


@staff_required
def rescue_detail(request, pk):
    try:
        application = selectors.rescue_application(pk)
    except RescueHelperApplication.DoesNotExist:
        raise Http404
    record(action=Action.READ, request=request, obj=application, detail="緊急訪問介護 申請の閲覧")
    dispatch = getattr(application, "dispatch", None)
    visits = list(selectors.rescue_visits(dispatch)) if dispatch else []
    weeks = []
    last_day = dispatch.first_day + datetime.timedelta(days=rules.RESCUE_MAX_DAYS - 1) if dispatch else None
    if dispatch:
        for w in range(2):
            start = dispatch.first_day + datetime.timedelta(days=7 * w)
            used = sum(v.minutes for v in visits if rules.rescue_week_index(dispatch.first_day, v.visited_on) == w)
            weeks.append({"no": w + 1, "start": start, "end": start + datetime.timedelta(days=6), "minutes": used,
                          "left": max(rules.RESCUE_MAX_MINUTES_PER_WEEK - used, 0)})
    return render(request, "programs/rescue_detail.html", {
        "application": application,
        "assessment": rules.assess_rescue_helper(application.facts()),
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
                                               if dispatch else None}),
        "fee_total": sum(v.fee_yen for v in visits),
    })


@staff_required
@require_POST
def rescue_decide(request, pk):
    application = get_object_or_404(RescueHelperApplication, pk=pk)
    form = forms.RescueDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        try:
            services.decide_rescue_application(
                application=application, approve=form.cleaned_data["approve"], reason=form.cleaned_data["reason"],
                age_override_reason=form.cleaned_data["age_override_reason"],
                household_override_reason=form.cleaned_data["household_override_reason"],
                actor=request.user, request=request,
            )
            messages.success(request, "決定を記録しました。")
        except services.ProgramError as error:
            _problems(request, error)
    return redirect("programs:rescue_detail", pk=pk)


@staff_required
@require_POST
def rescue_dispatch(request, pk):
    application = get_object_or_404(RescueHelperApplication, pk=pk)
    form = forms.DispatchForm(request.POST, providers=selectors.home_help_providers())
    if not form.is_valid():
        messages.error(request, "訪問介護事業所と利用開始日を入力してください。")
    else:
        try:
            services.dispatch_rescue_helper(application=application, actor=request.user, request=request,
                                            **form.cleaned_data)
            messages.success(request, "派遣を記録しました。")
        except services.ProgramError as error:
            _problems(request, error)
    return redirect("programs:rescue_detail", pk=pk)


@staff_required
@require_POST
def rescue_visit(request, pk):
    application = get_object_or_404(RescueHelperApplication.objects.select_related("dispatch"), pk=pk)
    dispatch = getattr(application, "dispatch", None)
    form = forms.VisitForm(request.POST)
    if dispatch is None:
        messages.error(request, "派遣前の申請には訪問を記録できません。")
    elif not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        try:
            visit = services.record_rescue_visit(dispatch=dispatch, actor=request.user, request=request,
                                                 **form.cleaned_data)
            messages.success(request, f"訪問を記録しました（利用料 {visit.fee_yen:,}円）。")
        except services.ProgramError as error:
            messages.error(request, "この訪問は記録できません。")
            _problems(request, error)
    return redirect("programs:rescue_detail", pk=pk)


@staff_required
def rescue_billing(request):
    """The month's bills to users and payments to providers."""
    month, month_form = _month(request)
    providers = selectors.home_help_providers()
    return render(request, "programs/rescue_billing.html", {
        "month": month, "month_form": month_form,
        "bills": list(selectors.rescue_user_bills(month)),
        "provider_rows": list(selectors.rescue_provider_months(month)),
        "payments": list(selectors.rescue_provider_payments(month)),
        "payment_form": forms.ProviderPaymentForm(providers=providers, initial={"month": f"{month:%Y-%m}"}),
    })


@staff_required
def rescue_bills_csv(request):
    month, _ = _month(request)
    rows = [["対象月", "利用者", "住所", "訪問介護事業所", "訪問回数", "訪問時間（分）", "利用料（円）"]]
    for b in selectors.rescue_user_bills(month):
        rows.append([f"{month:%Y-%m}", b["dispatch__application__person_name"], b["dispatch__application__address"],
                     b["dispatch__provider__name"], b["visits"], b["minutes"], b["fee_yen"]])
    record(action=Action.EXPORT, request=request, object_type="programs.rescuehelpervisit",
           detail=f"緊急訪問介護 利用料請求一覧 {month:%Y-%m}")
    return _csv(f"rescue-helper-bills-{month:%Y-%m}.csv", rows)


@staff_required
def rescue_payments_csv(request):
    """The month's fixed payments to providers, for the city's payment system."""
    month, _ = _month(request)
    rows = [["対象月", "事業所番号", "訪問介護事業所", "30分単位数", "委託単価（円）", "支払額（円）"]]
    for p in selectors.rescue_provider_payments(month):
        rows.append([f"{month:%Y-%m}", p.provider.official_id, p.provider.name, p.units, p.unit_price_yen, p.amount_yen])
    record(action=Action.EXPORT, request=request, object_type="programs.rescuehelperproviderpayment",
           detail=f"緊急訪問介護 事業所への支払一覧 {month:%Y-%m}")
    return _csv(f"rescue-helper-payments-{month:%Y-%m}.csv", rows)


@staff_required
@require_POST
def rescue_payment(request):
    form = forms.ProviderPaymentForm(request.POST, providers=selectors.home_help_providers())
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
            _problems(request, error)
    url = reverse("programs:rescue_billing")
    return redirect(f"{url}?month={month:%Y-%m}" if month else url)


# --- restart grant ------------------------------------------------------------------------------


@staff_required
def restart_list(request):
    status = request.GET.get("status", "")
    page = _page(request, selectors.restart_applications(status if status in GrantStatus.values else ""))
    return render(request, "programs/restart_list.html",
                  {"page": page, "status": status, "statuses": GrantStatus.choices})


@staff_required
def restart_new(request):
    return _application_form(request, "restart")


@staff_required
def restart_edit(request, pk):
    return _application_form(request, "restart", get_object_or_404(RestartGrantApplication, pk=pk))


@staff_required
def restart_detail(request, pk):
    try:
        application = selectors.restart_application(pk)
    except RestartGrantApplication.DoesNotExist:
        raise Http404
    record(action=Action.READ, request=request, obj=application, detail="Reスタート支援金 申請の閲覧")
    return render(request, "programs/restart_detail.html", {
        "application": application,
        "assessment": rules.assess_restart_grant(application.facts()),
        "decisions": selectors.decisions_of(application),
        "document_form": forms.DocumentForm(),
        "decision_form": forms.DecisionForm(auto_id="reject_%s"),
        "confirm_form": forms.ConfirmForm(auto_id="confirm_%s"),
        "earliest_confirmation": services.add_months(application.hired_on, rules.RESTART_MIN_EXPECTED_MONTHS),
        "GrantStatus": GrantStatus,
    })


def _restart_action(request, pk, action):
    application = get_object_or_404(RestartGrantApplication, pk=pk)
    try:
        action(application)
    except services.ProgramError as error:
        _problems(request, error)
    return redirect("programs:restart_detail", pk=pk)


def _form_or_messages(request, form):
    if form.is_valid():
        return form.cleaned_data
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return None


@staff_required
@require_POST
def restart_assess(request, pk):
    def act(application):
        result = services.assess_restart_application(application=application, note=request.POST.get("reason", ""),
                                                     actor=request.user, request=request)
        if result.eligible:
            messages.success(request, f"審査の結果、支給対象です（{result.amount_yen:,}円）。6か月継続勤務の確認後に支給します。")
        else:
            messages.warning(request, "審査の結果、要件を満たさないため不支給としました。")
    return _restart_action(request, pk, act)


@staff_required
@require_POST
def restart_confirm(request, pk):
    data = _form_or_messages(request, forms.ConfirmForm(request.POST))

    def act(application):
        if data:
            services.confirm_six_months(application=application, confirmed_on=data["on"], reason=data["reason"],
                                        actor=request.user, request=request)
            messages.success(request, "6か月継続勤務を確認しました。")
    return _restart_action(request, pk, act)


@staff_required
@require_POST
def restart_pay(request, pk):
    data = _form_or_messages(request, forms.ConfirmForm(request.POST))

    def act(application):
        if data:
            services.pay_restart_grant(application=application, paid_on=data["on"], reason=data["reason"],
                                       actor=request.user, request=request)
            messages.success(request, "支給を記録しました。")
    return _restart_action(request, pk, act)


@staff_required
@require_POST
def restart_reject(request, pk):
    data = _form_or_messages(request, forms.DecisionForm(request.POST))

    def act(application):
        if data:
            services.reject_restart_application(application=application, reason=data["reason"], actor=request.user,
                                                request=request)
            messages.success(request, "不支給を記録しました。")
    return _restart_action(request, pk, act)


@staff_required
@require_POST
def restart_upload(request, pk):
    form = forms.DocumentForm(request.POST, request.FILES)
    data = _form_or_messages(request, form)

    def act(application):
        if data:
            services.upload_restart_document(application=application, kind=data["kind"], uploaded_file=data["file"],
                                             actor=request.user, request=request)
            messages.success(request, "書類を添付しました。")
    return _restart_action(request, pk, act)


@staff_required
def restart_document(request, pk, doc_pk):
    document = get_object_or_404(RestartGrantDocument, pk=doc_pk, application_id=pk)
    record(action=Action.DOWNLOAD, request=request, obj=document, detail="Reスタート支援金 書類のダウンロード")
    response = FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=True,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- linkage fee --------------------------------------------------------------------------------


@staff_required
def linkage_list(request):
    month, month_form = _month(request)
    stations = selectors.visiting_nursing_stations()
    return render(request, "programs/linkage_list.html", {
        "month": month, "month_form": month_form,
        "page": _page(request, selectors.linkage_claims(month)),
        "claim_form": forms.ClaimForm(stations=stations, initial={"month": f"{month:%Y-%m}"}),
    })


@staff_required
@require_POST
def linkage_claim_new(request):
    form = forms.ClaimForm(request.POST, stations=selectors.visiting_nursing_stations())
    data = _form_or_messages(request, form)
    if not data:
        return redirect("programs:linkage_list")
    try:
        claim = services.claim_for(actor=request.user, **data)
    except services.ProgramError as error:
        _problems(request, error)
        return redirect("programs:linkage_list")
    return redirect("programs:linkage_claim", pk=claim.pk)


@staff_required
def linkage_claim(request, pk):
    try:
        claim = selectors.linkage_claim(pk)
    except LinkageFeeClaim.DoesNotExist:
        raise Http404
    record(action=Action.READ, request=request, obj=claim, detail="連携費 請求の閲覧")
    provisions = list(claim.provisions.all())
    result, problems = None, []
    try:
        result = rules.calculate_linkage_fee(claim.month, [p.as_rule() for p in provisions])
    except rules.InvalidFacts as bad:
        problems = bad.problems
    return render(request, "programs/linkage_claim.html", {
        "claim": claim, "provisions": provisions, "result": result, "problems": problems,
        "decisions": selectors.decisions_of(claim),
        "provision_form": forms.ProvisionForm(initial={"provided_on": claim.month}),
        "decision_form": forms.DecisionForm(),
        "editable": claim.status != ClaimStatus.APPROVED,
    })


def _claim_action(request, pk, action):
    claim = get_object_or_404(selectors.linkage_claims(), pk=pk)
    try:
        action(claim)
    except services.ProgramError as error:
        _problems(request, error)
    return redirect("programs:linkage_claim", pk=pk)


@staff_required
@require_POST
def linkage_provision_add(request, pk):
    data = _form_or_messages(request, forms.ProvisionForm(request.POST))

    def act(claim):
        if data:
            services.add_provision(claim=claim, actor=request.user, request=request, **data)
            messages.success(request, "情報提供を追加しました。")
    return _claim_action(request, pk, act)


@staff_required
@require_POST
def linkage_provision_delete(request, pk, provision_pk):
    provision = get_object_or_404(LinkageFeeProvision, pk=provision_pk, claim_id=pk)

    def act(claim):
        services.remove_provision(provision=provision, actor=request.user, request=request)
        messages.success(request, "情報提供を削除しました。")
    return _claim_action(request, pk, act)


@staff_required
@require_POST
def linkage_approve(request, pk):
    data = _form_or_messages(request, forms.DecisionForm(request.POST))

    def act(claim):
        if data:
            result = services.approve_claim(claim=claim, reason=data["reason"], actor=request.user, request=request)
            messages.success(request, f"承認しました（連携費 {result.total_yen:,}円）。")
    return _claim_action(request, pk, act)


@staff_required
@require_POST
def linkage_return(request, pk):
    data = _form_or_messages(request, forms.DecisionForm(request.POST))

    def act(claim):
        if data:
            services.return_claim(claim=claim, reason=data["reason"], actor=request.user, request=request)
            messages.success(request, "差戻しました。")
    return _claim_action(request, pk, act)


def _cell(value):
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(filename, rows):
    rows = [[_cell(v) for v in row] for row in rows]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # UTF-8 BOM: the city's payment system and Excel read Japanese correctly
    csv.writer(response, lineterminator="\r\n").writerows(rows)
    return response


@staff_required
def linkage_payment_csv(request):
    """The month's payment list: one row per station with an approved claim."""
    month, _ = _month(request)
    rows = [["対象月", "事業所番号", "訪問看護ステーション", "支給対象者数", "うち24時間体制", "支給額（円）"]]
    for c in selectors.approved_claims_for_payment(month):
        rows.append([f"{month:%Y-%m}", c.station.official_id, c.station.name, c.patients, c.with_24h, c.total_yen])
    record(action=Action.EXPORT, request=request, object_type="programs.linkagefeeclaim",
           detail=f"連携費 支払一覧 {month:%Y-%m}")
    return _csv(f"linkage-fee-payments-{month:%Y-%m}.csv", rows)


@staff_required
def linkage_claim_csv(request, pk):
    """One station's month, one line per patient with the amount and its reason."""
    claim = get_object_or_404(selectors.linkage_claims(), pk=pk)
    if claim.status != ClaimStatus.APPROVED:
        messages.error(request, "支払明細は承認済の請求だけ出力できます。")
        return redirect("programs:linkage_claim", pk=pk)
    result = rules.calculate_linkage_fee(claim.month, [p.as_rule() for p in claim.provisions.all()])
    rows = [["対象月", "事業所番号", "訪問看護ステーション", "利用者", "提供回数", "統一様式", "24時間体制", "支給額（円）", "理由"]]
    for line in result.lines:
        rows.append([f"{claim.month:%Y-%m}", claim.station.official_id, claim.station.name, line.patient_id,
                     line.provisions, "あり" if line.unified_form else "なし", "あり" if line.twenty_four_hour else "なし",
                     line.amount_yen, line.reason])
    record(action=Action.EXPORT, request=request, obj=claim, detail="連携費 支払明細")
    return _csv(f"linkage-fee-{claim.station.official_id or claim.station.pk}-{claim.month:%Y-%m}.csv", rows)


@staff_required
def linkage_totals(request):
    fy, fy_form = _fy(request)
    months, total = selectors.linkage_fee_fiscal_year(fy)
    return render(request, "programs/linkage_totals.html",
                  {"fy": fy, "fy_form": fy_form, "months": months, "total": total})


# --- end-of-life support ------------------------------------------------------------------------


@staff_required
def end_of_life(request):
    fy, fy_form = _fy(request)
    by_place, downloads = selectors.distribution_totals(fy)
    consultation_form = forms.ConsultationForm(initial={"received_on": timezone.localdate()})
    distribution_form = forms.DistributionForm(initial={"distributed_on": timezone.localdate()})
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = forms.ConsultationForm(request.POST) if kind == "consultation" else forms.DistributionForm(request.POST)
        if form.is_valid():
            service = services.record_consultation if kind == "consultation" else services.record_distribution
            try:
                service(actor=request.user, request=request, **form.cleaned_data)
                messages.success(request, "記録しました。")
                return redirect("programs:end_of_life")
            except services.ProgramError as error:
                _form_problems(form, error)
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
        "consultations": _page(request, selectors.consultations()),
        "distributions": selectors.distributions()[:20],
        "consultation_form": consultation_form, "distribution_form": distribution_form,
    })


def ending_note(request):
    """The ending note as a printable A4 PDF (public: residents download it from the city's site)."""
    services.count_ending_note_download(timezone.localdate())
    response = HttpResponse(ending_note_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="ending-note.pdf"'
    return response
