"""The CSV layout of the ケアプランデータ連携 files Renkei reads and writes: one file per 表 (第1表, 第2表,
第6表, 第7表). Pure functions, no database.

第2表 is in the national standard's layout (厚生労働省「居宅介護支援事業所と訪問介護などのサービス提供事業所間
における情報連携の標準仕様」, 介護保険最新情報 Vol.1156): the standard's items in its order, the plan's keys on
every record, no header record, the file named UP2KYO_…. 第1表, 第6表 and 第7表 stay in the project's own
layout (a header record H, then the data records) because their full official item lists could not be read;
docs/careplan-csv.md lists every column and says which is which.

`parse_file(name, raw)` gives a `ParsedFile` or the problems, each with its line, column and a Japanese
message; `write_file(...)` gives the bytes of a file that `parse_file` reads back into the same records.
"""
from __future__ import annotations

import calendar
import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

LAYOUT_VERSION = "RENKEI-CP1"  # the project's layout; the official CSVバージョン values are not taken over
ENCODINGS = ("utf-8", "cp932")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUE = 2000  # characters of one free-text value (the forms' boxes hold less)
DAYS = 31
# The standard's item names call the person 「利用者」; they are kept here as the standard writes them (the
# layout's column names and the API's keys), and shown as 「患者」 on the care-team pages (Column.label).
STANDARD_PERSON = "利用者"
PERSON_NAME, PERSON_KANA = "利用者氏名", "利用者氏名フリガナ"


@dataclass(frozen=True)
class Column:
    """One column: its Japanese name, what it holds and whether it may be empty."""

    name: str
    kind: str = "text"  # text, digits, date, month, time, count, code
    required: bool = False
    length: int = 0  # digits: exactly this many
    choices: tuple[tuple[str, str], ...] = ()  # code: (value, label)

    @property
    def label(self) -> str:
        """The name as the care-team pages show it: the standard's 「利用者」 is the project's 「患者」, and its
        「利用者負担」 the 「自己負担」 the pages of the programmes' fees do not use."""
        return self.name.replace(f"{STANDARD_PERSON}負担", "自己負担").replace(STANDARD_PERSON, "患者")

    def label_of(self, value: str) -> str:
        """The value as shown on the page: a code's label, a date in full."""
        if self.kind == "code":
            return dict(self.choices).get(value, value)
        if self.kind == "date" and value:
            return f"{value[:4]}年{int(value[4:6])}月{int(value[6:])}日"
        if self.kind == "month" and value:
            return f"{value[:4]}年{int(value[4:6])}月"
        if self.kind == "time" and value:
            return f"{value[:2]}:{value[2:]}"
        return value


def _digits(name: str, length: int, required: bool = True) -> Column:
    return Column(name, "digits", required, length)


def _date(name: str, required: bool = False) -> Column:
    return Column(name, "date", required)


CARE_LEVELS = (("01", "非該当"), ("06", "事業対象者"), ("12", "要支援1"), ("13", "要支援2"), ("21", "要介護1"),
               ("22", "要介護2"), ("23", "要介護3"), ("24", "要介護4"), ("25", "要介護5"))

HEADER = (
    Column("レコード種別", "code", True, choices=(("H", "ヘッダ"),)),
    Column("CSVバージョン", "code", True, choices=((LAYOUT_VERSION, LAYOUT_VERSION),)),
    Column("表番号", "code", True, choices=(("1", "第1表"), ("2", "第2表"), ("6", "第6表"), ("7", "第7表"))),
    _digits("保険者番号", 6),
    _digits("被保険者番号", 10),
    _date("作成年月日", True),
    _digits("居宅介護支援事業所番号", 10),
    Column("対象年月", "month"),
    Column("データ件数", "count", True),
)
HEADER_INDEX = {c.name: i for i, c in enumerate(HEADER)}

