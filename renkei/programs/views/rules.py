"""Pages of the programs' rule versions: each city's dated rules (amounts, limits, lists) for staff.

Staff list their cities' versions and add a version with an effective date; a version no decision
has used yet may be corrected, a used one never (a change is a new version). A new version may not
take effect on or before the date of an application or claim already decided (services.add_rule_version).
"""
import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renkei.core.access import get_in_my_cities_or_404
from renkei.core.errors import show_error
from renkei.core.forms import add_municipality_field

from .. import forms, selectors, services
from ..models import ProgramRule
from .common import staff_required


def _rows(user, today):
    """The user's cities' versions, each marked in force today or not."""
    rows, seen = [], set()
    for rule in selectors.rule_versions(user):
        key = (rule.municipality_id, rule.program)
        in_force = rule.effective_from <= today and key not in seen
        if in_force:
            seen.add(key)
        rows.append({"rule": rule, "in_force": in_force, "future": rule.effective_from > today,
                     "parameters": json.dumps(rule.parameters, ensure_ascii=False, indent=1)})
    return rows


@staff_required
def rule_list(request):
    """The rule versions of the user's cities, and the form adding a version."""
    today = timezone.localdate()
    program = (request.GET.get("program") if request.method == "GET" else request.POST.get("program")) or "rescue_helper"
    rows = _rows(request.user, today)
    latest = next((r["rule"] for r in rows if r["rule"].program == program), None)
    initial = {"program": program, "effective_from": today,
               "parameters": latest.parameters if latest else {}}
    form = forms.RuleVersionForm(request.POST or None, initial=initial)
    add_municipality_field(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.add_rule_version(actor=request.user, request=request, **data)
        except services.ProgramError as error:
            show_error(request, error, form)
        else:
            messages.success(request, f"{rule.municipality.name}の{rule.get_program_display()}の版"
                                      f"（{rule.effective_from:%Y年%m月%d日}から）を追加しました。")
            return redirect("programs:rule_list")
    return render(request, "programs/rule_list.html", {"rows": rows, "form": form, "today": today})


@staff_required
def rule_edit(request, pk):
    """Correct a version no decision has used (404 for another city's version, as for a missing one)."""
    rule = get_in_my_cities_or_404(request.user, ProgramRule.objects.select_related("municipality"), pk)
    form = forms.RuleCorrectionForm(request.POST or None, program=rule.program,
                                    initial={"parameters": rule.parameters, "note": rule.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rule_version(rule=rule, parameters=form.cleaned_data["parameters"],
                                         note=form.cleaned_data["note"], actor=request.user, request=request)
        except services.ProgramError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "規程の版を修正しました。")
            return redirect("programs:rule_list")
    title = f"規程の版の修正: {rule.municipality.name} {rule.get_program_display()}（{rule.effective_from:%Y年%m月%d日}から）"
    return render(request, "programs/form.html", {"form": form, "title": title, "back": reverse("programs:rule_list")})
