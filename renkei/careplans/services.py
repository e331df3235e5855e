"""Writes of care plans: import the care manager's CSV files as a new plan version, whole or not at all."""
from __future__ import annotations

import re
import unicodedata
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

from .layout import (
    HOSOKU,
    PERSON_BIRTH,
    PERSON_KANA,
    PERSON_NAME,
    TABLE_ORDER,
    TABLES,
    ParsedFile,
    Problem,
    as_dict,
    parse_file,
)
from .models import CarePlan, CarePlanTable

MAX_FILES = 40  # 補足・第1表・第2表 and 補足・第6表・第7表 of a year
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
    """Katakana (full or half width) as hiragana, without spaces: フリガナ and the patient's かな compare equal."""
    text = unicodedata.normalize("NFKC", _squash(text))
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in text)


def _same_person(patient: Patient, parsed: ParsedFile) -> list[Problem]:
    """The person of the 補足情報 (UPHOSOKU) is this patient: the birth date, and the name or its reading."""
    columns = TABLES[HOSOKU].columns
    row = as_dict(columns, parsed.records[0])
    names = [c.name for c in columns]
    line = parsed.key_at("保険者番号")[0]
    problems = []
    if row[PERSON_BIRTH] != patient.birth_date.strftime("%Y%m%d"):
        problems.append(Problem(parsed.name, line, names.index(PERSON_BIRTH) + 1, PERSON_BIRTH,
                                "生年月日がこの患者と一致しません。"))
    if _squash(row[PERSON_NAME]) != _squash(patient.name) and _kana(row[PERSON_KANA]) != _kana(patient.name_kana):
        problems.append(Problem(parsed.name, line, names.index(PERSON_NAME) + 1, PERSON_NAME,
                                "氏名（フリガナ）がこの患者と一致しません。"))
    return problems


def _item_name(item: ParsedFile, column: int) -> str:
    """The standard's name of the item `column` (1-based) of the file."""
    return TABLES[item.table].columns_for(item.records[0])[column - 1].name


def _label(item: ParsedFile) -> str:
    return f"{TABLES[item.table].label}（{item.month or '対象年月なし'}）"


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
    seen: dict[tuple[int, str], ParsedFile] = {}
    first: dict[str, ParsedFile] = {}
    for item in parsed:
        for key in KEYS:
            # a key a file does not carry (e.g. 作成年月日 in 第6表) is not compared
            if not item.header[key]:
                continue
            other = first.setdefault(key, item)
            if item.header[key] != other.header[key]:
                line, column = item.key_at(key)
                problems.append(Problem(item.name, line, column, _item_name(item, column),
                                        f"{key}が {other.name} と違います（一度に取り込めるのは同じ計画のファイルだけです）。"))
        other = seen.setdefault((item.table, item.month), item)
        if other is not item:
            problems.append(Problem(item.name, 0, 0, "", f"{_label(item)}がファイル {other.name} と重なっています。"))
    if problems:
        raise CsvRejected(problems)
    return parsed


def _plan_date(parsed: list[ParsedFile]) -> str:
    return next((p.header["作成年月日"] for p in parsed if p.header["作成年月日"]), "")


def _check_against(patient: Patient, parsed: list[ParsedFile], current: CarePlan | None) -> str:
    """The files fit the patient and the plan on record: the person of 補足情報 (UPHOSOKU), the same 被保険者番号, not
    older, 第1表 and 補足情報 (UPHOSOKU) for a new plan. The plan's 作成年月日."""
    first = parsed[0]
    header = first.header
    problems = []
    for item in parsed:
        if item.table == HOSOKU:
            problems += _same_person(patient, item)
    insured = (header["保険者番号"], header["被保険者番号"])
    line, column = first.key_at("被保険者番号")
    if current is not None and insured != (current.insurer_number, current.insured_number):
        problems.append(Problem(first.name, line, column, "被保険者番号",
                                "保険者番号・被保険者番号がこの患者の登録済みのケアプランと一致しません。"))
    elif CarePlan.objects.filter(insurer_number=insured[0], insured_number=insured[1], is_current=True
                                 ).exclude(patient=patient).exists():
        problems.append(Problem(first.name, line, column, "被保険者番号", "保険者番号・被保険者番号がこの患者と一致しません。"))
    created_on = _plan_date(parsed) or (current.created_on if current else "")
    tables = {p.table for p in parsed}
    if current is None and not {1, HOSOKU} <= tables:
        problems.append(Problem(first.name, 0, 0, "", f"はじめて取り込む計画には第1表と{TABLES[HOSOKU].title}のファイルが必要です。"))
    elif current is not None and created_on != current.created_on and 1 not in tables:
        problems.append(Problem(first.name, 0, 0, "", "新しい計画（作成年月日の違う計画）には第1表のファイルが必要です。"))
    if problems:
        raise CsvRejected(problems)
    if current is not None and created_on < current.created_on:
        raise AppError(f"登録済みの計画（作成年月日 {current.created_on}）より古い計画は取り込めません。", status=409)
    return created_on


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
        created_on = _check_against(patient, parsed, current)
        kept: list[CarePlanTable] = []
        if current is not None:
            if current.created_on == created_on:
                replaced = {(p.table, p.month) for p in parsed}
                kept = [t for t in current.tables.all() if (t.table, t.month) not in replaced]
            current.is_current, current.superseded_at = False, timezone.now()
            current.save(update_fields=["is_current", "superseded_at"])
        plan = CarePlan.objects.create(
            patient=patient, version=(current.version + 1) if current else 1, insurer_number=header["保険者番号"],
            insured_number=header["被保険者番号"], created_on=created_on,
            office_number=office or (current.office_number if current else ""), imported_by=user)
        CarePlanTable.objects.bulk_create(
            [CarePlanTable(plan=plan, table=t.table, month=t.month, records=t.records, source_name=t.source_name)
             for t in kept]
            + [CarePlanTable(plan=plan, table=p.table, month=p.month, records=p.records, source_name=p.name[:200])
               for p in parsed])
        names = "・".join(TABLES[n].label for n in TABLE_ORDER if n in {p.table for p in parsed})
        post_notice(patient=patient, author=user, request=request,
                    body=f"ケアプラン（第{plan.version}版、{names}）を取り込みました。ケアプランの画面で読めます。")
        record(action=Action.CREATE, request=request, actor=user, obj=plan, patient=patient,
               detail=f"care plan v{plan.version} {names} from {len(parsed)} csv")
    return plan