TABLE1 = (
    Column("レコード種別", "code", True, choices=(("D", "データ"),)),
    Column(PERSON_NAME, required=True),
    Column(PERSON_KANA, required=True),
    _date("生年月日", True),
    Column("性別", "code", True, choices=(("1", "男"), ("2", "女"))),
    Column("郵便番号"),
    Column("住所"),
    Column("居宅サービス計画作成者氏名", required=True),
    Column("居宅介護支援事業者・事業所名", required=True),
    Column("居宅介護支援事業所所在地"),
    _date("初回居宅サービス計画作成日"),
    Column("計画作成区分", "code", True, choices=(("1", "初回"), ("2", "紹介"), ("3", "継続"))),
    Column("認定区分", "code", True, choices=(("1", "認定済"), ("2", "申請中"))),
    Column("要介護状態区分", "code", True, choices=CARE_LEVELS),
    _date("認定日"),
    _date("認定の有効期間（開始）"),
    _date("認定の有効期間（終了）"),
    Column("利用者及び家族の生活に対する意向を踏まえた課題分析の結果"),
    Column("介護認定審査会の意見及びサービスの種類の指定"),
    Column("総合的な援助の方針"),
    Column("生活援助中心型の算定理由", "code", choices=(("1", "一人暮らし"), ("2", "家族等が障害、疾病等"),
                                                       ("3", "その他"))),
    Column("生活援助中心型の算定理由（その他）"),
)

# 第2表 in the national standard's layout (介護保険最新情報 Vol.1156, 居宅サービス計画2表, items 1–22 in their
# order): no header record, the plan's keys (items 1–5) on every record. The item names and their order are the
# standard's; what each item may hold (digits, length, whether it may be empty, its codes) could not be read from
# the source, so the checks below are the project's: dates as YYYYMMDD, numbers as digits, the periods as text.
OFFICIAL_VERSION_NAME = "CSVバージョン"
TABLE2 = (
    Column(OFFICIAL_VERSION_NAME, required=True),
    _digits("保険者番号", 6),
    _digits("被保険者番号", 10),
    _date("居宅計画書作成年月日", True),
    _date("居宅サービス計画作成(変更)日", True),
    Column("課題NO", "count", True),
    Column("課題", required=True),
    Column("援助目標NO", "count"),
    Column("長期目標"),
    Column("短期目標"),
    Column("長期期間"),
    Column("短期期間"),
    Column("援助内容NO", "count"),
    Column("サービス内容", required=True),
    Column("保険対象区分"),
    Column("サービス種別", required=True),
    Column("サービス事業者コード", "digits", False, 10),
    Column("サービス事業所名"),
    Column("頻度"),
    Column("実施期間"),
    Column("更新業者コード"),
    Column("識別子"),
)
# the plan's keys on each 第2表 record: the key's name in the plan (as in HEADER) and its item
TABLE2_KEYS = {"保険者番号": "保険者番号", "被保険者番号": "被保険者番号", "作成年月日": "居宅サービス計画作成(変更)日"}
TABLE2_KEY_COLUMNS = 5  # items 1–5 (CSVバージョン … 居宅サービス計画作成(変更)日): the keys, not shown on the page

# the leading items of a 第6表 and a 第7表 record: which provider gives which service
SERVICE_LEAD = (
    Column("レコード種別", "code", True, choices=(("D", "データ"),)),
    _digits("事業所番号", 10),
    Column("事業所名", required=True),
    _digits("サービス種類コード", 2),
    _digits("サービスコード", 6),
    Column("サービス内容", required=True),
)

TABLE6 = (
    *SERVICE_LEAD,
    Column("提供開始時刻", "time"),
    Column("提供終了時刻", "time"),
    *(Column(f"{day}日", "count") for day in range(1, DAYS + 1)),
    Column("合計回数", "count", True),
)
FIRST_DAY = 8  # index of 「1日」 in TABLE6

