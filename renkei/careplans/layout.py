"""The CSV layouts of the ケアプランデータ連携 files Renkei reads and writes: the national standard's
(厚生労働省「居宅介護支援事業所と訪問介護などのサービス提供事業所間における情報連携の標準仕様」, 別紙
「CSVファイルレイアウト定義書」 第4.1版, CSVバージョン 202407). Pure functions, no database.

Six files are read and written: 利用者補足情報 (UPHOSOKU_), 居宅サービス計画1表 (UP1KYO_), 2表 (UP2KYO_),
3表 週間サービス計画表 (UP3KYO_), 第6表 サービス利用票 予定 (UPPLAN_, one record per service per day) and 第7表
サービス利用票別表 (UPSIKYU_).
Every record carries its keys; there is no header record. A file is recognised by the prefix of its name.
docs/careplan-csv.md lists every item and what Renkei checks.

`parse_file(name, raw)` gives a `ParsedFile` or the problems, each with its line, item and a Japanese
message; `write_file(table, records)` gives the bytes of a file that `parse_file` reads back into the same
records, and a file Renkei wrote comes back byte for byte.
"""
from __future__ import annotations

import calendar
import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

ENCODINGS = ("utf-8", "cp932")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUE = 2000  # characters of one free-text value
MAX_PROBLEMS = 100  # problems reported of one file (a file of another kind would give one per line)
DAYS = 31
# CSVバージョン (YYYYMM): every version of the standard; 第4版 (202504 as first issued, 202407 in 第4.1版) added
# the 福祉用具 items to 第6表 (16–18) and 第7表 (10–12).
CURRENT_VERSION = "202407"
VERSIONS = ("201910", "202003", "202208", "202504", "202407")
BEFORE_V4 = ("201910", "202003", "202208")
# The standard's item names call the person 「利用者」; they are kept here as the standard writes them (the
# layout's item names and the API's keys), and shown as 「患者」 on the care-team pages (Column.label).
STANDARD_PERSON = "利用者"
PERSON_NAME, PERSON_KANA, PERSON_BIRTH = "利用者氏名", "利用者氏名フリガナ", "利用者生年月日"
PLAN_DATE = "居宅サービス計画作成（変更）日"
TOTAL_OFFICE, TOTAL_CODE = "9999999999", "999999"  # 第7表's 全合計 row
RENTALS = ("17", "67")  # サービス種類 福祉用具貸与, 介護予防福祉用具貸与
SUBTOTALS = {"AAAA": "区分支給限度対象の小計", "EEEE": "区分支給限度対象外の小計", "ZZZZ": "30日超過分の小計"}

HOSOKU = 9  # 利用者補足情報: not a 表 of the plan's 様式; stored and shown with the tables under this number


@dataclass(frozen=True)
class Column:
    """One item: its Japanese name, what it holds, whether it may be empty, its length."""

    name: str
    kind: str = "text"  # text (free text, always quoted), digits, insured, version, date, date0, month, month0,
    #                     time, count, int, decimal, code, days, postal, service, subtotal, tais, plain
    required: bool = False
    length: int = 0  # digits: exactly; count/int/plain/tais: at most
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
        if self.kind in ("date", "date0") and len(value) == 8 and value != "00000000":
            return f"{value[:4]}年{int(value[4:6])}月{int(value[6:])}日"
        if self.kind in ("month", "month0") and len(value) == 6 and value != "000000":
            return f"{value[:4]}年{int(value[4:])}月"
        if self.kind == "subtotal" and (value == TOTAL_CODE or value[2:] in SUBTOTALS):
            return f"{value}（全合計）" if value == TOTAL_CODE else f"{value}（種類 {value[:2]} の{SUBTOTALS[value[2:]]}）"
        if self.kind == "time" and len(value) == 4 and value != "9999":
            return f"{value[:2]}:{value[2:]}"
        return value


def _text(name: str, required: bool = False) -> Column:
    return Column(name, "text", required)


def _digits(name: str, length: int, required: bool = False) -> Column:
    return Column(name, "digits", required, length)


def _date(name: str, required: bool = False) -> Column:
    return Column(name, "date", required)


def _count(name: str, length: int, required: bool = False) -> Column:
    return Column(name, "count", required, length)


def _code(name: str, choices: tuple[tuple[str, str], ...], required: bool = False) -> Column:
    return Column(name, "code", required, choices=choices)


