"""HTTP API of care plans (ケアプランデータ連携 CSV): read the current plan, import files, export one 表."""
import datetime

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from renkei.core import access
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.errors import audit_refusal
from renkei.core.idempotency import idempotent

from . import selectors, services

router = Router(tags=["care plans"])


class RowOut(Schema):
    values: dict[str, str]
    mine: bool


class VersionOut(Schema):
    version: int
    created_on: str
    is_current: bool
    imported_at: datetime.datetime
    imported_by: str


class PlanOut(Schema):
    version: int | None
    created_on: str | None
    insurer_number: str | None
    insured_number: str | None
    office_number: str | None
    hosoku: dict[str, str] | None
    my_offices: list[str]
    months: list[str]
    month: str
    table1: dict[str, str] | None
    table2: list[RowOut]
    table3: list[RowOut]
    table6: list[RowOut]
    table7: list[RowOut]
    table7_total: dict[str, str] | None


class CsvProblemOut(Schema):
    """One problem of a refused file: where (file, line, column) and what, in Japanese."""

    loc: list[str | int]
    msg: str
    type: str
    file: str
    line: int
    column: int
    column_name: str


class CsvProblemsOut(Schema):
    detail: list[CsvProblemOut]


class ImportedOut(Schema):
    version: int
    created_on: str
    tables: list[str]


def _rows(rows):
    return [{"values": r.values, "mine": r.mine} for r in rows]


def _version(plan):
    return {"version": plan.version, "created_on": plan.created_on, "is_current": plan.is_current,
            "imported_at": plan.imported_at, "imported_by": plan.imported_by.name if plan.imported_by else ""}


@router.get("/patients/{patient_id}/careplan", response=PlanOut,
            summary="The patient's current care plan: 補足情報, 第1表, 第2表, 第3表 and one month's 第6表・第7表")
def get_careplan(request, patient_id: str, month: str = "", mine: bool = False):
    """Records in the standard's layout, by item name. Rows of the caller's own 事業所 (by 介護保険事業所番号)
    carry `mine`; `mine=true` keeps only those. `month` (YYYYMM) picks the 第6表・第7表 month (the latest by
    default); `table6` is one record per service per day; `table7_total` the 全合計 row; `hosoku` the
    補足情報 of the month (else of the plan). No plan yet: every field empty."""
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    view = selectors.plan_view(user=request.user, patient=patient, month=month, only_mine=mine)
    record(action=Action.READ, request=request, obj=view.plan or patient, patient=patient, detail="care plan")
    plan = view.plan
    return {"version": plan.version if plan else None, "created_on": plan.created_on if plan else None,
            "insurer_number": plan.insurer_number if plan else None,
            "insured_number": plan.insured_number if plan else None,
            "office_number": plan.office_number if plan else None,
            "hosoku": view.hosoku.values if view.hosoku else None, "my_offices": view.offices,
            "months": view.months, "month": view.month, "table1": view.table1.values if view.table1 else None,
            "table2": _rows(view.table2), "table3": _rows(view.table3), "table6": _rows(view.table6), "table7": _rows(view.table7),
            "table7_total": view.table7_total.values if view.table7_total else None}


@router.post("/patients/{patient_id}/careplan/csv",
             response={201: ImportedOut, 400: Detail, 403: Detail, 409: Detail, 422: CsvProblemsOut},
             summary="Import the care manager's ケアプランデータ連携 CSV files (one file per 表) as a new plan version")
@idempotent
def import_careplan(request, patient_id: str, files: list[UploadedFile] | None = File(None)):  # noqa: B008
    """Multipart, field `files` once per file; UTF-8 or Shift_JIS (CP932). Only the team's care manager (403).
    A problem in any file refuses them all (422, one entry per problem with file, line and column) and
    stores nothing."""
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    uploads = [services.Upload(name=f.name or "upload.csv", content=f.read()) for f in files or []]
    try:
        plan = services.import_plan(user=request.user, patient=patient, uploads=uploads, request=request)
    except services.CsvRejected as rejected:
        audit_refusal(request, status=422, reason=rejected.message[:500], patient=patient)
        return Status(422, {"detail": [{"loc": ["body", "files", p.file, p.line, p.column], "msg": str(p),
                                        "type": "csv_error", **p.as_dict()} for p in rejected.lines]})
    tables = sorted({f"{t.table}:{t.month}" if t.month else str(t.table) for t in plan.tables.all()})
    return Status(201, {"version": plan.version, "created_on": plan.created_on, "tables": tables})


@router.get("/patients/{patient_id}/careplan/csv", response={200: None, 400: Detail, 409: Detail},
            summary="One file of the current care plan as CSV, in the standard's layout")
def export_careplan(request, patient_id: str, table: str = "", month: str = "", encoding: str = "shift_jis",
                    mine: bool = False):
    """`table` 1, 2, 3, 6, 7 or 9 (補足情報); `month` (YYYYMM) for 6 and 7 (the latest by default) and for the
    補足情報 of a month; `encoding` shift_jis (the standard's) or utf-8. The care manager gets the whole file;
    other members the rows of their 事業所. Named as the standard names it (UP2KYO_…_YYYYMMDDHHMMSS.CSV)."""
    patient = access.get_visible_patient_or_404(request.user, patient_id)
    export = selectors.export_table(user=request.user, patient=patient, table=table, month=month,
                                    encoding=encoding, only_mine=mine)
    record(action=Action.EXPORT, request=request, patient=patient, object_type="careplans.careplantable",
           detail=f"care plan csv table {export.table} {export.month} {export.rows} rows")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
