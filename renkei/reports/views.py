"""Pages of the annual report: one city's 資料2 table, its Excel and PDF, narrative lines, historical
figures, dashboard; and the area's cities side by side."""
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.access import choose_municipality, get_in_my_cities_or_404, in_my_cities, my_municipalities
from renkei.core.audit import Action, record
from renkei.core.auth import role_required
from renkei.core.errors import AppError, show_error
from renkei.core.figures import ITEMS
from renkei.core.forms import add_municipality_field
from renkei.core.wareki import fiscal_year, format_era_date

from . import area as area_figures
from . import dashboard, exports, services
from .forms import AreaYearForm, HistoricalFigureForm, RangeForm, ReportLineForm, default_range
from .models import HistoricalFigure, ReportLine
from .selectors import build_report, figure_choices, fill_line

staff_only = role_required("staff")


def _range(request, default=None):
    """The valid range form from the query string, or the defaults when none is given."""
    form = RangeForm(request.GET if "from_fy" in request.GET or "to_fy" in request.GET else (default or default_range()))
    return form, form.is_valid()


def _city(request):
    """The city the page is about and the cities the user may choose from.

    `?municipality=<code>` names one of the user's cities (another city answers 404 as a missing page);
    without it a user of several cities sees the first of them, with a select to change it."""
    cities = list(my_municipalities(request.user))
    code = request.GET.get("municipality")
    if code or not cities:
        return choose_municipality(request.user, code), cities
    return cities[0], cities


def _with_city(url, city, **params):
    return f"{url}?{urlencode({'municipality': city.code, **params})}"


def _context(city, cities, **extra):
    return {"city": city, "cities": cities, "choose_city": len(cities) > 1, **extra}


@staff_only
def annual(request):
    """One city's 8 items × fiscal years table, with export links."""
    city, cities = _city(request)
    form, ok = _range(request)
    report = build_report(form.cleaned_data["from_fy"], form.cleaned_data["to_fy"], city) if ok else None
    return render(request, "reports/annual.html", _context(city, cities, form=form, report=report),
                  status=200 if ok else 400)


def _export(request, make, content_type, extension):
    city, cities = _city(request)
    form, ok = _range(request)
    if not ok:
        return render(request, "reports/annual.html", _context(city, cities, form=form, report=None), status=400)
    from_fy, to_fy = form.cleaned_data["from_fy"], form.cleaned_data["to_fy"]
    report = build_report(from_fy, to_fy, city)
    body = make(report, municipality=city.name, issued_on=format_era_date(timezone.localdate()))
    record(action=Action.EXPORT, request=request, object_type="reports.annual",
           object_id=f"{city.code}:{from_fy}-{to_fy}", detail=extension)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="annual-report-{city.code}-{from_fy}-{to_fy}.{extension}"'
    return response


@staff_only
def annual_xlsx(request):
    return _export(request, exports.report_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


@staff_only
def annual_pdf(request):
    return _export(request, exports.report_pdf, "application/pdf", "pdf")


@staff_only
def lines_current(request):
    city, _ = _city(request)
    return redirect(_with_city(reverse("reports:lines", kwargs={"fy": fiscal_year(timezone.localdate())}), city))


@staff_only
def lines(request, fy):
    """One city's narrative lines of one fiscal year: write, approve, remove."""
    city, cities = _city(request)
    form = ReportLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_line(user=request.user, fiscal_year=fy, municipality=city, data=form.cleaned_data,
                              request=request)
        except AppError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "記述を追加しました（承認すると報告に載ります）。")
            return redirect(_with_city(reverse("reports:lines", kwargs={"fy": fy}), city))
    rows = ReportLine.objects.filter(fiscal_year=fy, municipality=city).order_by("item", "order", "id")
    report = build_report(fy, fy, city)
    choices = figure_choices(report, fy)
    by_item = [
        (key, title, [(line, fill_line(report, fy, line.text)) for line in rows if line.item == key], choices[key])
        for key, title in ITEMS.items()
    ]
    return render(request, "reports/lines.html", _context(
        city, cities, fy=fy, form=form, by_item=by_item, prev=fy - 1, next=fy + 1))


@require_POST
@staff_only
def line_action(request, pk):
    line = get_in_my_cities_or_404(request.user, ReportLine.objects.select_related("municipality"), pk)
    action = request.POST.get("action")
    if action == "delete":
        services.delete_line(user=request.user, line=line, request=request)
        messages.success(request, "記述を削除しました。")
    else:
        services.set_line_approval(user=request.user, line=line, approved=action == "approve", request=request)
        messages.success(request, "承認しました。" if action == "approve" else "承認を取り消しました。")
    return redirect(_with_city(reverse("reports:lines", kwargs={"fy": line.fiscal_year}), line.municipality))


@staff_only
def historical(request):
    """Figures of years before the system, each with its source, of the user's cities."""
    data = request.POST.copy() if request.method == "POST" else None
    cities = list(my_municipalities(request.user)[:2])
    if data is not None and not data.get("municipality") and len(cities) == 1:
        data["municipality"] = cities[0].pk  # the hidden field of a one-city user
    form = HistoricalFigureForm(data)
    add_municipality_field(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_historical_figure(user=request.user, data=form.cleaned_data, request=request)
        except AppError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "過去の集計値を登録しました。")
            return redirect("reports:historical")
    figures = (
        in_my_cities(request.user, HistoricalFigure).select_related("municipality")
        .order_by("-fiscal_year", "municipality__code", "item", "key")[:500]
    )
    return render(request, "reports/historical.html", {"form": form, "figures": figures},
                  status=400 if form.errors else 200)


@staff_only
def dashboard_page(request):
    city, cities = _city(request)
    fy = fiscal_year(timezone.localdate())
    form, ok = _range(request, default={"from_fy": fy - 7, "to_fy": fy})
    charts = dashboard.charts(build_report(form.cleaned_data["from_fy"], form.cleaned_data["to_fy"], city)) if ok else []
    adoption_charts = dashboard.adoption_charts(city, cities or [city])
    return render(request, "reports/dashboard.html",
                  _context(city, cities, form=form, charts=charts, adoption_charts=adoption_charts),
                  status=200 if ok else 400)


@role_required("staff", "coordinator")
def area(request):
    """The area's cities side by side for one fiscal year: counts only (for the 保健所 and the area's council)."""
    form = AreaYearForm(request.GET if "fy" in request.GET else {"fy": fiscal_year(timezone.localdate())})
    table = area_figures.area_table(form.cleaned_data["fy"]) if form.is_valid() else None
    if table is not None:
        record(action=Action.READ, request=request, object_type="reports.area", object_id=str(table.fiscal_year))
    return render(request, "reports/area.html", {"form": form, "table": table}, status=200 if table else 400)