CARE_LEVELS = (("06", "事業対象者"), ("12", "要支援1"), ("13", "要支援2"), ("21", "要介護1"), ("22", "要介護2"),
               ("23", "要介護3"), ("24", "要介護4"), ("25", "要介護5"))
CERTIFICATION = (("1", "申請中"), ("2", "認定済"))
SEX = (("1", "男性"), ("2", "女性"))
PLAN_KINDS = (("11", "初回"), ("12", "紹介"), ("21", "継続"), ("51", "初回＆紹介"), ("52", "初回＆継続"),
              ("53", "紹介＆継続"), ("54", "初回＆紹介＆継続"))
HOUSEWORK_REASONS = (("1", "一人暮らし"), ("2", "家族等が障害、疾病等"), ("3", "その他"))
INSURED = (("Y", "対象"), ("N", "対象外"))
OVER_30 = (("1", "該当"), ("0", "非該当"))

KEYS = (
    Column("CSVバージョン", "version", True),
    Column("保険者番号", "digits", True, 6),
    Column("被保険者番号", "insured", True),
)
TRAILER = (_digits("更新業者コード", 10), Column("識別子", "plain", False, 1))

# 利用者補足情報: 63 items (the person, the certification, the limits of the month)
HOSOKU_COLUMNS = (
    *KEYS,
    Column(PLAN_DATE, "date0", True),
    _text(PERSON_KANA),
    _text(PERSON_NAME),
    _code("利用者性別", SEX),
    _date(PERSON_BIRTH),
    Column("利用者郵便番号", "postal"),
    _text("利用者住所１"),
    _text("利用者住所２"),
    Column("利用者電話番号", "plain", False, 15),
    _date("認定日"),
    _date("限度額適用開始年月日"),
    _date("限度額適用終了年月日"),
    _code("認定状況区分", CERTIFICATION),
    _date("要介護状態変更日"),
    _code("要介護状態区分", CARE_LEVELS),
    _count("区分支給限度基準額", 7),
    *(column for n in "１２３４５６７８９" for column in (
        _digits(f"{n}サービス種類コード", 2), _count(f"{n}支給限度基準額", 7), _count(f"{n}合計単位数", 7),
        _count(f"{n}限度超単位数", 7))),
    _count("合計限度超単位数", 7),
    _count("入所前月迄利用日数", 5),
    _count("入所累積利用日数", 5),
    _code("前回要介護状態区分", CARE_LEVELS),
    _digits("同意書受付業者", 10),
    *TRAILER,
    Column("対象年月", "month0", True),
)

# 居宅サービス計画1表: 28 items
TABLE1 = (
    *KEYS,
    _date("作成年月日", True),
    Column("利用者郵便番号", "postal"),
    _text("利用者住所１"),
    _text("利用者住所２"),
    _text("居宅サービス計画作成者氏名", True),
    _text("介護支援事業者名", True),
    Column("介護支援事業者郵便番号", "postal"),
    _text("介護支援事業者住所１"),
    _text("介護支援事業者住所２"),
    _digits("介護支援事業者コード", 10, True),
    _date(PLAN_DATE, True),
    _date("初回居宅サービス計画作成日"),
    _code("計画書区分", PLAN_KINDS),
    _code("認定状況区分", CERTIFICATION),
    _date("認定日"),
    _date("認定有効期間開始日"),
    _date("認定有効期間終了日"),
    _code("要介護状態区分", CARE_LEVELS),
    _text("利用者及び家族の生活に対する意向を踏まえた課題分析の結果"),
    _text("介護認定審査会の意見及びサービスの種類の指定"),
    _text("総合的な援助の方針"),
    _code("生活援助中心型の算定理由", HOUSEWORK_REASONS),
    _text("その他理由"),
    *TRAILER,
)

# 居宅サービス計画2表: 22 items, one record per service line
TABLE2 = (
    *KEYS,
    _date("居宅計画書作成年月日", True),
    _date(PLAN_DATE, True),
    _count("課題NO", 2, True),
    _text("課題"),
    _count("援助目標NO", 2),
    _text("長期目標"),
    _text("短期目標"),
    _text("長期期間"),
    _text("短期期間"),
    _count("援助内容NO", 2),
    _text("サービス内容", True),
    _code("保険対象区分", INSURED),
    _text("サービス種別"),
    _digits("サービス事業者コード", 10),
    _text("サービス事業所名"),
    _text("頻度"),
    _text("実施期間"),
    *TRAILER,
)

