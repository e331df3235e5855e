"""The audit trail for municipal staff: search, pages, CSV export (itself audited)."""
import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from renkei.core.paging import paginate

from .. import selectors
from ..audit import Action, record
from ..audit_labels import action_label, detail_label, object_type_label
from ..auth import role_required
from ..exports import safe_cell
from ..forms import AuditSearchForm
from ..models import AuditEvent

PAGE_SIZE = 50
CSV_HEADER = ["ID", "日時", "操作した人", "操作", "対象の種類", "対象ID", "患者ID", "詳細", "IPアドレス", "ユーザーエージェント", "ハッシュ",
              "操作（日本語）", "対象の種類（日本語）", "詳細（日本語）"]
# The machine codes stay in 操作 and 対象の種類 (stable, searchable); the Japanese words come last so the
# earlier columns keep their places for existing spreadsheets.


def _search(request: HttpRequest) -> tuple[AuditSearchForm, dict[str, Any] | None, QuerySet[AuditEvent] | None]:
    form = AuditSearchForm(request.GET)
    filters = form.filters()
    return form, filters, (selectors.audit_events(**filters) if filters is not None else None)


@role_required("staff")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the audit trail by actor, action, date range, patient and object; 50 rows a page."""
    form, filters, events = _search(request)
    page = paginate(request, events, PAGE_SIZE) if events is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "searched": page is not None, "query": query.urlencode()}
    return render(request, "core/audit_log.html", context, status=200 if page is not None else 400)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: object) -> str:
    cell: str = safe_cell("" if value is None else str(value))
    return cell


def _rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for e in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                e.pk,
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                _safe(e.actor_username),
                e.action,
                _safe(e.object_type),
                _safe(e.object_id),
                _safe(e.patient_id),
                _safe(e.detail),
                e.ip or "",
                _safe(e.user_agent),
                e.hash,
                action_label(e.action),
                _safe(object_type_label(e.object_type)),
                _safe(detail_label(e.detail)),
            ]
        )


@role_required("staff")
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The matching rows as CSV (UTF-8 with BOM, for Excel); the export is recorded first."""
    form, filters, events = _search(request)
    if events is None or filters is None:
        return render(request, "core/audit_log.html", {"form": form, "page": None, "searched": False, "query": ""}, status=400)
    described = " ".join(f"{k}={v}" for k, v in filters.items() if v)
    record(action=Action.EXPORT, request=request, object_type="core.auditevent", detail=f"csv {described}".strip())
    response = StreamingHttpResponse(_rows(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
