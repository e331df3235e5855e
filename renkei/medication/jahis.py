"""The JAHIS 電子版お薬手帳データフォーマット (Ver.2.x, version records JAHISTC03 and later), read without Django.

The QR code printed in a paper お薬手帳 (or a file a pharmacy system writes) carries lines of comma-separated
records, each starting with its record number. The first line is the version record (`JAHISTC08,1`:
format version, output kind). Records used here, with their fields (after the record number):

- 1 患者情報: 氏名, 性別, 生年月日 (YYYYMMDD), 郵便番号, 住所, 電話番号, 緊急連絡先, 血液型, 体重, 氏名カナ
- 5 調剤等年月日: 調剤等年月日 (YYYYMMDD), レコード作成者 — starts one dispensing; the records up to the next 5
  belong to it
- 11 調剤－医療機関等 (the pharmacy): 名称, 都道府県コード, 点数表コード, 医療機関等コード, 郵便番号, 住所, 電話番号
- 15 調剤－医師・薬剤師: 氏名, 連絡先
- 51 処方－医療機関: 名称, 都道府県コード, 点数表コード, 医療機関コード
- 55 処方－医師: 氏名, 診療科名
- 201 薬品: RP番号, 薬品名称, 用量, 単位名, 薬品コード種別, 薬品コード
- 281 薬品補足 / 291 薬品服用注意: RP番号, 内容
- 301 用法: RP番号, 用法名称, 調剤数量, 調剤単位, 剤型コード, 用法コード種別, 用法コード
- 311 用法補足: RP番号, 内容
- 391 処方服用注意, 401 服用注意, 411 医療機関等提供情報, 421 残薬確認, 501 備考, 601 患者等記入: 内容

A long record set is split over several QR codes; each part repeats the version record and then carries the
分割制御 record `911,データID,総分割数,分割番号`. Parts are put back together by データID in the order of
分割番号, whatever order they were read in. Record numbers this module does not know are skipped (later
versions add records); everything it reads is checked, and every problem is reported with where it is.
Half-width kana are read as full-width, full-width letters and digits as half-width (`normalise`).
"""
from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import jaconv

HEADER = re.compile(r"^JAHISTC([0-9]{2})(?:,([0-9]*))?$")
OLDEST_VERSION = 3  # JAHISTC01/02 are the Ver.1 layouts, with other record numbers
MAX_CHARS = 200_000
MAX_PARTS = 16
MAX_LINE = 1000  # a record's values fit the columns they are stored in (names 200, notes a few hundred)
SPLIT = "911"
PATIENT_RECORDS = {"1", "2", "3", "4"}  # 患者情報・患者特記・一般用医薬品・手帳メモ: before the first dispensing
NOTE_RECORDS = {"391": "処方服用注意", "401": "服用注意", "411": "医療機関等提供情報", "421": "残薬確認",
                "501": "備考", "601": "患者等記入"}
DRUG_NOTE_RECORDS = {"281": "薬品補足", "291": "薬品服用注意"}
CODE_SYSTEMS = {"1": "コードなし", "2": "レセプト電算処理システム用コード", "3": "厚生労働省コード", "4": "YJコード",
                "6": "HOTコード"}
DOSAGE_FORMS = {"1": "内服", "2": "内滴", "3": "頓服", "4": "注射", "5": "外用", "6": "浸煎", "7": "湯", "9": "材料",
                "10": "その他"}


@dataclass(frozen=True)
class Line:
    """One line of the input and where it was: 「3行目」 or 「2枚目の3行目」."""

    where: str
    text: str


@dataclass
class Drug:
    rp: int
    name: str
    amount: str
    unit: str
    code_system: str
    code: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Usage:
    name: str
    quantity: str
    quantity_unit: str
    dosage_form: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Dispensing:
    """One dispensing (調剤): a 5 record and what follows it up to the next 5."""

    dispensed_on: datetime.date
    where: str
    pharmacy_name: str = ""
    pharmacy_code: str = ""
    pharmacy_phone: str = ""
    pharmacist_name: str = ""
    institution_name: str = ""
    institution_code: str = ""
    physician_name: str = ""
    department: str = ""
    drugs: list[Drug] = field(default_factory=list)
    usages: dict[int, Usage] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        """The same dispensing read twice (another photo, the file after the QR) gives the same value."""
        drugs = sorted((d.rp, d.name, d.amount, d.unit, d.code) for d in self.drugs)
        usages = sorted((rp, u.name, u.quantity, u.quantity_unit) for rp, u in self.usages.items())
        key = repr((self.dispensed_on.isoformat(), self.pharmacy_code or self.pharmacy_name,
                    self.institution_code or self.institution_name, drugs, usages))
        return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class PatientRecord:
    name: str
    kana: str
    birth_date: datetime.date | None
    where: str