# 居宅サービス計画3表 週間サービス計画表: 13 items, one record per service of a weekday, daily activity or the
# services not by the week. The standard names items 8/9 and 11/12 alike (開始時間, 終了時間); the second pair is
# named after its activity here so that every item has its own name.
WEEKDAYS = (("1", "月曜日"), ("2", "火曜日"), ("3", "水曜日"), ("4", "木曜日"), ("5", "金曜日"), ("6", "土曜日"),
            ("7", "日曜日"))
TABLE3 = (
    *KEYS,
    _date("週間サービス計画表作成年月日", True),
    _date(PLAN_DATE, True),
    _text("介護サービス内容"),
    _code("曜日", WEEKDAYS),
    Column("開始時間", "time"),
    Column("終了時間", "time"),
    _text("主な日常生活上の活動"),
    Column("活動の開始時間", "time"),
    Column("活動の終了時間", "time"),
    _text("週単位以外のサービス"),
)

# 第6表 サービス利用票 予定: 25 items (22 before 第4版: without 16–18), one record per service per day
_T6_HEAD = (
    *KEYS,
    _date("作成年月日", True),
    Column("対象年月", "month", True),
    _digits("プラン担当業者コード", 10, True),
    _text("プラン担当者名"),
    Column("単位数", "int", False, 6),
    _count("前月までの短期入所利用日数", 5),
    _date("サービス利用日", True),
    Column("日割対象日", "days"),
    Column("サービス開始時刻", "time", True),
    Column("サービス終了時刻", "time", True),
    _count("サービス回数", 2, True),
    Column("サービスコード", "service", True),
)
_T6_TOOL = (Column("TAISコード", "tais", False, 12), Column("福祉用具届出コード", "tais", False, 12),
            _text("用具名称（機種名）"))
_T6_TAIL = (
    _count("明細判別コード", 2),
    _digits("サービス事業者コード", 10, True),
    _text("サービス事業所名"),
    _count("サテライト枝番", 2),
    _code("３０日超区分", OVER_30, True),
    *TRAILER,
)
TABLE6 = (*_T6_HEAD, *_T6_TOOL, *_T6_TAIL)
TABLE6_OLD = (*_T6_HEAD, *_T6_TAIL)

# 第7表 サービス利用票別表: 37 items (34 before 第4版: without 10–12), the 種類's subtotals and the 全合計 row
_T7_HEAD = (
    *KEYS,
    _date("作成年月日", True),
    Column("対象年月", "month", True),
    _text("サービス事業所名"),
    _digits("サービス事業所コード", 10, True),
    _count("サテライト枝番", 2),
    Column("サービスコード", "subtotal", True),
)
_T7_TOOL = (Column("TAISコード", "tais", False, 12), Column("福祉用具届出コード", "tais", False, 12),
            _text("用具名称（機種名）"))
_T7_TAIL = (
    Column("単位数", "int", True, 6),
    _count("割引後率", 5),
    Column("割引後単位数", "int", False, 6),
    _count("回数／日数", 3, True),
    Column("サービス単位金額", "int", False, 9),
    Column("給付管理単位数", "int", False, 9),
    Column("種類支給限度基準超単位", "int", False, 9),
    Column("種類支給限度基準内単位", "int", False, 9),
    Column("区分支給限度基準超単位", "int", False, 9),
    Column("区分支給限度基準内単位", "int", False, 9),
    Column("単位数単価", "decimal"),
    Column("費用総額保険／事業対象分", "int", False, 9),
    _count("給付率", 3),
    Column("保険／事業費請求額", "int", False, 9),
    Column("定額利用者負担単価金額", "int", False, 9),
    Column("利用者負担保険／事業対象分", "int", False, 9),
    Column("利用者負担（全額負担分）", "int", False, 9),
    _count("前月までの利用日数", 2),
    _count("当月の計画利用日数", 2),
    _count("累積利用日数", 5),
    _code("３０日超区分", OVER_30, True),
    _digits("事業所コード", 10),
    _digits("入力者コード", 10),
    *TRAILER,
)
TABLE7 = (*_T7_HEAD, *_T7_TOOL, *_T7_TAIL)
TABLE7_OLD = (*_T7_HEAD, *_T7_TAIL)


