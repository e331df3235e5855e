"""Shared helpers of the staff pages, and the programs overview."""
import csv
from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.access import choose_municipality, get_in_my_cities_or_404, in_my_cities
from renkei.core.audit import Action, record
from renkei.core.auth import role_required
from renkei.core.errors import show_error
from renkei.core.exports import safe_row
from renkei.core.forms import add_municipality_field
from renkei.core.paging import paginate
from renkei.core.wareki import fiscal_year

from .. import forms, selectors, services
from ..models import (
    ClaimStatus,
    GrantStatus,
    Program,
    RescueHelperApplication,
    RescueStatus,
    RestartGrantApplication,
)

staff_required = role_required("staff")
PAGE_SIZE = 50



def month_from(request, default=None):
    """The month asked for in ?month=YYYY-MM (default: this month) and its form."""
    form = forms.MonthForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["month"], form
    today = default or timezone.localdate()
    return today.replace(day=1), forms.MonthForm(initial={"month": f"{today:%Y-%m}"})


def fiscal_year_from(request):
    """The fiscal year asked for in ?fy= (default: this one) and its form."""
    form = forms.FiscalYearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["fy"], form
    fy = fiscal_year(timezone.localdate())
    return fy, forms.FiscalYearForm(initial={"fy": fy})


@staff_required
def index(request):
    """The programs' overview: what waits for staff in each program (the cities they act for)."""
    user = request.user
    context = {
        "rescue_waiting": in_my_cities(user, RescueHelperApplication).filter(status=RescueStatus.RECEIVED).count(),
        "grant_waiting": in_my_cities(user, RestartGrantApplication).filter(
            status__in=[GrantStatus.APPLIED, GrantStatus.ASSESSED, GrantStatus.CONFIRMED]).count(),
        "claims_waiting": selectors.linkage_claims(user).filter(status=ClaimStatus.DRAFT).count(),
    }
    return render(request, "programs/index.html", context)


PROGRAM_OF = {"rescue": Program.RESCUE_HELPER, "restart": Program.RESTART_GRANT}

APPLICATION_FORMS = {
    "rescue": (forms.RescueApplicationForm, services.create_rescue_application, services.update_rescue_application,
               "緊急訪問介護（レスキューヘルパー）の申請", "programs:rescue_list", "programs:rescue_detail"),
    "restart": (forms.RestartApplicationForm, services.create_restart_application,
                services.update_restart_application, "介護職・看護職Reスタート支援金の申請", "programs:restart_list",
                "programs:restart_detail"),
}


APPLICATION_LISTS = {  # program: (its applications in the user's cities by status, their statuses, the page)
    "rescue": (selectors.rescue_applications, RescueStatus, "programs/rescue_list.html"),
    "restart": (selectors.restart_applications, GrantStatus, "programs/restart_list.html"),
}
APPLICATION_MODELS = {"rescue": RescueHelperApplication, "restart": RestartGrantApplication}


@staff_required
def application_list(request, program):
    """A program's applications in the user's cities, narrowed to one status when a known one is asked for."""
    applications, statuses, template = APPLICATION_LISTS[program]
    status = request.GET.get("status", "")
    page = paginate(request, applications(request.user, status if status in statuses.values else ""), PAGE_SIZE)
    return render(request, template, {"page": page, "status": status, "statuses": statuses.choices})


@staff_required
def application_new(request, program):
    return application_form(request, program)


@staff_required
def application_edit(request, program, pk):
    return application_form(request, program, get_in_my_cities_or_404(request.user, APPLICATION_MODELS[program], pk))


def _grant_rules(user, application):
    """The grant versions whose facility types and qualifications the form offers: the application's own
    version when it has one, else those in force today in the user's cities."""
    if application is not None:
        try:
            return [selectors.rule_of(application, Program.RESTART_GRANT)]
        except services.ProgramError:
            pass
    return selectors.rules_in_force_today(user, Program.RESTART_GRANT, timezone.localdate())


def application_form(request, program, application=None):
    """Receive a new application (to one of the user's cities) or correct one: the form, then the program's
    create/update service."""
    form_class, create, update, title, back, detail = APPLICATION_FORMS[program]
    editing = application is not None
    extra = {}
    if program == "restart":
        extra["grant_rules"] = _grant_rules(request.user, application)
    form = form_class(request.POST or None, instance=application, initial={"received_on": timezone.localdate()},
                      **extra)
    if not editing:
        add_municipality_field(form, request.user, label="申請先の市区町村")
        if request.method == "GET" and not selectors.rules_in_force_today(request.user, PROGRAM_OF[program],
                                                                          timezone.localdate()):
            messages.warning(request, f"担当する市区町村では、本日有効な{PROGRAM_OF[program].label}の規程がありません"
                                      "（事業を実施していないか、まだ始まっていません）。")
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        if not editing:
            fields["municipality"] = form.cleaned_data["municipality"]
        try:
            if editing:
                update(application=application, actor=request.user, request=request, **fields)
            else:
                application = create(actor=request.user, request=request, **fields)
        except services.ProgramError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "申請を保存しました。")
            return redirect(detail, pk=application.pk)
    return render(request, "programs/form.html",
                  {"form": form, "title": title + ("の修正" if editing else "受付"), "back": reverse(back)})


def form_or_messages(request, form):
    """The cleaned data of a valid form, or None after showing its errors as messages."""
    if form.is_valid():
        return form.cleaned_data
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return None


def one_city(request, queryset, path="municipality"):
    """`queryset` cut to the city named by ?municipality=<code> (one the user acts for, else 404), or left
    with all the user's cities when none is named (staff of several cities export one city's file)."""
    code = request.GET.get("municipality", "")
    if not code:
        return queryset
    return queryset.filter(**{path: choose_municipality(request.user, code)})


def csv_response(filename, rows):
    """A CSV download in UTF-8 with BOM and CRLF, as the city's payment system and Excel read it."""
    rows = [safe_row(row) for row in rows]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # UTF-8 BOM: the city's payment system and Excel read Japanese correctly
    csv.writer(response, lineterminator="\r\n").writerows(rows)
    return response


def monthly_csv_view(*, header, found, row, object_type, detail, filename, path="municipality"):
    """A staff view of the month's (?month=) list as a CSV download, audited as an export: 対象月 and the
    header, then the month and row(item) for each item of found(user, month) in the chosen city (`path`: the
    item's city, see one_city)."""

    @staff_required
    def view(request):
        month, _ = month_from(request)
        items = one_city(request, found(request.user, month), path)
        rows = [["対象月", *header]] + [[f"{month:%Y-%m}", *row(item)] for item in items]
        record(action=Action.EXPORT, request=request, object_type=object_type, detail=f"{detail} {month:%Y-%m}")
        return csv_response(f"{filename}-{month:%Y-%m}.csv", rows)

    return view


def action_view(*, model, detail, form=None):
    """Make a POST-only staff view from `act(request, obj, data, **kwargs) -> message`.

    The view loads the object (404 when missing or of a city the user does not act for), validates
    `form(request)` when given (errors become messages), calls `act` (a service call), shows its message or every problem of a
    refused write, and returns to the object's detail page.
    """

    def decorator(act):
        @staff_required
        @require_POST
        @wraps(act)
        def view(request, pk, **kwargs):
            obj = get_in_my_cities_or_404(request.user, model, pk)
            data = form_or_messages(request, form(request)) if form else {}
            if data is not None:
                try:
                    message = act(request, obj, data, **kwargs)
                except services.ProgramError as error:
                    show_error(request, error)
                else:
                    if message:
                        messages.success(request, message)
            return redirect(detail, pk=pk)

        return view

    return decorator
