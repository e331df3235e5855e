"""Reads of care plans: the current plan of a patient as the page and the API show it, and the CSV export.

A fixed number of queries whatever the plan's size: the plan, its months, and the tables shown (one each).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from renkei.core import access
from renkei.core.errors import AppError
from renkei.core.models import User
from renkei.network.models import Patient

from .layout import FIRST_DAY, TABLES, Column, as_dict, header_row, write_file
from .models import CarePlan, CarePlanTable

ENCODINGS = {"shift_jis": "cp932", "utf-8": "utf-8"}


@dataclass
class Row:
    """One data record: its values by column name, its columns, and whether it is the viewer's 事業所's."""

    values: dict[str, str]
    cells: list[tuple[Column, str]]
    mine: bool = False
    hidden: int = 1  # leading cells not shown: the record type, or the keys of a table in the standard's layout

    @property
    def hours(self) -> str:
        """第6表's 提供時間 as 「09:00–09:30」 ("" when the service has none, e.g. a rental)."""
        start, end = self.values.get("提供開始時刻", ""), self.values.get("提供終了時刻", "")
        return f"{start[:2]}:{start[2:]}–{end[:2]}:{end[2:]}" if start and end else ""

    @property
    def display(self) -> list[tuple[str, str]]:
        """(column name, value as the page shows it: codes by their label, dates in full), the record type (or
        the keys every record of a standard-layout table repeats) left out."""
        return [(c.label, c.label_of(v)) for c, v in self.cells[self.hidden:]]


@dataclass
class PlanView:
    """What the ケアプラン page and GET /careplan show of the current plan."""

    plan: CarePlan | None
    offices: list[str]
    only_mine: bool = False
    months: list[str] = field(default_factory=list)
    month: str = ""
    table1: Row | None = None
    table2: list[Row] = field(default_factory=list)
    table6: list[Row] = field(default_factory=list)
    table7: list[Row] = field(default_factory=list)
    table7_total: Row | None = None
    days: list[int] = field(default_factory=list)

    @property
    def is_provider(self) -> bool:
        """The viewer's 事業所 has rows in the plan."""
        return any(r.mine for r in self.table2 + self.table6 + self.table7)


def _rows(table: int, records: list[list[str]], offices: list[str]) -> list[Row]:
    layout = TABLES[table]
    rows = []
    for record in records:
        kind = layout.record_type(record)
        columns = layout.columns(kind)
        mine = layout.office_column is not None and kind == "D" and record[layout.office_column] in offices
        rows.append(Row(as_dict(columns, record), list(zip(columns, record, strict=True)), mine, layout.hidden))
    return rows


def current_plan(user: User, patient: Patient) -> CarePlan | None:
    """The patient's current plan, through the access rule (None when there is none or it is not visible)."""
    return access.care_plans_visible_to(user).filter(patient=patient, is_current=True).first()


def plan_view(*, user: User, patient: Patient, month: str = "", only_mine: bool = False) -> PlanView:
    """The current plan with the month's 第6表・第7表 (the latest month unless `month` names one), the viewer's
    rows marked (`mine`), or only those with `only_mine`. The caller has checked the patient is visible."""
    offices = access.office_numbers_of(user)
    plan = current_plan(user, patient)
    view = PlanView(plan=plan, offices=offices, only_mine=only_mine)
    if plan is None:
        return view
    view.months = sorted({m for m in CarePlanTable.objects.filter(plan=plan, table__in=(6, 7))
                          .values_list("month", flat=True)}, reverse=True)
    view.month = month if month in view.months else (view.months[0] if view.months else "")
    tables = {t.table: t for t in CarePlanTable.objects.filter(plan=plan, month__in=("", view.month))}
    for number, target in ((2, "table2"), (6, "table6"), (7, "table7")):
        rows = _rows(number, tables[number].records, offices) if number in tables else []
        if number == 7:
            view.table7_total = next((r for r in rows if r.values["レコード種別"] == "T"), None)
            rows = [r for r in rows if r.values["レコード種別"] == "D"]
        setattr(view, target, [r for r in rows if r.mine] if only_mine else rows)
    if 1 in tables:
        view.table1 = _rows(1, tables[1].records, offices)[0]
    if view.month:
        view.days = list(range(1, calendar.monthrange(int(view.month[:4]), int(view.month[4:]))[1] + 1))
    return view


def day_counts(row: Row, days: list[int]) -> list[str]:
    """The 第6表 row's count for each day of the month."""
    values = [v for _, v in row.cells]
    return [values[FIRST_DAY + day - 1] for day in days]


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    content_type: str
    rows: int


def export_table(*, user: User, patient: Patient, table: object, month: str = "", encoding: str = "shift_jis",
                 only_mine: bool = False) -> Export:
    """One 表 of the current plan as a CSV file in the import layout.

    The team's care manager gets the whole table (unless `only_mine`); any other member gets the 第1表 and, of
    the 第2表・第6表・第7表, the rows of the 事業所 they work for. 404 when the plan or table is not there.
    """
    try:
        number = int(str(table))
    except ValueError:
        number = 0
    if number not in TABLES:
        raise AppError("table は 1・2・6・7 のいずれかを指定してください。", status=400, field="table")
    if encoding not in ENCODINGS:
        raise AppError("encoding は shift_jis または utf-8 を指定してください。", status=400, field="encoding")
    plan = current_plan(user, patient)
    if plan is None:
        raise Http404("ケアプランがまだ取り込まれていません。")
    layout = TABLES[number]
    found = CarePlanTable.objects.filter(plan=plan, table=number)
    found = found.filter(month=month) if (layout.monthly and month) else found.order_by("-month")
    stored = found.first()
    if stored is None:
        raise Http404("この表は取り込まれていません。")
    records: list[Any] = stored.records
    if layout.office_column is not None and (only_mine or not access.is_team_care_manager(user, patient)):
        offices = set(access.office_numbers_of(user))
        records = [r for r in records if layout.record_type(r) != "D" or r[layout.office_column] in offices]
    if layout.official:
        header = None
        # the standard's name: UP2KYO_送信元_送信先_日時 (送信先: the provider exporting its rows, else the office)
        to = next(iter(sorted({r[layout.office_column] for r in records} & set(access.office_numbers_of(user)))),
                  plan.office_number) if layout.office_column is not None else plan.office_number
        filename = f"UP2KYO_{plan.office_number}_{to}_{timezone.localtime(plan.imported_at):%Y%m%d%H%M%S}.CSV"
    else:
        header = header_row(table=number, insurer_number=plan.insurer_number, insured_number=plan.insured_number,
                            created_on=plan.created_on, office_number=plan.office_number, month=stored.month,
                            count=len(records))
        suffix = f"_{stored.month}" if stored.month else ""
        filename = f"careplan{number}_{plan.insured_number}_{plan.created_on}{suffix}.csv"
    return Export(filename=filename, content=write_file(header, records, encoding=ENCODINGS[encoding]),
                  content_type=f"text/csv; charset={'Shift_JIS' if encoding == 'shift_jis' else 'utf-8'}",
                  rows=len(records))


HISTORY = 20


def history(user: User, patient: Patient) -> list[CarePlan]:
    """The latest HISTORY versions of the patient's plan, newest first."""
    return list(access.care_plans_visible_to(user).filter(patient=patient).select_related("imported_by")
                .order_by("-version")[:HISTORY])
