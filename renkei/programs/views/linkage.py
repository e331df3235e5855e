"""Pages of the linkage fee (訪問看護と介護の連携強化事業)."""
import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.errors import show_error
from renkei.core.paging import paginate

from .. import forms, rules, selectors, services
from ..models import (
    ClaimStatus,
    LinkageFeeClaim,
    LinkageFeeProvision,
)
from .common import (
    PAGE_SIZE,
    action_view,
    csv_response,
    fiscal_year_from,
    form_or_messages,
    month_from,
    staff_required,
)


@staff_required
def linkage_list(request):
    month, month_form = month_from(request)
    stations = selectors.visiting_nursing_stations()
    return render(request, "programs/linkage_list.html", {
        "month": month, "month_form": month_form,
        "page": paginate(request, selectors.linkage_claims(month), PAGE_SIZE),
        "claim_form": forms.ClaimForm(stations=stations, initial={"month": f"{month:%Y-%m}"}),
    })


@staff_required
@require_POST
def linkage_claim_new(request):
    form = forms.ClaimForm(request.POST, stations=selectors.visiting_nursing_stations())
    data = form_or_messages(request, form)
    if not data:
        return redirect("programs:linkage_list")
    try:
        claim = services.claim_for(actor=request.user, **data)
    except services.ProgramError as error:
        show_error(request, error)
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


claim_action = functools.partial(action_view, model=LinkageFeeClaim, detail="programs:linkage_claim")


@claim_action(form=lambda request: forms.ProvisionForm(request.POST))
def linkage_provision_add(request, claim, data):
    services.add_provision(claim=claim, actor=request.user, request=request, **data)
    return "情報提供を追加しました。"


@claim_action()
def linkage_provision_delete(request, claim, data, provision_pk):
    provision = get_object_or_404(LinkageFeeProvision, pk=provision_pk, claim=claim)
    services.remove_provision(provision=provision, actor=request.user, request=request)
    return "情報提供を削除しました。"


@claim_action(form=lambda request: forms.DecisionForm(request.POST))
def linkage_approve(request, claim, data):
    result = services.approve_claim(claim=claim, reason=data["reason"], actor=request.user, request=request)
    return f"承認しました（連携費 {result.total_yen:,}円）。"


@claim_action(form=lambda request: forms.DecisionForm(request.POST))
def linkage_return(request, claim, data):
    services.return_claim(claim=claim, reason=data["reason"], actor=request.user, request=request)
    return "差戻しました。"


@staff_required
def linkage_payment_csv(request):
    """The month's payment list: one row per station with an approved claim."""
    month, _ = month_from(request)
    rows = [["対象月", "事業所番号", "訪問看護ステーション", "支給対象者数", "うち24時間体制", "支給額（円）"]]
    for c in selectors.approved_claims_for_payment(month):
        rows.append([f"{month:%Y-%m}", c.station.official_id, c.station.name, c.patients, c.with_24h, c.total_yen])
    record(action=Action.EXPORT, request=request, object_type="programs.linkagefeeclaim",
           detail=f"連携費 支払一覧 {month:%Y-%m}")
    return csv_response(f"linkage-fee-payments-{month:%Y-%m}.csv", rows)


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
    return csv_response(f"linkage-fee-{claim.station.official_id or claim.station.pk}-{claim.month:%Y-%m}.csv", rows)


@staff_required
def linkage_totals(request):
    fy, fy_form = fiscal_year_from(request)
    months, total = selectors.linkage_fee_fiscal_year(fy)
    return render(request, "programs/linkage_totals.html",
                  {"fy": fy, "fy_form": fy_form, "months": months, "total": total})