TABLE7 = (
    *SERVICE_LEAD,
    Column("単位数", "count", True),
    Column("割引後率（%）", "count"),
    Column("回数", "count", True),
    Column("サービス単位数", "count", True),
    Column("種類支給限度基準を超える単位数", "count"),
    Column("種類支給限度基準内単位数", "count"),
    Column("区分支給限度基準を超える単位数", "count"),
    Column("区分支給限度基準内単位数", "count"),
    Column("単位数単価", "text", True),
    Column("費用総額（保険対象分）", "count", True),
    Column("給付率（%）", "count", True),
    Column("保険給付額", "count", True),
    Column("利用者負担（保険対象分）", "count", True),
    Column("利用者負担（全額負担分）", "count"),
)
TABLE7_TOTAL = (
    Column("レコード種別", "code", True, choices=(("T", "合計"),)),
    Column("区分支給限度基準額（単位）", "count", True),
    Column("限度額適用期間（開始）", "month"),
    Column("限度額適用期間（終了）", "month"),
)


@dataclass(frozen=True)
class Table:
    """One 表: its title, its data records by record type with how many of each, the 事業所番号 column."""

    number: int
    title: str
    records: dict[str, tuple[Column, ...]]
    counts: dict[str, tuple[int, int | None]]  # record type: (at least, at most or None)
    monthly: bool = False
    office_column: int | None = None
    official: bool = False  # the standard's layout: no header record, no record type, the keys on every record
    hidden: int = 1  # leading columns the page does not show (the record type; the keys of an official table)

    def columns(self, record_type: str = "D") -> tuple[Column, ...]:
        return self.records[record_type]

    def record_type(self, row: Sequence[str]) -> str:
        """The record type of a stored record ("D" for every record of an official table)."""
        return "D" if self.official else row[0]


TABLES = {
    1: Table(1, "居宅サービス計画書（1）", {"D": TABLE1}, {"D": (1, 1)}),
    2: Table(2, "居宅サービス計画書（2）", {"D": TABLE2}, {"D": (1, None)}, office_column=16, official=True,
             hidden=TABLE2_KEY_COLUMNS),
    6: Table(6, "サービス利用票（兼居宅サービス計画）", {"D": TABLE6}, {"D": (0, None)}, monthly=True,
             office_column=1),
    7: Table(7, "サービス利用票別表", {"D": TABLE7, "T": TABLE7_TOTAL}, {"D": (0, None), "T": (1, 1)}, monthly=True,
             office_column=1),
}


# The standard's file names (Vol.1156 p.9 and p.19): the prefix names the table. Renkei reads the standard's
# layout for 第2表 (UP2KYO_); the others' item lists could not be read in full, so those files are refused with
# a clear message unless they are in Renkei's own layout (header record H).
OFFICIAL_PREFIXES: dict[str, int | str] = {
    "UP2KYO_": 2,
    "UP1KYO_": "居宅サービス計画1表",
    "UPHOSOKU_": "利用者補足情報",
    "UPPLAN_": "第6表（サービス利用票）予定",
    "UPJSK_": "第6表 実績情報",
}


def official_table(name: str) -> int | str | None:
    """What the standard's file name says the file is: 2 for 第2表, the title of a file Renkei cannot read in
    the standard's layout, None for another name."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].upper()
    return next((found for prefix, found in OFFICIAL_PREFIXES.items() if base.startswith(prefix)), None)


@dataclass(frozen=True)
class Problem:
    """Why one file (or one line, one value of it) is refused."""

    file: str
    line: int  # 0: the file as a whole
    column: int  # 1-based; 0: the whole line
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f"{self.line}行目" if self.line else ""
        if self.column:
            where += f" {self.column}列目（{self.column_name}）"
        return f"{self.file} {where}：{self.message}" if where else f"{self.file}：{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "column_name": self.column_name,
                "message": self.message}


@dataclass
class ParsedFile:
    """One file read: its table, the header's values by name and the data records (record type first)."""

    name: str
    table: int
    header: dict[str, str]
    records: list[list[str]] = field(default_factory=list)
    # where each key of `header` is in the file: (line, column); the header record's columns for Renkei's layout
    keys_at: dict[str, tuple[int, int]] = field(default_factory=dict)

    def key_at(self, key: str) -> tuple[int, int]:
        return self.keys_at.get(key, (1, HEADER_INDEX.get(key, -1) + 1))

    @property
    def month(self) -> str:
        return self.header["対象年月"]


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file in UTF-8 (with or without BOM) or Shift_JIS (CP932); else where it fails."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        encodings: Sequence[str] = ("utf-8",)
    else:
        encodings = ENCODINGS
    failure: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError as error:
            failure = failure or error
    line = raw[: failure.start if failure else 0].count(b"\n") + 1
    return None, [Problem(name, line, 0, "", "文字コードが UTF-8 でも Shift_JIS（CP932）でもありません。")]


