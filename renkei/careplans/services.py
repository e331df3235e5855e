"""Writes of care plans: import the care manager's CSV files as a new plan version, whole or not at all."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core import access
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import User
from renkei.network.models import Patient
from renkei.network.services import post_notice

from .layout import PERSON_KANA, PERSON_NAME, TABLES, ParsedFile, Problem, as_dict, parse_file
from .models import CarePlan, CarePlanTable

MAX_FILES = 40  # 第1表・第2表 and 第6表・第7表 of up to a year and a half
KEYS = ("保険者番号", "被保険者番号", "作成年月日", "居宅介護支援事業所番号")


class CsvRejected(AppError):
    """Files refused: the problems line by line (`lines`); nothing was stored."""

    def __init__(self, problems: Sequence[Problem], *, status: int = 422) -> None:
        self.lines = list(problems)
        super().__init__([str(p) for p in self.lines], status=status,
                         summary="ケアプランの CSV を取り込めませんでした：")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name and bytes."""

    name: str
    content: bytes


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text or "")


def _kana(text: str) -> str:
    """Katakana as hiragana, without spaces: フリガナ and the patient's かな compare equal."""
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in _squash(text))


def _same_person(patient: Patient, parsed: ParsedFile) -> list[Problem]:
    """The person of 第1表 is this patient: the birth date, and the name or its reading."""
    row = as_dict(TABLES[1].columns(), parsed.records[0])
    problems = []
    if row["生年月日"] != patient.birth_date.strftime("%Y%m%d"):
        problems.append(Problem(parsed.name, 2, 4, "生年月日", "生年月日がこの患者と一致しません。"))
    if _squash(row[PERSON_NAME]) != _squash(patient.name) and _kana(row[PERSON_KANA]) != _kana(patient.name_kana):
        problems.append(Problem(parsed.name, 2, 2, PERSON_NAME, "氏名（フリガナ）がこの患者と一致しません。"))
    return problems


def _read(uploads: Sequence[Upload]) -> list[ParsedFile]:
    """Every file read and checked against the others; CsvRejected with all problems of all files."""
    if not uploads:
        raise AppError("取り込む CSV ファイルを選んでください。", status=400, field="csv_files")
    if len(uploads) > MAX_FILES:
        raise AppError(f"一度に取り込めるのは {MAX_FILES} ファイルまでです。", status=400, field="csv_files")
    parsed, problems = [], []
    for upload in uploads:
        found, found_problems = parse_file(upload.name, upload.content)
        problems += found_problems
        if found is not None:
            parsed.append(found)
    if problems:
        raise CsvRejected(problems)
    first = parsed[0]
    seen: dict[tuple[int, str], ParsedFile] = {}
    for item in parsed:
        for key in KEYS:
            # 第2表 in the standard's layout carries no 居宅介護支援事業所番号: it is not compared
            if item.header[key] and first.header[key] and item.header[key] != first.header[key]:
                line, column = item.key_at(key)
                problems.append(Problem(item.name, line, column, key,
                                        f"{key}が {first.name} と違います（一度に取り込めるのは同じ計画のファイルだけです）。"))
        other = seen.setdefault((item.table, item.month), item)
        if other is not item:
            line, column = (0, 0) if TABLES[item.table].official else (1, 3)
            problems.append(Problem(item.name, line, column, "表番号" if column else "",
                                    f"第{item.table}表（{item.month or '対象年月なし'}）が"
                                    f"ファイル {other.name} と重なっています。"))
    if problems:
        raise CsvRejected(problems)
    return parsed


def _check_against(patient: Patient, parsed: list[ParsedFile], current: CarePlan | None) -> None:
    """The files fit the patient and the plan on record: same 被保険者番号, not older, 第1表 for a new plan."""
    first = parsed[0]
    header = first.header
    problems = []
    table1 = next((p for p in parsed if p.table == 1), None)
    if table1 is not None:
        problems += _same_person(patient, table1)
    insured = (header["保険者番号"], header["被保険者番号"])
    line, column = first.key_at("被保険者番号")
    if current is not None and insured != (current.insurer_number, current.insured_number):
        problems.append(Problem(first.name, line, column, "被保険者番号",
                                "保険者番号・被保険者番号がこの患者の登録済みのケアプランと一致しません。"))
    elif CarePlan.objects.filter(insurer_number=insured[0], insured_number=insured[1], is_current=True
                                 ).exclude(patient=patient).exists():
        problems.append(Problem(first.name, line, column, "被保険者番号", "保険者番号・被保険者番号がこの患者と一致しません。"))
    if table1 is None and (current is None or current.created_on != header["作成年月日"]):
        problems.append(Problem(first.name, 0, 0, "", "新しい計画（作成年月日の違う計画）には第1表のファイルが必要です。"))
    if problems:
        raise CsvRejected(problems)
    if current is not None and header["作成年月日"] < current.created_on:
        raise AppError(f"登録済みの計画（作成年月日 {current.created_on}）より古い計画は取り込めません。", status=409)


def import_plan(*, user: User, patient: Patient, uploads: Sequence[Upload],
                request: HttpRequest | None = None) -> CarePlan:
    """Read the care manager's files into a new version of the patient's plan.

    The team's care manager only (403). A file with any problem refuses the whole upload (422, each problem
    with its line and column) and stores nothing. Files of the current plan's 作成年月日 add to or replace its
    tables in the new version; files of a newer 作成年月日 (with 第1表) start a new plan. The version before
    is kept as history. A notice goes on the team timeline.
    """
    access.require_team_care_manager(user, patient)
    parsed = _read(uploads)
    header = parsed[0].header
    office = next((p.header["居宅介護支援事業所番号"] for p in parsed if p.header["居宅介護支援事業所番号"]), "")
    with transaction.atomic():
        current = CarePlan.objects.select_for_update().filter(patient=patient, is_current=True).first()
        _check_against(patient, parsed, current)
        kept: list[CarePlanTable] = []
        if current is not None:
            if current.created_on == header["作成年月日"]:
                replaced = {(p.table, p.month) for p in parsed}
                kept = [t for t in current.tables.all() if (t.table, t.month) not in replaced]
            current.is_current, current.superseded_at = False, timezone.now()
            current.save(update_fields=["is_current", "superseded_at"])
        plan = CarePlan.objects.create(
            patient=patient, version=(current.version + 1) if current else 1, insurer_number=header["保険者番号"],
            insured_number=header["被保険者番号"], created_on=header["作成年月日"],
            office_number=office or (current.office_number if current else ""), imported_by=user)
        CarePlanTable.objects.bulk_create(
            [CarePlanTable(plan=plan, table=t.table, month=t.month, records=t.records, source_name=t.source_name)
             for t in kept]
            + [CarePlanTable(plan=plan, table=p.table, month=p.month, records=p.records, source_name=p.name[:200])
               for p in parsed])
        names = "・".join(f"第{n}表" for n in sorted({p.table for p in parsed}))
        post_notice(patient=patient, author=user, request=request,
                    body=f"ケアプラン（第{plan.version}版、{names}）を取り込みました。ケアプランの画面で読めます。")
        record(action=Action.CREATE, request=request, actor=user, obj=plan, patient=patient,
               detail=f"care plan v{plan.version} {names} from {len(parsed)} csv")
    return plan