@dataclass
class Book:
    """What one reading holds: the version, the patient record and the dispensings, in the order read."""

    version: str
    patient: PatientRecord | None
    dispensings: list[Dispensing]


class Problems(list[str]):
    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}" if where else message)


def decode_bytes(data: bytes) -> str | None:
    """The text of a file or a QR code: UTF-8 (with or without BOM), else Shift_JIS (cp932); None if neither
    (a NUL byte: UTF-16 and binary files, which cp932 would otherwise take)."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def split_parts(texts: list[str]) -> list[list[str]]:
    """Each text cut at its version records: a pasted text or a file may hold the contents of several QR codes."""
    parts: list[list[str]] = []
    for text in texts:
        current: list[str] | None = None
        for line in _lines(text):
            if line.startswith("JAHISTC") or current is None:
                current = []
                parts.append(current)
            current.append(line)
    return [part for part in parts if any(part)]


def _where(part_no: int, line_no: int, many: bool) -> str:
    return f"{part_no}枚目の{line_no}行目" if many else f"{line_no}行目"


# Full-width letters, digits and their punctuation inside words (５ｍｇ, ０．７５) read as half-width; other
# full-width signs (（架空）、「」) stay as written.
_HALF = str.maketrans({chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                          *range(0xFF41, 0xFF5B), 0xFF0E, 0xFF0D, 0xFF0F, 0xFF05]})


def normalise(value: str) -> str:
    """A value as stored: half-width kana as full-width, full-width letters and digits as half-width."""
    return jaconv.h2z(value, kana=True, ascii=False, digit=False).translate(_HALF).replace("\u3000", " ").strip()


def _fields(line: str) -> list[str]:
    """A record's values: the format has no quoting (values hold no commas), so a comma always separates."""
    return [normalise(value) for value in line.split(",")]


def assemble(texts: list[str]) -> tuple[list[list[Line]], str, Problems]:
    """The record sets in the input (split QR codes joined in order), the version and the problems."""
    problems = Problems()
    if sum(len(t) for t in texts) > MAX_CHARS:
        problems.add("", f"データが大きすぎます（{MAX_CHARS:,}文字まで）。")
        return [], "", problems
    parts = split_parts(texts)
    if not parts:
        problems.add("", "お薬手帳のデータがありません。")
        return [], "", problems
    if len(parts) > MAX_PARTS * 4:
        problems.add("", f"QR コードが多すぎます（{MAX_PARTS * 4}枚まで）。")
        return [], "", problems
    many = len(parts) > 1
    versions: set[str] = set()
    single: list[list[Line]] = []
    split: dict[str, dict[int, list[Line]]] = {}
    totals: dict[str, int] = {}
    for part_no, part in enumerate(parts, start=1):
        numbered = [Line(_where(part_no, i, many), text) for i, text in enumerate(part, start=1) if text]
        head = HEADER.match(normalise(part[0]))
        if head is None:
            problems.add(_where(part_no, 1, many), "先頭が JAHIS のバージョンレコード（例: JAHISTC08,1）ではありません。")
            continue
        if int(head.group(1)) < OLDEST_VERSION:
            problems.add(_where(part_no, 1, many),
                         f"JAHISTC{head.group(1)} は Ver.1 の形式のため読み取れません（JAHISTC03 以降に対応）。")
            continue
        versions.add(f"JAHISTC{head.group(1)}")
        body = numbered[1:]
        if body and _fields(body[0].text)[:1] == [SPLIT]:
            control = _fields(body[0].text)
            total, index = (_int(control[2]) if len(control) > 2 else None,
                            _int(control[3]) if len(control) > 3 else None)
            data_id = control[1] if len(control) > 1 else ""
            if not data_id or total is None or index is None or not 1 <= index <= total <= MAX_PARTS:
                problems.add(body[0].where, "分割制御レコード（911）は「911,データID,総分割数,分割番号」"
                                            f"（総分割数は{MAX_PARTS}まで）で書いてください。")
                continue
            if totals.setdefault(data_id, total) != total:
                problems.add(body[0].where, f"データID {data_id} の総分割数が QR コードごとに違います。")
                continue
            if index in split.setdefault(data_id, {}):
                continue  # the same part read twice (two photos of one code)
            split[data_id][index] = body[1:]
        else:
            single.append(body)
    for data_id, found in split.items():
        missing = [str(i) for i in range(1, totals[data_id] + 1) if i not in found]
        if missing:
            problems.add("", f"分割された QR コード（データID {data_id}、全{totals[data_id]}枚）のうち "
                             f"{'・'.join(missing)} 枚目がありません。すべての QR コードを読み取ってください。")
            continue
        single.append([line for i in sorted(found) for line in found[i]])
    return single, max(versions, default=""), problems