@dataclass(frozen=True)
class Table:
    """One file of the standard: its prefix, its items (and those before 第4版), where its keys are."""

    number: int
    prefix: str
    title: str
    columns: tuple[Column, ...]
    old_columns: tuple[Column, ...] | None = None  # the layout of CSVバージョン before 第4版, when it differs
    monthly: bool = False  # one 対象年月 per file
    office_item: int | None = None  # index of the provider's 事業所番号 (whose rows are whose)
    plan_date_item: int | None = None  # index of the 居宅サービス計画作成（変更）日
    month_item: int | None = None  # index of the 対象年月
    care_office_item: int | None = None  # index of the 居宅介護支援事業所番号
    one_record: bool = False
    hidden: int = 3  # leading items the page does not show (the keys every record repeats)

    def columns_of(self, version: str) -> tuple[Column, ...]:
        """The items of a record of this CSVバージョン."""
        return self.old_columns if (self.old_columns and version in BEFORE_V4) else self.columns

    def columns_for(self, record: Sequence[str]) -> tuple[Column, ...]:
        """The items of a stored record (by its number of items)."""
        if self.old_columns and len(record) == len(self.old_columns):
            return self.old_columns
        return self.columns

    def index(self, name: str, record: Sequence[str] = ()) -> int:
        return [c.name for c in self.columns_for(record)].index(name)

    @property
    def label(self) -> str:
        """Its short name on the pages and in the timeline notice (the person is 「患者」 there)."""
        return "補足情報" if self.number == HOSOKU else f"第{self.number}表"


TABLES = {
    HOSOKU: Table(HOSOKU, "UPHOSOKU", "利用者補足情報", HOSOKU_COLUMNS, plan_date_item=3, month_item=62,
                  care_office_item=59, one_record=True),
    1: Table(1, "UP1KYO", "居宅サービス計画書（1）", TABLE1, plan_date_item=13, care_office_item=12,
             one_record=True),
    2: Table(2, "UP2KYO", "居宅サービス計画書（2）", TABLE2, office_item=16, plan_date_item=4, hidden=5),
    3: Table(3, "UP3KYO", "週間サービス計画表", TABLE3, plan_date_item=4, hidden=5),
    6: Table(6, "UPPLAN", "サービス利用票（兼居宅サービス計画）", TABLE6, TABLE6_OLD, monthly=True, office_item=19,
             month_item=4, care_office_item=5, hidden=5),
    7: Table(7, "UPSIKYU", "サービス利用票別表", TABLE7, TABLE7_OLD, monthly=True, office_item=6, month_item=4,
             hidden=5),
}
TABLE_ORDER = (HOSOKU, 1, 2, 3, 6, 7)
# files of the standard Renkei does not read (yet)
UNREAD_PREFIXES = {
    "UPJSK": "第6表の実績情報",
    "DLT1KYO": "居宅サービス計画1表の削除",
    "DLTPLAN": "第6表（予定）の削除",
    "DLTJSK": "第6表（実績）の削除",
    "UPKIHON": "介護予防の基本情報",
    "UPYOBO": "介護予防の計画",
}
OLD_LAYOUT_MARK = "RENKEI-CP1"
OLD_RECORD_TYPES = ("H", "D", "T")


