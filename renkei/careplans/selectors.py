"""Reads of care plans: the current plan of a patient as the page and the API show it, and the CSV export.

A fixed number of queries whatever the plan's size: the plan, its months, and the tables shown (one each).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from renkei.core import access
from renkei.core.errors import AppError
from renkei.core.models import User
from renkei.network.models import Patient

from .layout import (
    HOSOKU,
    SUBTOTALS,
    TABLES,
    TOTAL_CODE,
    TOTAL_OFFICE,
    Column,
    as_dict,
    month_days,
    write_file,
)
from .models import CarePlan, CarePlanTable

ENCODINGS = {"shift_jis": "cp932", "utf-8": "utf-8"}
CARE_MANAGER_KIND = "43"  # サービス種類コード of 居宅介護支援, in the standard's file names
UNKNOWN_KIND = "00"
# what the page shows of the 補足情報 (UPHOSOKU) (the person's own items are on the patient's head already)
HOSOKU_FACTS = ("認定状況区分", "要介護状態区分", "認定日", "要介護状態変更日", "限度額適用開始年月日",
                "限度額適用終了年月日", "区分支給限度基準額", "合計限度超単位数", "前回要介護状態区分")


@dataclass
class Row:
    """One record: its values by item name, its items, and whether it is the viewer's 事業所's."""

    values: dict[str, str]
    cells: list[tuple[Column, str]]
    mine: bool = False
    hidden: int = 3  # leading items not shown: the keys every record repeats

    @property
    def display(self) -> list[tuple[str, str]]:
        """(item name, value as the page shows it: codes by their label, dates in full), the keys left out."""
        return [(c.label, c.label_of(v)) for c, v in self.cells[self.hidden:]]

    @property
    def kind(self) -> str:
        """第7表: "total" for the 全合計 row, "subtotal" for a 種類's subtotal, else ""."""
        code = self.values.get("サービスコード", "")
        if code == TOTAL_CODE and "回数／日数" in self.values:
            return "total"
        return "subtotal" if code[2:] in SUBTOTALS and "回数／日数" in self.values else ""

    @property
    def facts(self) -> list[tuple[str, str]]:
        """補足情報 (UPHOSOKU): the certification and the limits that are filled in, and the 種類別 limits."""
        by_name = {c.name: c for c, _ in self.cells}
        found = [(by_name[n].label, by_name[n].label_of(self.values[n])) for n in HOSOKU_FACTS if self.values.get(n)]
        for n in "１２３４５６７８９":
            kind = self.values.get(f"{n}サービス種類コード", "")
            if kind:
                found.append((f"種類別支給限度（種類 {kind}）", f"{self.values[f'{n}支給限度基準額']}単位"))
        return found


@dataclass
class ScheduleRow:
    """第6表 as the form prints it: one service of one provider at one time, its count on each day."""

    office: str
    office_name: str
    code: str
    tool: str
    start: str
    end: str
    mine: bool
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def hours(self) -> str:
        """「09:00–09:30」, "" for a service without a time (9999)."""
        if self.start == "9999" or self.end == "9999":
            return ""
        return f"{self.start[:2]}:{self.start[2:]}–{self.end[:2]}:{self.end[2:]}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def day_counts(self, days: list[int]) -> list[str]:
        return [str(self.counts[d]) if self.counts.get(d) else "" for d in days]


@dataclass
class PlanView:
    """What the ケアプラン page and GET /careplan show of the current plan."""

    plan: CarePlan | None
    offices: list[str]
    only_mine: bool = False
    months: list[str] = field(default_factory=list)
    month: str = ""
    hosoku: Row | None = None
    table1: Row | None = None
    table2: list[Row] = field(default_factory=list)
    table3: list[Row] = field(default_factory=list)
    table6: list[Row] = field(default_factory=list)
    schedule: list[ScheduleRow] = field(default_factory=list)
    table7: list[Row] = field(default_factory=list)
    table7_total: Row | None = None
    days: list[int] = field(default_factory=list)

    @property
    def hosoku_month(self) -> str:
        """The 対象年月 of the 補足情報 shown ("" when it is the plan's, 000000)."""
        month = self.hosoku.values.get("対象年月", "") if self.hosoku else ""
        return "" if month == "000000" else month

    @property
    def is_provider(self) -> bool:
        """The viewer's 事業所 has rows in the plan."""
        return any(r.mine for r in self.table2 + self.table6 + self.table7)