def _int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else None


def _date(value: str) -> datetime.date | None:
    if not re.fullmatch(r"[0-9]{8}", value):
        return None
    try:
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _number(value: str) -> bool:
    try:
        return bool(value) and Decimal(value).is_finite() and Decimal(value) >= 0
    except InvalidOperation:
        return False


def _get(row: list[str], i: int) -> str:
    return row[i] if len(row) > i else ""


class _Reader:
    """Reads the records of one record set into a Book, collecting problems."""

    def __init__(self, today: datetime.date, problems: Problems) -> None:
        self.today = today
        self.problems = problems
        self.patient: PatientRecord | None = None
        self.dispensings: list[Dispensing] = []
        self.current: Dispensing | None = None  # the dispensing the records read belong to

    def read(self, lines: list[Line]) -> None:
        """One record set (one code, or the parts of one split code): its dispensings start at its 5 records."""
        self.current = None
        for line in lines:
            if len(line.text) > MAX_LINE:
                self.problems.add(line.where, f"1行が長すぎます（{MAX_LINE}文字まで）。")
                continue
            row = _fields(line.text)
            number = row[0] if row else ""
            if not (number.isascii() and number.isdigit()):
                self.problems.add(line.where, f"レコード番号「{number[:20]}」が数字ではありません。")
                continue
            if number != "5" and self.current is not None:
                self.current.lines.append(line.text)
            if number == "1":
                self._patient(line, row)
            elif number == "5":
                self._dispensing(line, row)
            elif number in PATIENT_RECORDS or number not in _KNOWN:
                continue  # 患者特記 etc. are not part of the medication list; unknown records are skipped
            elif self.current is None:
                self.problems.add(line.where, f"レコード {number} が調剤等年月日レコード（5）より前にあります。")
            else:
                _KNOWN[number](self, line, row, self.current)

    def _patient(self, line: Line, row: list[str]) -> None:
        name, birth = _get(row, 1), _get(row, 3)
        if not name:
            self.problems.add(line.where, "患者情報レコード（1）に患者氏名がありません。")
        born = _date(birth) if birth else None
        if birth and born is None:
            self.problems.add(line.where, f"患者の生年月日「{birth}」が YYYYMMDD の日付ではありません。")
        self.patient = PatientRecord(name=name, kana=_get(row, 10), birth_date=born, where=line.where)

    def _dispensing(self, line: Line, row: list[str]) -> None:
        value = _get(row, 1)
        day = _date(value)
        if day is None:
            self.problems.add(line.where, f"調剤等年月日「{value}」が YYYYMMDD の日付ではありません。")
            day = datetime.date.min
        elif day > self.today:
            self.problems.add(line.where, f"調剤等年月日 {day:%Y年%m月%d日} は未来の日付です。")
        self.current = Dispensing(dispensed_on=day, where=line.where, lines=[line.text])
        self.dispensings.append(self.current)

    def _pharmacy(self, line: Line, row: list[str], d: Dispensing) -> None:
        if not _get(row, 1):
            self.problems.add(line.where, "調剤－医療機関等レコード（11）に薬局名がありません。")
        d.pharmacy_name, d.pharmacy_code, d.pharmacy_phone = _get(row, 1), _get(row, 4), _get(row, 7)

    def _pharmacist(self, line: Line, row: list[str], d: Dispensing) -> None:
        d.pharmacist_name = _get(row, 1)

    def _institution(self, line: Line, row: list[str], d: Dispensing) -> None:
        if not _get(row, 1):
            self.problems.add(line.where, "処方－医療機関レコード（51）に医療機関名がありません。")
        d.institution_name, d.institution_code = _get(row, 1), _get(row, 4)

    def _physician(self, line: Line, row: list[str], d: Dispensing) -> None:
        d.physician_name, d.department = _get(row, 1), _get(row, 2)

    def _rp(self, line: Line, row: list[str], number: str) -> int | None:
        rp = _int(_get(row, 1))
        if rp is None or rp < 1:
            self.problems.add(line.where, f"レコード {number} の RP番号「{_get(row, 1)}」が1以上の数字ではありません。")
        return rp

    def _drug(self, line: Line, row: list[str], d: Dispensing) -> None:
        rp = self._rp(line, row, "201")
        name, amount, unit, system, code = (_get(row, i) for i in (2, 3, 4, 5, 6))
        if not name:
            self.problems.add(line.where, "薬品レコード（201）に薬品名称がありません。")
        if not _number(amount):
            self.problems.add(line.where, f"薬品「{name}」の用量「{amount}」が数値ではありません。")
        if not unit:
            self.problems.add(line.where, f"薬品「{name}」の単位名がありません。")
        if system and system not in CODE_SYSTEMS:
            self.problems.add(line.where, f"薬品「{name}」の薬品コード種別「{system}」は使えません"
                                          f"（{'・'.join(CODE_SYSTEMS)}）。")
        if rp is not None:
            d.drugs.append(Drug(rp=rp, name=name, amount=amount, unit=unit, code_system=system, code=code))

    def _usage(self, line: Line, row: list[str], d: Dispensing) -> None:
        rp = self._rp(line, row, "301")
        name, quantity, unit, form = (_get(row, i) for i in (2, 3, 4, 5))
        if not name:
            self.problems.add(line.where, "用法レコード（301）に用法名称がありません。")
        if quantity and not _number(quantity):
            self.problems.add(line.where, f"用法「{name}」の調剤数量「{quantity}」が数値ではありません。")
        if form and form not in DOSAGE_FORMS:
            self.problems.add(line.where, f"用法「{name}」の剤型コード「{form}」は使えません。")
        if rp is None:
            return
        if not any(drug.rp == rp for drug in d.drugs):
            self.problems.add(line.where, f"用法レコード（301）の RP{rp} に薬品レコード（201）がありません。")
        elif rp in d.usages:
            self.problems.add(line.where, f"RP{rp} の用法レコード（301）が2つあります。")
        else:
            d.usages[rp] = Usage(name=name, quantity=quantity, quantity_unit=unit,
                                 dosage_form=DOSAGE_FORMS.get(form, ""))

    def _rp_note(self, line: Line, row: list[str], d: Dispensing) -> None:
        number = row[0]
        rp = self._rp(line, row, number)
        if rp is None:
            return
        text = _get(row, 2)
        drugs = [drug for drug in d.drugs if drug.rp == rp]
        if not drugs:
            self.problems.add(line.where, f"レコード {number} の RP{rp} に薬品レコード（201）がありません。")
        elif text and number == "311":
            if rp in d.usages:
                d.usages[rp].notes.append(text)
            else:
                self.problems.add(line.where, f"用法補足レコード（311）の RP{rp} に用法レコード（301）がありません。")
        elif text:
            drugs[-1].notes.append(f"{DRUG_NOTE_RECORDS[number]}: {text}")

    def _note(self, line: Line, row: list[str], d: Dispensing) -> None:
        if _get(row, 1):
            d.notes.append(f"{NOTE_RECORDS[row[0]]}: {_get(row, 1)}")


_KNOWN = {
    "11": _Reader._pharmacy, "15": _Reader._pharmacist, "51": _Reader._institution, "55": _Reader._physician,
    "201": _Reader._drug, "301": _Reader._usage, "281": _Reader._rp_note, "291": _Reader._rp_note,
    "311": _Reader._rp_note, **{number: _Reader._note for number in NOTE_RECORDS},
}


def parse(texts: list[str], *, today: datetime.date) -> tuple[Book | None, list[str]]:
    """(Book, []) when every record set reads cleanly, else (None, [every problem, with where it is])."""
    record_sets, version, problems = assemble(texts)
    reader = _Reader(today, problems)
    for lines in record_sets:
        reader.read(lines)
    if not problems:
        if reader.patient is None:
            problems.add("", "患者情報レコード（1）がありません。")
        if not reader.dispensings:
            problems.add("", "調剤等年月日レコード（5）がありません。")
        for d in reader.dispensings:
            if not d.drugs:
                problems.add(d.where, "この調剤に薬品レコード（201）がありません。")
    if problems:
        return None, list(problems)
    return Book(version=version, patient=reader.patient, dispensings=reader.dispensings), []
