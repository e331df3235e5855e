"""Pages of the linkage fee (訪問看護と介護の連携強化事業)."""
import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renkei.core.access import get_in_my_cities_or_404
from renkei.core.audit import Action, record
from renkei.core.errors import show_error
from renkei.core.forms import add_municipality_field
from renkei.core.paging import paginate

from .. import forms, rules, selectors, services
from ..models import (
    ClaimStatus,
    LinkageFeeClaim,
    LinkageFeeProvision,
    Program,
)
from .common import (
    PAGE_SIZE,
    action_view,
    csv_response,
    fiscal_year_from,
    form_or_messages,
    month_from,
    monthly_csv_view,
    staff_required,
)


def _claim_form(request, data=None, **kwargs):
    """A station anywhere in the area, the month, and the city the claim goes to (one of the user's)."""
    form = forms.ClaimForm(data, stations=selectors.visiting_nursing_stations(), **kwargs)
    add_municipality_field(form, request.user, label="請求先の市区町村")
    return form


@staff_required
def linkage_list(request):
    month, month_form = month_from(request)
    status = request.GET.get("status", "")
    status = status if status in ClaimStatus.values else ""
    return render(request, "programs/linkage_list.html", {
        "month": month, "month_form": month_form,
        "status_label": ClaimStatus(status).label if status else "",
        "page": paginate(request, selectors.linkage_claims(request.user, month, status), PAGE_SIZE),
        "claim_form": _claim_form(request, initial={"month": f"{month:%Y-%m}"}),
    })


@staff_required
@require_POST
def linkage_claim_new(request):
    form = _claim_form(request, request.POST)
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
    claim = selectors.linkage_claim(request.user, pk)
    record(action=Action.READ, request=request, obj=claim, detail="連携費 請求の閲覧")
    provisions = list(claim.provisions.all())
    rule, result, problems = None, None, []
    try:
        rule = selectors.rule_of(claim, Program.LINKAGE_FEE)
        result = rules.calculate_linkage_fee(claim.month, [p.as_rule() for p in provisions], rule.params)
    except rules.InvalidFacts as bad:
        problems = bad.problems
    return render(request, "programs/linkage_claim.html", {
        "claim": claim, "provisions": provisions, "result": result, "problems": problems,
        "rule": rule, "rule_kept": claim.rule_id is not None,
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
    provision = LinkageFeeProvision.objects.filter(pk=provision_pk, claim=claim).first()  # claim: in my cities
    if provision is None:
        raise Http404
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


# The month's payment list: one row per station with an approved claim.
linkage_payment_csv = monthly_csv_view(
    header=["事業所番号", "訪問看護ステーション", "支給対象者数", "うち24時間体制", "支給額（円）"],
    found=selectors.approved_claims_for_payment,
    row=lambda c: [c.station.official_id, c.station.name, c.patients, c.with_24h, c.total_yen],
    object_type="programs.linkagefeeclaim", detail="連携費 支払一覧", filename="linkage-fee-payments",
)


@staff_required
def linkage_claim_csv(request, pk):
    """One station's month, one line per patient with the amount and its reason."""
    claim = get_in_my_cities_or_404(request.user, selectors.linkage_claims(request.user), pk)
    if claim.status != ClaimStatus.APPROVED:
        messages.error(request, "支払明細は承認済の請求だけ出力できます。")
        return redirect("programs:linkage_claim", pk=pk)
    # The version the claim was approved with, however the city's rules changed since.
    rule = selectors.rule_of(claim, Program.LINKAGE_FEE)
    result = rules.calculate_linkage_fee(claim.month, [p.as_rule() for p in claim.provisions.all()], rule.params)
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
    months, total = selectors.linkage_fee_fiscal_year(request.user, fy)
    return render(request, "programs/linkage_totals.html",
                  {"fy": fy, "fy_form": fy_form, "months": months, "total": total})