def _rows(table: int, records: list[list[str]], offices: list[str]) -> list[Row]:
    layout = TABLES[table]
    rows = []
    for record in records:
        columns = layout.columns_for(record)
        if len(record) != len(columns):
            continue  # not a record of the standard's layout (never stored by the import)
        mine = layout.office_item is not None and record[layout.office_item] in offices
        rows.append(Row(as_dict(columns, record), list(zip(columns, record, strict=True)), mine, layout.hidden))
    return rows


def schedule(rows: list[Row]) -> list[ScheduleRow]:
    """第6表's records (one per service per day) as the form's day grid, in the order they come."""
    grid: dict[tuple[str, ...], ScheduleRow] = {}
    for row in rows:
        v = row.values
        tool = v.get("用具名称（機種名）", "")
        key = (v["サービス事業者コード"], v["サテライト枝番"], v["サービスコード"], v["サービス開始時刻"],
               v["サービス終了時刻"], tool, v["明細判別コード"])
        line = grid.setdefault(key, ScheduleRow(v["サービス事業者コード"], v["サービス事業所名"], v["サービスコード"], tool,
                                                v["サービス開始時刻"], v["サービス終了時刻"], row.mine))
        day = int(v["サービス利用日"][6:])
        line.counts[day] = line.counts.get(day, 0) + int(v["サービス回数"])
    return list(grid.values())


def current_plan(user: User, patient: Patient) -> CarePlan | None:
    """The patient's current plan, through the access rule (None when there is none or it is not visible)."""
    return access.care_plans_visible_to(user).filter(patient=patient, is_current=True).first()


def plan_view(*, user: User, patient: Patient, month: str = "", only_mine: bool = False) -> PlanView:
    """The current plan with the month's 第6表・第7表 and 補足情報 (the latest month unless `month` names one),
    the viewer's rows marked (`mine`), or only those with `only_mine`. The caller has checked the patient is
    visible."""
    offices = access.office_numbers_of(user)
    plan = current_plan(user, patient)
    view = PlanView(plan=plan, offices=offices, only_mine=only_mine)
    if plan is None:
        return view
    view.months = sorted({m for m in CarePlanTable.objects.filter(plan=plan, table__in=(6, 7))
                          .values_list("month", flat=True)}, reverse=True)
    view.month = month if month in view.months else (view.months[0] if view.months else "")
    tables = {(t.table, t.month): t for t in CarePlanTable.objects.filter(plan=plan, month__in=("", view.month))}

    def rows(number: int, month: str = "") -> list[Row]:
        found = tables.get((number, month))
        return _rows(number, found.records, offices) if found is not None else []

    hosoku = rows(HOSOKU, view.month) or rows(HOSOKU)
    view.hosoku = hosoku[0] if hosoku else None
    table1 = rows(1)
    view.table1 = table1[0] if table1 else None
    view.table3 = rows(3)
    table7 = rows(7, view.month)
    view.table7_total = next((r for r in table7 if r.kind == "total"), None)
    table7 = [r for r in table7 if r.kind != "total"]
    for target, found in (("table2", rows(2)), ("table6", rows(6, view.month)), ("table7", table7)):
        setattr(view, target, [r for r in found if r.mine] if only_mine else found)
    view.schedule = schedule(view.table6)
    if view.month:
        view.days = list(range(1, month_days(view.month) + 1))
    return view


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    content_type: str
    rows: int
    table: int = 0
    month: str = ""  # the 対象年月 of the file exported ("" for the plan's files)