def table_of_name(name: str) -> Table | str | None:
    """The table the standard's file name names (by its prefix), the title of a file of the standard Renkei
    does not read, or None."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].upper()
    for table in TABLES.values():
        if base.startswith(table.prefix + "_"):
            return table
    return next((title for prefix, title in UNREAD_PREFIXES.items() if base.startswith(prefix + "_")), None)


@dataclass(frozen=True)
class Problem:
    """Why one file (or one line, one value of it) is refused."""

    file: str
    line: int  # 0: the file as a whole
    column: int  # 1-based item number; 0: the whole line
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
    """One file read: its table, its keys by name and its records as read.

    `header` holds the keys that tie the files of one sending together: 保険者番号, 被保険者番号, 作成年月日
    (the plan's 居宅サービス計画作成（変更）日; "" in a monthly file), 居宅介護支援事業所番号 ("" when the file has
    none) and 対象年月 ("" for 第1表・第2表 and their 利用者補足情報), and its CSVバージョン.
    """

    name: str
    table: int
    header: dict[str, str]
    records: list[list[str]] = field(default_factory=list)
    keys_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # key: (line, item) where it was read

    def key_at(self, key: str) -> tuple[int, int]:
        return self.keys_at.get(key, (0, 0))

    @property
    def month(self) -> str:
        return self.header["対象年月"]


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file in Shift_JIS (CP932) or UTF-8 (with or without BOM); else where it fails."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        encodings: Sequence[str] = ("utf-8",)
    else:
        encodings = ENCODINGS
    failure: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError as error:  # the line reported: where the encoding that read furthest fails
            failure = error if failure is None or error.start > failure.start else failure
    line = raw[: failure.start if failure else 0].count(b"\n") + 1
    return None, [Problem(name, line, 0, "", "文字コードが Shift_JIS（CP932）でも UTF-8 でもありません。")]


def _date_problem(column: Column, value: str) -> str:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        return f"{column.name}は年月日8桁の数字（例：20250401）で書いてください（「{value}」）。"
    try:
        datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return f"{column.name}の「{value}」は存在しない日付です。"
    return ""


def _is_month(value: str) -> bool:
    return len(value) == 6 and value.isascii() and value.isdigit() and 1 <= int(value[4:]) <= 12


def _digits_ok(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


INTEGER = re.compile(r"-?[0-9]+")
DECIMAL = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")
SERVICE_CODE = re.compile(r"[0-9A-Z]{6}")
TAIS = re.compile(r"[0-9A-Za-z\-－]+")  # the standard's example writes the hyphen full width
POSTAL = re.compile(r"[0-9]{3}-[0-9]{4}")
# control characters (NUL among them, which PostgreSQL cannot store in JSON): none but line breaks and tabs
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _kind_problem(column: Column, value: str) -> str:  # noqa: C901 - one branch per kind of item
    name, kind = column.name, column.kind
    if kind == "digits" and not _digits_ok(value, column.length):
        return f"{name}は{column.length}桁の数字で書いてください（「{value}」）。"
    if kind == "insured" and not (_digits_ok(value, 10) or (value[:1] == "H" and _digits_ok(value[1:], 9))):
        return f"{name}は10桁の数字（生活保護単独は H と9桁の数字）で書いてください（「{value}」）。"
    if kind == "version" and value not in VERSIONS:
        return f"{name}「{value}」は標準仕様の版ではありません（{'・'.join(VERSIONS)} のいずれか）。"
    if kind == "date" or (kind == "date0" and value != "00000000"):
        return _date_problem(column, value)
    if kind == "month" and not _is_month(value):
        return f"{name}は年月6桁の数字（例：202504）で書いてください（「{value}」）。"
    if kind == "month0" and value != "000000" and not _is_month(value):
        return f"{name}は年月6桁の数字（例：202504）か 000000 で書いてください（「{value}」）。"
    if kind == "time" and value != "9999" and not (_digits_ok(value, 4) and int(value[:2]) <= 24
                                                   and int(value[2:]) <= 59):
        return f"{name}は時刻4桁の数字（例：0930、時刻のないサービスは 9999）で書いてください（「{value}」）。"
    if kind == "count" and (not _digits_ok(value, len(value)) or (column.length and len(value) > column.length)):
        return f"{name}は{column.length}桁以内の0以上の整数（半角数字）で書いてください（「{value}」）。"
    if kind == "int" and (not INTEGER.fullmatch(value) or (column.length and len(value.lstrip("-")) > column.length)):
        return f"{name}は{column.length}桁以内の整数（半角数字）で書いてください（「{value}」）。"
    if kind == "decimal" and not DECIMAL.fullmatch(value):
        return f"{name}は小数点以下2桁までの数（例：11.40）で書いてください（「{value}」）。"
    if kind == "code" and value not in dict(column.choices):
        allowed = "・".join(f"{v}（{label}）" for v, label in column.choices)
        return f"{name}の「{value}」は使えません。{allowed}のいずれかを書いてください。"
    if kind == "days" and (len(value) != DAYS or set(value) - {"0", "1"}):
        return f"{name}は0と1の31文字（日割りで請求できる日が1）で書くか、空にしてください（「{value}」）。"
    if kind == "postal" and not POSTAL.fullmatch(value):
        return f"{name}は「123-4567」の形で書いてください（「{value}」）。"
    if kind == "service" and not SERVICE_CODE.fullmatch(value):
        return f"{name}は6文字の半角英数字で書いてください（「{value}」）。"
    if kind == "subtotal" and not (SERVICE_CODE.fullmatch(value) or value == TOTAL_CODE):
        return f"{name}は6文字の半角英数字（小計は種類コード＋AAAA・EEEE・ZZZZ、全合計は 999999）で書いてください（「{value}」）。"
    if kind == "tais" and (not TAIS.fullmatch(value) or len(value) > column.length):
        return f"{name}は{column.length}文字以内の半角英数字とハイフンで書いてください（「{value}」）。"
    if kind == "plain" and column.length and len(value) > column.length:
        return f"{name}は{column.length}文字以内で書いてください（「{value}」）。"
    return ""


def value_problem(column: Column, value: str) -> str:
    """The Japanese message of what is wrong with one value ("" when it is right)."""
    if value == "":
        return f"{column.name}が空です。" if column.required else ""
    if len(value) > MAX_VALUE:
        return f"{column.name}は{MAX_VALUE}文字以内にしてください（{len(value)}文字）。"
    control = CONTROL.search(value)
    if control:
        return f"{column.name}に制御文字（U+{ord(control.group()):04X}）があります。改行とタブのほかは使えません。"
    try:
        value.encode("cp932")
    except UnicodeEncodeError as error:
        return f"{column.name}に Shift_JIS（CP932）で表せない文字「{value[error.start]}」があります。"
    return _kind_problem(column, value)


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


class _Reader:
    """The problems of one file, gathered record by record."""

    def __init__(self, name: str, table: Table) -> None:
        self.name, self.table = name, table
        self.problems: list[Problem] = []
        self.first: dict[str, tuple[str, int]] = {}  # key item: (value, line) of the first record

    def add(self, line: int, columns: Sequence[Column], index: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, index + 1, columns[index].name, message))

    def same(self, line: int, columns: Sequence[Column], index: int, value: str, what: str) -> None:
        """A key every record of the file has the same."""
        name = columns[index].name
        seen = self.first.setdefault(name, (value, line))
        if seen[0] != value:
            self.add(line, columns, index, f"{name}が{seen[1]}行目と違います（{what}）。")


def _ordered(reader: _Reader, line: int, columns: Sequence[Column], row: list[str], first: str, last: str) -> None:
    names = [c.name for c in columns]
    start, end = row[names.index(first)], row[names.index(last)]
    if start and end and start > end:
        reader.add(line, columns, names.index(last), f"{last}が{first}より前になっています。")


def _check_hosoku(reader: _Reader, line: int, columns: Sequence[Column], row: list[str]) -> None:
    if row[62] == "000000" and row[3] == "00000000":
        reader.add(line, columns, 3, f"第1表・第2表とともに送る利用者補足情報（対象年月 000000）には{PLAN_DATE}が必要です。")
    _ordered(reader, line, columns, row, "限度額適用開始年月日", "限度額適用終了年月日")


def _check_table2(reader: _Reader, line: int, columns: Sequence[Column], row: list[str],
                  seen: set[tuple[str, ...]]) -> None:
    """課題 on the first row of its 課題NO, a goal on the first row of its 援助目標NO (the standard's example
    leaves them empty on the rows after, as the plan prints them once)."""
    if row[5] in ("0", "00") or row[7] in ("0", "00") or row[12] in ("0", "00"):
        index = 5 if row[5] in ("0", "00") else (7 if row[7] in ("0", "00") else 12)
        reader.add(line, columns, index, f"{columns[index].name}は1から99で書いてください。")
    if (row[5],) not in seen and not row[6]:
        reader.add(line, columns, 6, f"課題NO {row[5]} の最初の行に課題がありません。")
    if row[7] and (row[5], row[7]) not in seen and not (row[8] or row[9]):
        reader.add(line, columns, 9, f"援助目標NO {row[7]} の最初の行に長期目標も短期目標もありません。")
    seen.update({(row[5],), (row[5], row[7])})


def _check_table3(reader: _Reader, line: int, columns: Sequence[Column], row: list[str]) -> None:
    """A record is a service (with its weekday), a daily activity or the services not by the week."""
    if not (row[5] or row[9] or row[12]):
        reader.add(line, columns, 5, "介護サービス内容・主な日常生活上の活動・週単位以外のサービスのどれかを書いてください。")
    elif row[5] and not row[6]:
        reader.add(line, columns, 6, "介護サービス内容には曜日が必要です。")
    for first, last in (("開始時間", "終了時間"), ("活動の開始時間", "活動の終了時間")):
        _ordered(reader, line, columns, row, first, last)


def _check_table6(reader: _Reader, line: int, columns: Sequence[Column], row: list[str]) -> None:
    names = [c.name for c in columns]
    day, month = row[names.index("サービス利用日")], row[4]
    if not day.startswith(month):
        reader.add(line, columns, names.index("サービス利用日"),
                   f"サービス利用日 {day} が対象年月 {int(month[:4])}年{int(month[4:])}月の日ではありません。")
    code = row[names.index("サービスコード")]
    rental = code[:2] in RENTALS
    if "TAISコード" in names and rental and not (row[15] or row[16]):
        reader.add(line, columns, 15, "福祉用具貸与には TAISコードか福祉用具届出コードが必要です。")
    if not rental and row[names.index("明細判別コード")]:
        reader.add(line, columns, names.index("明細判別コード"), "明細判別コードは福祉用具貸与にだけ書きます（ほかは空）。")


def _check_table7(reader: _Reader, line: int, columns: Sequence[Column], row: list[str]) -> None:
    names = [c.name for c in columns]
    office, code = row[6], row[names.index("サービスコード")]
    if (office == TOTAL_OFFICE) != (code == TOTAL_CODE):
        reader.add(line, columns, names.index("サービスコード"),
                   f"全合計の行はサービス事業所コード {TOTAL_OFFICE} とサービスコード {TOTAL_CODE} の組み合わせです。")
    if code == TOTAL_CODE or code[2:] in SUBTOTALS:
        what = "全合計" if code == TOTAL_CODE else "種類別小計"
        if row[names.index("単位数")] != "0":
            reader.add(line, columns, names.index("単位数"), f"{what}の行の単位数は 0 です。")
        for name in ("割引後率", "割引後単位数"):
            if row[names.index(name)]:
                reader.add(line, columns, names.index(name), f"{what}の行の{name}は空です。")


def parse_file(name: str, raw: bytes) -> tuple[ParsedFile | None, list[Problem]]:  # noqa: C901 - the file's checks
    """Read one file: (ParsedFile, []) when every record is right, else (None, every problem found).

    The file is recognised by the standard's prefix of its name (UPHOSOKU_, UP1KYO_, UP2KYO_, UPPLAN_,
    UPSIKYU_); the rest of the name is not read. Renkei's former layout (header record H, RENKEI-CP1) is refused.
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
    # Renkei's former layout: a header record H (RENKEI-CP1) or its data records D and T; a record of the
    # standard starts with its CSVバージョン
    if rows and (OLD_LAYOUT_MARK in rows[0][1] or rows[0][1][0] in OLD_RECORD_TYPES):
        return None, [Problem(name, rows[0][0], 0, "", f"Renkei の旧レイアウト（ヘッダレコード H、{OLD_LAYOUT_MARK}）の"
                                                       "ファイルは取り込めなくなりました。標準仕様（CSVファイルレイアウト定義書 "
                                                       "第4.1版）のファイル（UP1KYO_… など）を取り込んでください。")]
    found = table_of_name(name)
    if isinstance(found, str):
        return None, [Problem(name, 0, 0, "", f"標準仕様の{found}のファイルは、Renkei ではまだ読めません（読めるのは"
                                              "利用者補足情報・第1表・第2表・第3表・第6表 予定・第7表です）。")]
    if found is None:
        prefixes = "・".join(f"{TABLES[n].prefix}_" for n in TABLE_ORDER)
        return None, [Problem(name, 0, 0, "", f"ファイル名が標準仕様のファイル名ではありません（{prefixes} で始まる名前に"
                                              "してください）。")]
    table = found
    if not rows:
        return None, [Problem(name, 0, 0, "", "ファイルにレコードがありません。")]
    reader = _Reader(name, table)
    seen: set[tuple[str, ...]] = set()
    totals = 0
    records = []
    for line, row in rows:
        if len(reader.problems) > MAX_PROBLEMS:
            break  # enough to show what is wrong; the rest is not read
        records.append(row)
        columns = table.columns_of(row[0])
        if len(row) != len(columns):
            counts = {len(table.columns)} | ({len(table.old_columns)} if table.old_columns else set())
            if row[0] not in VERSIONS and len(row) in counts:
                columns = table.columns_for(row)  # a wrong version: say so rather than count the items
            else:
                reader.problems.append(Problem(name, line, 0, "", f"項目の数が{len(columns)}ではありません（{len(row)}"
                                                                  f"項目あります。CSVバージョン {row[0]}）。"))
                continue
        before = len(reader.problems)
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            message = value_problem(column, value)
            if message:
                reader.add(line, columns, index, message)
        if len(reader.problems) > before:
            continue
        reader.same(line, columns, 0, row[0], "1つのファイルに複数のCSVバージョンは混在できません")
        for key in (1, 2, table.plan_date_item):
            if key is not None:
                reader.same(line, columns, key, row[key], "1つのファイルは1人の1つの計画です")
        if table.month_item is not None:
            reader.same(line, columns, table.month_item, row[table.month_item], "1つのファイルは1か月分です")
        if table.number == HOSOKU:
            _check_hosoku(reader, line, columns, row)
        elif table.number == 1:
            _ordered(reader, line, columns, row, "認定有効期間開始日", "認定有効期間終了日")
        elif table.number == 2:
            _check_table2(reader, line, columns, row, seen)
        elif table.number == 3:
            _check_table3(reader, line, columns, row)
        elif table.number == 6:
            _check_table6(reader, line, columns, row)
        elif table.number == 7:
            _check_table7(reader, line, columns, row)
            totals += row[6] == TOTAL_OFFICE
    if table.one_record and len(rows) > 1:
        reader.problems.append(Problem(name, rows[1][0], 0, "", f"{table.label}は1人1件です（{len(rows)}件あります）。"))
    if table.number == 7 and not reader.problems and totals != 1:
        reader.problems.append(Problem(name, 0, 0, "", f"第7表には全合計の行（サービスコード {TOTAL_CODE}）が1行必要です"
                                                       f"（{totals}行あります）。"))
    if len(reader.problems) > MAX_PROBLEMS:
        return None, reader.problems[:MAX_PROBLEMS] + [Problem(
            name, 0, 0, "", f"このファイルにはほかにも問題があります（最初の{MAX_PROBLEMS}件までを示しています）。")]
    if reader.problems:
        return None, reader.problems
    return _parsed(name, table, rows), []