def _date_problem(column: Column, value: str) -> str:
    if len(value) != 8 or not value.isdigit():
        return f"{column.name}は年月日8桁の数字（例：20250401）で書いてください（「{value}」）。"
    try:
        datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return f"{column.name}の「{value}」は存在しない日付です。"
    return ""


def value_problem(column: Column, value: str) -> str:
    """The Japanese message of what is wrong with one value ("" when it is right)."""
    if value == "":
        return f"{column.name}が空です。" if column.required else ""
    if len(value) > MAX_VALUE:
        return f"{column.name}は{MAX_VALUE}文字以内にしてください（{len(value)}文字）。"
    try:
        value.encode("cp932")
    except UnicodeEncodeError as error:
        return f"{column.name}に Shift_JIS（CP932）で表せない文字「{value[error.start]}」があります。"
    if column.kind == "digits" and (len(value) != column.length or not value.isascii() or not value.isdigit()):
        return f"{column.name}は{column.length}桁の数字で書いてください（「{value}」）。"
    if column.kind == "date":
        return _date_problem(column, value)
    if column.kind == "month" and (len(value) != 6 or not value.isdigit() or not 1 <= int(value[4:]) <= 12):
        return f"{column.name}は年月6桁の数字（例：202504）で書いてください（「{value}」）。"
    if column.kind == "time" and (len(value) != 4 or not value.isdigit() or int(value[:2]) > 24
                                  or int(value[2:]) > 59):
        return f"{column.name}は時刻4桁の数字（例：0930）で書いてください（「{value}」）。"
    if column.kind == "count" and (not value.isascii() or not value.isdigit() or len(value) > 9):
        return f"{column.name}は0以上の整数（半角数字）で書いてください（「{value}」）。"
    if column.kind == "code" and value not in dict(column.choices):
        if len(column.choices) == 1:
            return f"{column.name}は「{column.choices[0][0]}」と書いてください（「{value}」）。"
        allowed = "・".join(f"{v}（{label}）" for v, label in column.choices)
        return f"{column.name}の「{value}」は使えません。{allowed}のいずれかを書いてください。"
    return ""


def _row_problems(name: str, line: int, columns: Sequence[Column], row: list[str]) -> list[Problem]:
    if len(row) != len(columns):
        return [Problem(name, line, 0, "", f"列の数が{len(columns)}ではありません（{len(row)}列あります）。")]
    problems = []
    for index, (column, value) in enumerate(zip(columns, row, strict=True)):
        message = value_problem(column, value)
        if message:
            problems.append(Problem(name, line, index + 1, column.name, message))
    return problems


def _ordered(name: str, line: int, columns: Sequence[Column], row: list[str], first: str, last: str) -> list[Problem]:
    """The start of a period is not after its end."""
    names = [c.name for c in columns]
    start, end = row[names.index(first)], row[names.index(last)]
    if start and end and start > end:
        return [Problem(name, line, names.index(last) + 1, last, f"{last}が{first}より前になっています。")]
    return []


PERIODS = {
    1: (("認定の有効期間（開始）", "認定の有効期間（終了）"),),
}


def _table6_problems(name: str, line: int, row: list[str], month: str) -> list[Problem]:
    """Days the month does not have stay empty, and 合計回数 is the sum of the days."""
    problems = []
    if month:
        last_day = calendar.monthrange(int(month[:4]), int(month[4:]))[1]
        for day in range(last_day + 1, DAYS + 1):
            if row[FIRST_DAY + day - 1]:
                problems.append(Problem(name, line, FIRST_DAY + day, f"{day}日",
                                        f"対象年月 {int(month[:4])}年{int(month[4:])}月に{day}日はありません。"))
    total = sum(int(v) for v in row[FIRST_DAY:FIRST_DAY + DAYS] if v)
    if row[-1] != str(total):
        problems.append(Problem(name, line, len(row), "合計回数",
                                f"合計回数「{row[-1]}」が日ごとの回数の合計（{total}）と一致しません。"))
    return problems


