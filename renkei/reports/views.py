"""Pages of the annual report: the 資料2 table, its Excel and PDF, narrative lines, historical figures, dashboard."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import role_required
from renkei.core.errors import AppError, show_error
from renkei.core.figures import ITEMS
from renkei.core.wareki import fiscal_year, format_era_date

from . import dashboard, exports, services
from .forms import HistoricalFigureForm, RangeForm, ReportLineForm, default_range
from .models import HistoricalFigure, ReportLine
from .selectors import build_report

staff_only = role_required("staff")


def _range(request, default=None):
    """The valid range form from the query string, or the defaults when none is given."""
    form = RangeForm(request.GET if "from_fy" in request.GET or "to_fy" in request.GET else (default or default_range()))
    return form, form.is_valid()


def _municipality(request):
    facility = request.user.facilities.select_related("municipality").first()
    return facility.municipality.name if facility else ""


@staff_only
def annual(request):
    """The 8 items × fiscal years table, with export links."""
    form, ok = _range(request)
    report = build_report(form.cleaned_data["from_fy"], form.cleaned_data["to_fy"]) if ok else None
    return render(request, "reports/annual.html", {"form": form, "report": report}, status=200 if ok else 400)


def _export(request, make, content_type, extension):
    form, ok = _range(request)
    if not ok:
        return render(request, "reports/annual.html", {"form": form, "report": None}, status=400)
    from_fy, to_fy = form.cleaned_data["from_fy"], form.cleaned_data["to_fy"]
    report = build_report(from_fy, to_fy)
    body = make(report, municipality=_municipality(request), issued_on=format_era_date(timezone.localdate()))
    record(action=Action.EXPORT, request=request, object_type="reports.annual", object_id=f"{from_fy}-{to_fy}", detail=extension)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="annual-report-{from_fy}-{to_fy}.{extension}"'
    return response


@staff_only
def annual_xlsx(request):
    return _export(request, exports.report_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


@staff_only
def annual_pdf(request):
    return _export(request, exports.report_pdf, "application/pdf", "pdf")


@staff_only
def lines_current(request):
    return redirect("reports:lines", fy=fiscal_year(timezone.localdate()))


@staff_only
def lines(request, fy):
    """Narrative lines of one fiscal year: write, approve, remove."""
    form = ReportLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_line(user=request.user, fiscal_year=fy, data=form.cleaned_data, request=request)
        except AppError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "記述を追加しました（承認すると報告に載ります）。")
            return redirect("reports:lines", fy=fy)
    rows = ReportLine.objects.filter(fiscal_year=fy).order_by("item", "order", "id")
    report = build_report(fy, fy)
    by_item = [
        (key, title, [line for line in rows if line.item == key], report.cells[(fy, key)].figures)
        for key, title in ITEMS.items()
    ]
    return render(request, "reports/lines.html", {"fy": fy, "form": form, "by_item": by_item, "prev": fy - 1, "next": fy + 1})


@require_POST
@staff_only
def line_action(request, pk):
    line = get_object_or_404(ReportLine, pk=pk)
    action = request.POST.get("action")
    if action == "delete":
        services.delete_line(user=request.user, line=line, request=request)
        messages.success(request, "記述を削除しました。")
    else:
        services.set_line_approval(user=request.user, line=line, approved=action == "approve", request=request)
        messages.success(request, "承認しました。" if action == "approve" else "承認を取り消しました。")
    return redirect("reports:lines", fy=line.fiscal_year)


@staff_only
def historical(request):
    """Figures of years before the system, each with its source."""
    form = HistoricalFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_historical_figure(user=request.user, data=form.cleaned_data, request=request)
        except AppError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "過去の集計値を登録しました。")
            return redirect("reports:historical")
    figures = HistoricalFigure.objects.order_by("-fiscal_year", "item", "key")[:500]
    return render(request, "reports/historical.html", {"form": form, "figures": figures}, status=400 if form.errors else 200)


@staff_only
def dashboard_page(request):
    fy = fiscal_year(timezone.localdate())
    form, ok = _range(request, default={"from_fy": fy - 7, "to_fy": fy})
    charts = dashboard.charts(build_report(form.cleaned_data["from_fy"], form.cleaned_data["to_fy"])) if ok else []
    return render(request, "reports/dashboard.html", {"form": form, "charts": charts}, status=200 if ok else 400)