def _parsed(name: str, table: Table, rows: list[tuple[int, list[str]]]) -> ParsedFile:
    line, first = rows[0]
    header = {"CSVバージョン": first[0], "保険者番号": first[1], "被保険者番号": first[2], "作成年月日": "",
              "居宅介護支援事業所番号": "", "対象年月": ""}
    keys_at = {"CSVバージョン": (line, 1), "保険者番号": (line, 2), "被保険者番号": (line, 3)}
    for key, index, empty in (("作成年月日", table.plan_date_item, "00000000"), ("対象年月", table.month_item, "000000"),
                              ("居宅介護支援事業所番号", table.care_office_item, "")):
        if index is not None and first[index] != empty:
            header[key], keys_at[key] = first[index], (line, index + 1)
    return ParsedFile(name, table.number, header, [row for _, row in rows], keys_at)


def write_file(table: int, records: Sequence[Sequence[str]], *, encoding: str = "cp932") -> bytes:
    """The bytes of one file: CRLF line ends, free-text items always in double quotes (the standard's rule,
    a quote doubled), the other items as they are."""
    layout = TABLES[table]
    lines = []
    for record in records:
        columns = layout.columns_for(record)
        cells = []
        for column, value in zip(columns, record, strict=False):
            if column.kind == "text" or any(ch in value for ch in ',"\r\n'):
                cells.append('"' + value.replace('"', '""') + '"')
            else:
                cells.append(value)
        lines.append(",".join(cells) + "\r\n")
    return "".join(lines).encode(encoding)


def as_dict(columns: Sequence[Column], row: Sequence[str]) -> dict[str, str]:
    """A record's values by item name."""
    return {column.name: value for column, value in zip(columns, row, strict=True)}


def month_days(month: str) -> int:
    """How many days the month YYYYMM has."""
    return calendar.monthrange(int(month[:4]), int(month[4:]))[1]