def _table7_problems(name: str, line: int, row: list[str]) -> list[Problem]:
    """サービス単位数 is 単位数 × 回数 (after the discount, when one is given)."""
    names = [c.name for c in TABLE7]
    units, times, rate = row[names.index("単位数")], row[names.index("回数")], row[names.index("割引後率（%）")]
    expected = int(units) * int(times)
    if rate:
        expected = int(units) * int(rate) // 100 * int(times)
    if row[names.index("サービス単位数")] != str(expected):
        column = names.index("サービス単位数")
        return [Problem(name, line, column + 1, "サービス単位数",
                        f"サービス単位数「{row[column]}」が単位数×回数（{expected}）と一致しません。")]
    return []


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(line where the record starts, values) of every non-empty record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    found = []
    start = 1
    for row in reader:
        if row and any(v != "" for v in row):
            found.append((start, row))
        start = reader.line_num + 1
    return found


def _header(name: str, rows: list[tuple[int, list[str]]]) -> tuple[dict[str, str] | None, list[Problem]]:
    if not rows:
        return None, [Problem(name, 0, 0, "", "ファイルが空です（ヘッダレコードがありません）。")]
    line, row = rows[0]
    if row[0] != "H":
        return None, [Problem(name, line, 1, "レコード種別", "1行目はヘッダレコード（レコード種別 H）にしてください。")]
    problems = _row_problems(name, line, HEADER, row)
    if problems:
        return None, problems
    header = dict(zip(HEADER_INDEX, row, strict=True))
    table = TABLES[int(header["表番号"])]
    month_column = HEADER_INDEX["対象年月"] + 1
    if table.monthly and not header["対象年月"]:
        problems.append(Problem(name, line, month_column, "対象年月", f"第{table.number}表には対象年月が必要です。"))
    if not table.monthly and header["対象年月"]:
        problems.append(Problem(name, line, month_column, "対象年月", f"第{table.number}表に対象年月は書きません。"))
    return (None if problems else header), problems


def _official_file(name: str, table: Table, rows: list[tuple[int, list[str]]]) -> tuple[ParsedFile | None,
                                                                                       list[Problem]]:
    """A file in the standard's layout: every record data, the plan's keys the same on every record."""
    columns = table.columns()
    names = [c.name for c in columns]
    problems: list[Problem] = []
    records = []
    keys: dict[str, str] = {}
    keys_at: dict[str, tuple[int, int]] = {}
    for line, row in rows:
        found = _row_problems(name, line, columns, row)
        problems += found
        records.append(row)
        if found:
            continue
        for key, item in TABLE2_KEYS.items():
            column = names.index(item)
            if key not in keys:
                keys[key], keys_at[key] = row[column], (line, column + 1)
            elif row[column] != keys[key]:
                problems.append(Problem(name, line, column + 1, item, f"{item}が{keys_at[key][0]}行目と違います"
                                                                     "（1つのファイルは1つの計画です）。"))
    if not rows:
        problems.append(Problem(name, 0, 0, "", f"第{table.number}表のデータレコードがありません。"))
    if problems:
        return None, problems
    header = {"保険者番号": keys["保険者番号"], "被保険者番号": keys["被保険者番号"], "作成年月日": keys["作成年月日"],
              "居宅介護支援事業所番号": "", "対象年月": "", "データ件数": str(len(records))}
    return ParsedFile(name, table.number, header, records, keys_at), []