def _service_kind(layout_number: int, records: list[Any]) -> str:
    """The サービス種類コード of a provider's rows (the first two characters of the service code), 00 unknown."""
    if layout_number not in (6, 7):
        return UNKNOWN_KIND
    kinds = sorted({r[TABLES[layout_number].index("サービスコード", r)][:2] for r in records})
    kinds = [k for k in kinds if k.isdigit() and k != TOTAL_CODE[:2]]
    return kinds[0] if kinds else UNKNOWN_KIND


def export_table(*, user: User, patient: Patient, table: object, month: str = "", encoding: str = "shift_jis",
                 only_mine: bool = False) -> Export:
    """One file of the current plan in the standard's layout, under the standard's file name.

    `table` 1, 2, 3, 6, 7 or 9 (補足情報 (UPHOSOKU); `month` for that of a month). The team's care manager gets
    the whole file (unless `only_mine`); any other member gets 補足情報, 第1表 and 第3表 and, of 第2表・第6表・
    第7表, the rows of the 事業所 they work for. 404 when the plan or table is not there.
    """
    text = str(table)
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else 0  # not 「１」, "+1", "0_1"
    if number not in TABLES:
        raise AppError("table は 1・2・3・6・7・9（補足情報）のいずれかを指定してください。", status=400, field="table")
    if encoding not in ENCODINGS:
        raise AppError("encoding は shift_jis または utf-8 を指定してください。", status=400, field="encoding")
    plan = current_plan(user, patient)
    if plan is None:
        raise Http404("ケアプランがまだ取り込まれていません。")
    layout = TABLES[number]
    found = CarePlanTable.objects.filter(plan=plan, table=number)
    if layout.monthly:
        found = found.filter(month=month) if month else found.order_by("-month")
    else:
        found = found.filter(month=month if number == HOSOKU else "")
    stored = found.first()
    if stored is None:
        raise Http404("この表は取り込まれていません。")
    records: list[Any] = stored.records
    offices = access.office_numbers_of(user)
    whole = not only_mine and access.is_team_care_manager(user, patient)
    if layout.office_item is not None and not whole:
        # a provider's rows; 第7表 keeps the plan's 全合計 row (the standard requires one; it is nobody's row)
        records = [r for r in records if r[layout.office_item] in offices
                   or (number == 7 and r[layout.office_item] == TOTAL_OFFICE)]
    sender = plan.office_number or "0" * 10
    if whole:
        receiver, kind = sender, CARE_MANAGER_KIND
    else:
        theirs = sorted({r[layout.office_item] for r in records} - {TOTAL_OFFICE} if layout.office_item is not None
                        else set())
        # Facility.official_id is free text: only a 10-digit 事業所番号 goes into the file name
        numbers = [o for o in offices if len(o) == 10 and o.isascii() and o.isdigit()]
        receiver = (theirs or numbers or [sender])[0]
        kind = _service_kind(number, records)
    month_part = f"{stored.month or '000000'}_" if (layout.monthly or number == HOSOKU) else ""
    stamp = f"{timezone.localtime(plan.imported_at):%Y%m%d%H%M%S}"
    filename = f"{layout.prefix}_{month_part}{sender}_{CARE_MANAGER_KIND}_{receiver}_{kind}_{stamp}.CSV"
    try:
        content = write_file(number, records, encoding=ENCODINGS[encoding])
    except UnicodeEncodeError as error:  # never from an import (it refuses such values); a record stored otherwise
        raise AppError(f"この表には Shift_JIS で表せない文字「{error.object[error.start:error.end]}」があります。"
                       "encoding=utf-8 で出力してください。", status=409, field="encoding") from error
    return Export(filename=filename, content=content,
                  content_type=f"text/csv; charset={'Shift_JIS' if encoding == 'shift_jis' else 'utf-8'}",
                  rows=len(records), table=number, month=stored.month)


HISTORY = 20


def history(user: User, patient: Patient) -> list[CarePlan]:
    """The latest HISTORY versions of the patient's plan, newest first."""
    return list(access.care_plans_visible_to(user).filter(patient=patient).select_related("imported_by")
                .order_by("-version")[:HISTORY])
