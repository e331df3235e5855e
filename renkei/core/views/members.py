"""Registered members of the network by profession and municipality, as of any date."""
import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..audit import Action, record
from ..auth import role_required
from ..exports import safe_row
from ..forms import AsOfForm
from ..wareki import fiscal_year, fiscal_year_bounds, fiscal_year_label, format_era_date


@role_required("staff")
def members(request: HttpRequest) -> HttpResponse:
    """Registered members by profession and municipality on any date (today by default)."""
    form = AsOfForm(request.GET or None)
    table = selectors.member_table(form.as_of())
    this_fy = fiscal_year(timezone.localdate())
    year_ends = [(fiscal_year_label(fy), fiscal_year_bounds(fy)[1]) for fy in range(this_fy - 4, this_fy)]
    return render(request, "core/members.html", {"form": form, "table": table, "year_ends": year_ends})


@role_required("staff")
def members_csv(request: HttpRequest) -> HttpResponse:
    """The member table of the chosen date as CSV (UTF-8 with BOM, for Excel); the export is audited."""
    table = selectors.member_table(AsOfForm(request.GET or None).as_of())
    record(action=Action.EXPORT, request=request, object_type="core.member_table", detail=f"as_of={table.as_of}")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row([f"{format_era_date(table.as_of)}現在", *table.columns, "合計"]))
    for row in table.rows:
        writer.writerow(safe_row([row.label, *row.cells, row.total]))
    writer.writerow(safe_row(["合計", *table.column_totals, table.total]))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="members-{table.as_of:%Y%m%d}.csv"'
    return response