def parse_file(name: str, raw: bytes) -> tuple[ParsedFile | None, list[Problem]]:
    """Read one file: (ParsedFile, []) when every record is right, else (None, every problem found).

    A file whose name is the standard's 第2表 name (UP2KYO_…), or whose first record is not Renkei's header
    record and has the 22 items of the standard's 第2表, is read in the standard's layout; any other file in
    Renkei's own layout (header record H, then the data records).
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(name, 0, 0, "", f"ファイルが大きすぎます（{MAX_FILE_BYTES // (1024 * 1024)} MB まで）。")]
    text, problems = decode(name, raw)
    if text is None:
        return None, problems
    try:
        rows = _records(text)
    except csv.Error as error:
        return None, [Problem(name, 0, 0, "", f"CSV として読めません（{error}）。引用符（\"）の閉じ忘れがないか確かめてください。")]
    named = official_table(name)
    project = bool(rows) and rows[0][1][0] == "H"
    # a record of Renkei's layout starts with its record type: a 第1表 record (22 columns) missing its header is
    # not taken for a 第2表 of the standard
    standard = bool(rows) and rows[0][1][0] not in ("H", "D", "T") and len(rows[0][1]) == len(TABLE2)
    if named == 2 or standard:
        return _official_file(name, TABLES[2], rows)
    if isinstance(named, str) and not project:
        return None, [Problem(name, 0, 0, "", f"標準仕様の{named}のファイルにはまだ対応していません（第2表のみ標準仕様の"
                                              "レイアウトで読めます。ほかの表は Renkei のレイアウトで取り込んでください）。")]
    header, problems = _header(name, rows)
    if header is None:
        return None, problems
    table = TABLES[int(header["表番号"])]
    if table.official:
        return None, [Problem(name, rows[0][0], 3, "表番号", f"第{table.number}表は標準仕様のレイアウト（ヘッダレコードなし、"
                                                         "ファイル名 UP2KYO_…）で取り込んでください。")]
    seen = dict.fromkeys(table.records, 0)
    records = []
    for line, row in rows[1:]:
        kind = row[0]
        if kind not in table.records:
            allowed = "・".join(table.records)
            problems.append(Problem(name, line, 1, "レコード種別",
                                    f"第{table.number}表のレコード種別は {allowed} です（「{kind}」）。"))
            continue
        seen[kind] += 1
        found = _row_problems(name, line, table.columns(kind), row)
        wrong = {p.column_name for p in found}
        if kind == "D" and len(row) == len(table.columns(kind)):
            for first, last in PERIODS.get(table.number, ()):
                if not {first, last} & wrong:
                    found += _ordered(name, line, table.columns(kind), row, first, last)
        if not found and kind == "D":
            if table.number == 6:
                found += _table6_problems(name, line, row, header["対象年月"])
            if table.number == 7:
                found += _table7_problems(name, line, row)
        problems += found
        records.append(row)
    for kind, (least, most) in table.counts.items():
        if seen[kind] < least or (most is not None and seen[kind] > most):
            wanted = f"{least}件" if least == most else f"{least}件以上"
            problems.append(Problem(name, 0, 0, "", f"第{table.number}表のレコード種別 {kind} は{wanted}必要です"
                                                    f"（{seen[kind]}件あります）。"))
    first_line = rows[0][0]
    if header["データ件数"] != str(len(records)):
        problems.append(Problem(name, first_line, HEADER_INDEX["データ件数"] + 1, "データ件数",
                                f"データ件数「{header['データ件数']}」がデータレコードの数（{len(records)}）と一致しません。"))
    if problems:
        return None, problems
    return ParsedFile(name, table.number, header, records), []


def header_row(*, table: int, insurer_number: str, insured_number: str, created_on: str, office_number: str,
               month: str, count: int) -> list[str]:
    return ["H", LAYOUT_VERSION, str(table), insurer_number, insured_number, created_on, office_number, month,
            str(count)]


def write_file(header: list[str] | None, records: Sequence[Sequence[str]], *, encoding: str = "cp932") -> bytes:
    """The bytes of one file: CRLF line ends, fields quoted only where a comma, quote or line end needs it; no
    header record for a table in the standard's layout (`header` None)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue().encode(encoding)


def as_dict(columns: Sequence[Column], row: Sequence[str]) -> dict[str, str]:
    """A record's values by column name."""
    return {column.name: value for column, value in zip(columns, row, strict=True)}
