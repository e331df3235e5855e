"""Imports of the ministry's open-data files into the directory, in bulk, one transaction per file.

- 介護サービス情報公表システム: `jigyosho_<code>.csv`, one file per service code, 24 columns.
- 医療情報ネット: facility tables (01-1, 02-1, 03-1, 05) and department/hours tables (01-2, 02-2, 03-2).

Idempotent by official id (core.Facility.official_id per kind). A re-import updates changed rows,
marks providers that vanished from the file closed, and never touches what facilities entered
themselves (capabilities, acceptance, vacancies, hours they typed). Coordinates of 0,0 or blank
are repaired with the 町丁目 centre when the town is known, otherwise reported.
"""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from renkei.core.models import Facility, Municipality

from . import geo
from .caching import bump_data_version
from .geo import DATA_DIR  # noqa: F401  (tests and the demo read the shipped files)
from .models import CoordSource, DirectoryStatus, FacilityProfile, ImportRun, Organization, Schedule, Service
from .taxonomy import IRYO_KINDS, KAIGO_SERVICES

BATCH = 1000
MAX_REPORTED_ERRORS = 10
WEEKDAY_CHARS = "月火水木金土日祝"

KAIGO_COLUMNS = [
    "都道府県コード又は市町村コード", "No", "都道府県名", "市区町村名", "事業所名", "事業所名カナ", "サービスの種類",
    "住所", "方書（ビル名等）", "緯度", "経度", "電話番号", "FAX番号", "法人番号", "法人の名称", "事業所番号",
    "利用可能曜日", "利用可能曜日特記事項", "定員", "URL", "高齢者の方と障害者の方が同時一体的に利用できるサービス",
    "介護保険の通常の指定基準を満たしている", "障害福祉の通常の指定基準を満たしている", "備考",
]
KAIGO_REQUIRED = ["事業所名", "サービスの種類", "住所", "緯度", "経度", "事業所番号"]


class ImportFileError(Exception):
    """The file cannot be imported as a whole; nothing of it was written."""


@dataclass
class Row:
    """One provider as read from a file, before it meets the database."""

    official_id: str
    kind: str
    name: str
    municipality_code: str
    address: str
    name_kana: str = ""
    lat: float | None = None
    lon: float | None = None
    phone: str = ""
    fax: str = ""
    url: str = ""
    corporation_name: str = ""
    corporation_number: str = ""
    capacity: int | None = None
    beds: int | None = None
    hours_note: str = ""
    departments: str = ""
    service: tuple[str, str] | None = None  # (code, name)
    schedules: list | None = None  # [(weekday, opens_at, closes_at, note)]; None = the file says nothing


@dataclass
class ImportResult:
    source: str
    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    repaired: int = 0
    unlocated: int = 0
    out_of_area: int = 0
    messages: list = field(default_factory=list)

    def summary(self):
        return (f"{self.file_name}: 新規 {self.created} 件、更新 {self.updated} 件、変更なし {self.unchanged} 件、"
                f"廃止扱い {self.closed} 件、座標補正（町丁目の代表点） {self.repaired} 件、位置不明 {self.unlocated} 件、"
                f"対象地域外 {self.out_of_area} 件")


# ---------------------------------------------------------------- reading files

def decode(data):
    """Text of a ministry file: UTF-8 (with or without BOM) or Shift_JIS/CP932."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise ImportFileError("文字コードを判別できません（UTF-8 または Shift_JIS のCSVを指定してください）。")


def read_table(data):
    """(header, rows with their line numbers) of a CSV file given as bytes."""
    text = decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise ImportFileError(f"CSVとして読めません：{error}")
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ImportFileError("ファイルが空です。")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    return header, list(enumerate(rows[1:], start=2))


def _clean(value):
    return (value or "").strip()


def _float(value):
    try:
        return float(_clean(value))
    except ValueError:
        return None


def _int(value):
    text = _clean(value)
    if not text:
        return None
    try:
        number = int(float(text))
    except ValueError:
        return None
    return number if number > 0 else None


def _url(value):
    text = _clean(value)
    return text if re.match(r"^https?://\S+$", text) else ""


def _time(value):
    text = geo.jaconv.z2h(_clean(value), ascii=True, digit=True)
    match = re.match(r"^(\d{1,2}):?(\d{2})", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24 and minute == 0:
        return time(23, 59)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_open_days(text):
    """Weekdays of 利用可能曜日 ('平日,土曜日,祝日' or '月,火,水'): a sorted list of 1..8."""
    days = set()
    for token in re.split(r"[、,，・/\s]+", _clean(text)):
        if not token:
            continue
        if token.startswith("平日"):
            days.update(range(1, 6))
        elif token.startswith("祝"):
            days.add(8)
        elif token[0] in WEEKDAY_CHARS:
            days.add(WEEKDAY_CHARS.index(token[0]) + 1)
    return sorted(days)


def service_code_from_name(file_name):
    match = re.search(r"(?:jigyosho|kaigo)_(\d{3})(?!\d)", file_name or "")
    return match.group(1) if match else None


def _kaigo_header(header):
    """The header with the ministry's names: its 都道府県コード column, and 住所 of reduced copies."""
    names = []
    for h in header:
        if h.startswith("都道府県コード"):
            h = "都道府県コード又は市町村コード"
        elif h.startswith("住所（"):  # 住所（住所＋方書を連結したもの） of the reduced copies
            h = "住所"
        names.append(h)
    return names


def _service_code_of(name, known_names):
    """The code of a サービスの種類 as written in the files (「…（複合型サービス）」 names the same service)."""
    return known_names.get(name) or known_names.get(re.sub(r"（[^）]*）$", "", name))


def parse_kaigo(data, service_code, *, city_codes=None):
    """Rows of a jigyosho_<code>.csv; raises ImportFileError listing the bad lines, if any.

    The ministry's file has 24 columns. A reduced copy (a subset of its columns with the same names, such
    as the shipped `*_derived.csv`) is read too when it has 事業所番号, 事業所名 and 住所, and its city as
    a code or as 市区町村名 (resolved with `city_codes`, {name: code}); what it lacks stays empty.
    """
    if service_code not in KAIGO_SERVICES:
        raise ImportFileError(f"不明なサービスコードです：{service_code}（jigyosho_<コード>.csv のコードを確認してください）。")
    kind, service_name = KAIGO_SERVICES[service_code]
    header, lines = read_table(data)
    header = _kaigo_header(header)
    full = len(header) == len(KAIGO_COLUMNS)
    required = KAIGO_REQUIRED if full else ["事業所番号", "事業所名", "住所"]
    missing = [c for c in required if c not in header]
    if not full and "都道府県コード又は市町村コード" not in header and "市区町村名" not in header:
        missing.append("都道府県コード又は市町村コード（または市区町村名）")
    if missing:
        raise ImportFileError(
            f"介護サービス情報公表システムのオープンデータ（24列）の形式ではありません"
            f"（列数 {len(header)}{'、不足：' + '・'.join(missing) if missing else ''}）。")
    index = {name: i for i, name in enumerate(header)}
    known_names = {name: code for code, (_k, name) in KAIGO_SERVICES.items()}
    city_codes = city_codes or {}
    rows, errors = [], []
    for line_no, cells in lines:
        if len(cells) != len(header):
            errors.append(f"{line_no}行目：列数が {len(cells)} です（{len(header)}列のはず）。")
            continue
        get = lambda col, cells=cells: _clean(cells[index[col]]) if col in index else ""  # noqa: E731
        official_id = get("事業所番号")
        row_service = get("サービスの種類")
        row_code = _service_code_of(row_service, known_names)
        city_code = get("都道府県コード又は市町村コード")[:5] or city_codes.get(get("市区町村名"), "")
        if not official_id:
            errors.append(f"{line_no}行目：事業所番号がありません。")
            continue
        if row_service and row_code is None:
            errors.append(f"{line_no}行目：不明なサービスの種類「{row_service}」です。")
            continue
        if row_code and row_code != service_code:
            errors.append(f"{line_no}行目：サービスの種類「{row_service}」がファイルのサービスコード {service_code} と一致しません。")
            continue
        address = get("住所") + (" " + get("方書（ビル名等）") if get("方書（ビル名等）") else "")
        days = parse_open_days(get("利用可能曜日"))
        rows.append(Row(
            official_id=official_id, kind=kind, name=get("事業所名"), name_kana=get("事業所名カナ"),
            municipality_code=city_code, address=address.strip(),
            lat=_float(get("緯度")), lon=_float(get("経度")), phone=get("電話番号"), fax=get("FAX番号"),
            url=_url(get("URL")), corporation_name=get("法人の名称"), corporation_number=get("法人番号")[:13],
            capacity=_int(get("定員")), hours_note=get("利用可能曜日特記事項")[:500],
            service=(service_code, service_name),
            schedules=[(d, None, None, "") for d in days] if days else None,
        ))
    if errors:
        more = f"（ほか {len(errors) - MAX_REPORTED_ERRORS} 件）" if len(errors) > MAX_REPORTED_ERRORS else ""
        raise ImportFileError("取り込めない行があります。ファイル全体を取り込みませんでした：\n"
                              + "\n".join(errors[:MAX_REPORTED_ERRORS]) + more)
    return rows


def _iryo_kind(header_index, cells, kind):
    if kind:
        return kind
    code = _clean(cells[header_index["機関区分"]]) if "機関区分" in header_index else ""
    return IRYO_KINDS.get(code)


IRYO_FILE_KINDS = {"01": IRYO_KINDS["1"], "02": IRYO_KINDS["2"], "03": IRYO_KINDS["3"], "05": IRYO_KINDS["5"]}


def kind_from_file_name(file_name):
    """'05_pharmacy_20250601.csv' → pharmacy (the ministry's file numbering), else None."""
    match = re.match(r"^(\d{2})[-_]", Path(file_name or "").name)
    return IRYO_FILE_KINDS.get(match.group(1)) if match else None


def _first(header, *names):
    return next((h for h in header for n in names if h == n or h.startswith(n)), None)


def _day_columns(index):
    """Open-day flag columns: {weekday: column index}.

    Hospitals, clinics and dentists publish 毎週決まった曜日に休診（月）… where, despite the name,
    1 means OPEN and 0 closed; pharmacies publish 営業日（月）… with 1 = open. Both read the same.
    """
    days = {}
    for h, i in index.items():
        match = re.match(r"^(?:毎週決まった曜日に休(?:診|業)|営業日)（(.)）$", h)
        if match and match.group(1) in WEEKDAY_CHARS:
            days[WEEKDAY_CHARS.index(match.group(1)) + 1] = i
    return days


def _inline_time_columns(index):
    """Pharmacy opening bands: {weekday: [(start column, end column)]} from 月_開店時間帯1_開始時間 …"""
    bands = {}
    for h, i in index.items():
        match = re.match(r"^(.)_開店時間帯(\d)_開始時間$", h)
        end = f"{match.group(1)}_開店時間帯{match.group(2)}_終了時間" if match else None
        if match and match.group(1) in WEEKDAY_CHARS and end in index:
            bands.setdefault(WEEKDAY_CHARS.index(match.group(1)) + 1, []).append((i, index[end]))
    return bands


def parse_iryo_facilities(data, kind=None):
    """Rows of a 医療情報ネット facility table (病院・診療所・歯科の施設票、薬局票)."""
    header, lines = read_table(data)
    index = {name: i for i, name in enumerate(header)}
    name_col = _first(header, "正式名称", "名称")
    for needed, column in (("ID", "ID" if "ID" in index else None), ("正式名称（または名称）", name_col),
                           ("所在地", "所在地" if "所在地" in index else None)):
        if column is None:
            raise ImportFileError(f"医療情報ネットの施設票の形式ではありません（「{needed}」列がありません）。")
    if not kind and "機関区分" not in index:
        raise ImportFileError("機関区分の列がありません。種別（--kind）を指定してください。")
    lat_col, lon_col = _first(header, "所在地座標（緯度"), _first(header, "所在地座標（経度")
    kana_col = _first(header, "正式名称（フリガナ", "フリガナ")
    url_col = next((h for h in header if "ホームページ" in h), None)
    weekly, bands = _day_columns(index), _inline_time_columns(index)
    holiday_col = _first(header, "祝日に休診", "祝日に休業")
    other_col = _first(header, "その他の休", "その他の閉店")
    beds_col = "合計病床数" if "合計病床数" in index else None
    rows, errors = [], []
    for line_no, cells in lines:
        if len(cells) != len(header):
            errors.append(f"{line_no}行目：列数が {len(cells)} です（{len(header)}列のはず）。")
            continue
        get = lambda col, cells=cells: _clean(cells[index[col]]) if col else ""  # noqa: E731
        row_kind = _iryo_kind(index, cells, kind)
        if not get("ID"):
            errors.append(f"{line_no}行目：IDがありません。")
            continue
        if row_kind is None:
            errors.append(f"{line_no}行目：不明な機関区分「{get('機関区分')}」です。")
            continue
        pref = get("都道府県コード").zfill(2) if "都道府県コード" in index else ""
        city = get("市区町村コード").zfill(3) if "市区町村コード" in index else ""
        rows.append(Row(
            official_id=get("ID"), kind=row_kind, name=get(name_col), name_kana=get(kana_col),
            municipality_code=(pref + city) if pref and city else "", address=get("所在地"),
            lat=_float(get(lat_col)), lon=_float(get(lon_col)), url=_url(get(url_col)),
            beds=_int(get(beds_col)), hours_note=("休み：" + get(other_col))[:500] if get(other_col) else "",
            schedules=_flag_schedules(cells, weekly, bands, holiday_col and index[holiday_col]),
        ))
    if errors:
        raise ImportFileError("取り込めない行があります。ファイル全体を取り込みませんでした：\n"
                              + "\n".join(errors[:MAX_REPORTED_ERRORS]))
    return rows


def _flag_schedules(cells, weekly, bands, holiday_index):
    """Open days from the flags, with the pharmacy's inline opening bands as times where given."""
    if not weekly and not bands:
        return None
    open_days = [day for day, i in weekly.items() if _clean(cells[i]) == "1"] if weekly else list(bands)
    if holiday_index is not None and _clean(cells[holiday_index]) == "1" and 8 not in open_days:
        open_days.append(8)
    schedules = []
    for day in sorted(open_days):
        times = [(_time(cells[a]), _time(cells[b])) for a, b in bands.get(day, [])]
        times = [(o, c) for o, c in times if o or c]
        schedules += [(day, o, c, "") for o, c in times] or [(day, None, None, "")]
    return schedules


def parse_iryo_hours(data):
    """{ID: (departments, schedules)} of a 医療情報ネット 診療科・診療時間票."""
    header, lines = read_table(data)
    index = {name: i for i, name in enumerate(header)}
    if "ID" not in index or "診療科目名" not in index:
        raise ImportFileError("医療情報ネットの診療科・診療時間票の形式ではありません（「ID」「診療科目名」列が必要です）。")
    day_cols = {}
    for h, i in index.items():
        match = re.match(r"^(.)_?(?:診療)?(開始|終了)時間$", h)
        if match and match.group(1) in WEEKDAY_CHARS:
            day_cols.setdefault(WEEKDAY_CHARS.index(match.group(1)) + 1, {})[match.group(2)] = i
    result = {}
    for line_no, cells in lines:
        if len(cells) != len(header):
            raise ImportFileError(f"{line_no}行目：列数が {len(cells)} です（{len(header)}列のはず）。")
        facility_id = _clean(cells[index["ID"]])
        department = _clean(cells[index["診療科目名"]])
        departments, schedules = result.setdefault(facility_id, ([], []))
        if department and department not in departments:
            departments.append(department)
        for day, cols in day_cols.items():
            opens = _time(cells[cols["開始"]]) if "開始" in cols else None
            closes = _time(cells[cols["終了"]]) if "終了" in cols else None
            if opens or closes:
                schedules.append((day, opens, closes, department))
    return result


# ---------------------------------------------------------------- writing

def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _locate(row, town, result, existing_profile):
    """(lat, lon, coord_source) for a row: the file's point, else the 町丁目 centre, else none."""
    if existing_profile is not None and existing_profile.coord_source == CoordSource.FACILITY:
        facility = existing_profile.facility
        return facility.lat, facility.lon, CoordSource.FACILITY
    if geo.valid_point(row.lat, row.lon):
        return row.lat, row.lon, CoordSource.SOURCE
    centre = geo.town_centre(town)
    if centre:
        result.repaired += 1
        return centre[0], centre[1], CoordSource.TOWN_CENTRE
    result.unlocated += 1
    result.messages.append(f"位置不明：{row.official_id} {row.name}（{row.address}）")
    return None, None, CoordSource.NONE


FACILITY_FIELDS = ["name", "name_kana", "kind", "municipality_id", "address", "lat", "lon", "phone"]


def search_key(name, kana, address):
    return geo.normalise(" ".join([name or "", kana or "", address or ""]))


def apply_rows(rows, *, source, file_name, source_date=None, close_vanished=True):
    """Write parsed rows in bulk (caller holds the transaction); returns the ImportResult."""
    result = ImportResult(source=source, file_name=file_name)
    now = timezone.now()
    municipalities = {m.code: m for m in Municipality.objects.all()}
    by_key = _rows_in_area(rows, municipalities, result)
    existing = _existing_facilities(by_key)
    organizations = _organizations(by_key.values())
    pending = _write_facilities(by_key, existing, municipalities, organizations, result, now)
    schedule_rows = _write_profiles(pending, organizations, source=source, source_date=source_date, now=now)
    _write_services(pending)
    _write_schedules(schedule_rows)
    if close_vanished:
        result.closed = _close_vanished(source, [facility.pk for facility, *_rest in pending], now)
    transaction.on_commit(bump_data_version)
    _record_run(result, source=source, file_name=file_name)
    return result


def _rows_in_area(rows, municipalities, result):
    """{(kind, official_id): row} for rows in a known municipality; counts the others as out of area."""
    in_area = []
    for row in rows:
        if row.municipality_code in municipalities:
            in_area.append(row)
        else:
            result.out_of_area += 1
    # The same provider may appear twice in one file; the last line wins.
    return {(r.kind, r.official_id): r for r in in_area}


def _existing_facilities(by_key):
    """{(kind, official_id): Facility} (with profile) for the keys already in the directory."""
    existing = {}
    for kind in {k for k, _ in by_key}:
        ids = [oid for k, oid in by_key if k == kind]
        for chunk in _chunks(ids, 5000):
            for f in Facility.objects.filter(kind=kind, official_id__in=chunk).select_related("profile"):
                existing[(f.kind, f.official_id)] = f
    return existing


def _write_facilities(by_key, existing, municipalities, organizations, result, now):
    """Create or update the Facility rows; counts created/updated/unchanged.

    Returns [(facility, row, town, coord_source, profile)] in row order.
    """
    new_facilities, changed_facilities, pending = [], [], []
    for key, row in by_key.items():
        municipality = municipalities[row.municipality_code]
        town = geo.town_from_address(row.address, municipality.name)
        facility = existing.get(key)
        profile = _profile_of(facility) if facility else None
        lat, lon, coord_source = _locate(row, town, result, profile)
        values = {"name": row.name, "name_kana": row.name_kana, "kind": row.kind, "municipality_id": municipality.pk,
                  "address": row.address, "lat": lat, "lon": lon, "phone": row.phone}
        if facility is None:
            facility = Facility(official_id=row.official_id, **values)
            new_facilities.append(facility)
            result.created += 1
        else:
            changed = [f for f in FACILITY_FIELDS if getattr(facility, f) != values[f]]
            if changed:
                for f in changed:
                    setattr(facility, f, values[f])
                facility.updated_at = now
                changed_facilities.append(facility)
            if changed or _profile_changes(profile, row, town, coord_source, organizations):
                result.updated += 1
            else:
                result.unchanged += 1
        pending.append((facility, row, town, coord_source, profile))

    for chunk in _chunks(new_facilities):
        Facility.objects.bulk_create(chunk)
    for chunk in _chunks(changed_facilities):
        Facility.objects.bulk_update(chunk, [f.removesuffix("_id") for f in FACILITY_FIELDS] + ["updated_at"])
    return pending


def _profile_changes(profile, row, town, coord_source, organizations):
    """Whether the row would change the existing profile (missing or not open counts as a change)."""
    return profile is None or profile.status != DirectoryStatus.OPEN or any(
        getattr(profile, f) != v for f, v in _profile_values(row, town, coord_source, organizations).items())


def _write_profiles(pending, organizations, *, source, source_date, now):
    """Create or update the FacilityProfile rows; returns [(facility, schedules)] to write."""
    profiles_new, profiles_changed, schedule_rows = [], [], []
    changed_profile_fields = set()
    for facility, row, town, coord_source, profile in pending:
        values = _profile_values(row, town, coord_source, organizations)
        values.update(status=DirectoryStatus.OPEN, closed_on=None, source=source, source_date=source_date)
        # Publication in the ministry's file counts as a confirmation as of its date.
        confirmed = [d for d in (profile.last_confirmed_on if profile else None, source_date) if d]
        values["last_confirmed_on"] = max(confirmed) if confirmed else None
        if profile is None:
            profiles_new.append(FacilityProfile(facility=facility, imported_at=now, **values))
        else:
            differing = [f for f, v in values.items() if getattr(profile, f) != v]
            if differing:
                for f in differing:
                    setattr(profile, f, values[f])
                profile.imported_at = now
                changed_profile_fields.update(differing)
                profiles_changed.append(profile)
        if row.schedules is not None and not (profile and profile.hours_entered_by_facility):
            schedule_rows.append((facility, row.schedules))
    for chunk in _chunks(profiles_new):
        FacilityProfile.objects.bulk_create(chunk)
    for chunk in _chunks(profiles_changed, 500):
        FacilityProfile.objects.bulk_update(chunk, sorted(changed_profile_fields) + ["imported_at"])
    return schedule_rows


def _record_run(result, *, source, file_name):
    ImportRun.objects.create(
        source=source, file_name=file_name, created=result.created, updated=result.updated,
        unchanged=result.unchanged, closed=result.closed, repaired=result.repaired, unlocated=result.unlocated,
        out_of_area=result.out_of_area, report="\n".join(result.messages)[:20000],
    )


def _profile_of(facility):
    """The facility's profile (already fetched with select_related), or None."""
    try:
        return facility.profile
    except FacilityProfile.DoesNotExist:
        return None


def _organizations(rows):
    """{法人番号: Organization id} for the rows' corporations, created or renamed in bulk."""
    names = {r.corporation_number: r.corporation_name for r in rows
             if re.fullmatch(r"\d{13}", r.corporation_number or "") and r.corporation_name}
    found = {}
    for chunk in _chunks(list(names), 5000):
        found.update({o.corporation_number: o for o in Organization.objects.filter(corporation_number__in=chunk)})
    renamed = [o for number, o in found.items() if o.name != names[number]]
    for o in renamed:
        o.name = names[o.corporation_number][:200]
    for chunk in _chunks(renamed):
        Organization.objects.bulk_update(chunk, ["name"])
    missing = [Organization(corporation_number=n, name=name[:200]) for n, name in names.items() if n not in found]
    for chunk in _chunks(missing):
        Organization.objects.bulk_create(chunk, ignore_conflicts=True)
    if missing:
        for chunk in _chunks([o.corporation_number for o in missing], 5000):
            found.update({o.corporation_number: o for o in Organization.objects.filter(corporation_number__in=chunk)})
    return {number: o.pk for number, o in found.items()}


def _profile_values(row, town, coord_source, organizations):
    return {
        "organization_id": organizations.get(row.corporation_number),
        "town": town, "postal_code": geo.town_zip(town), "coord_source": coord_source,
        "search_key": search_key(row.name, row.name_kana, row.address), "url": row.url, "fax": row.fax,
        "corporation_name": row.corporation_name, "corporation_number": row.corporation_number,
        "capacity": row.capacity, "beds": row.beds, "hours_note": row.hours_note, "departments": row.departments,
    }


def _write_services(pending):
    wanted = [(f, row.service) for f, row, *_rest in pending if row.service]
    if not wanted:
        return
    codes = {code for _f, (code, _n) in wanted}
    active = set()
    for chunk in _chunks([f.pk for f, _s in wanted], 5000):
        active |= set(Service.objects.filter(facility_id__in=chunk, code__in=codes)
                      .values_list("facility_id", "code", "name"))
    missing = {(f.pk, code, name) for f, (code, name) in wanted if (f.pk, code, name) not in active}
    _insert_many(Service, ["facility_id", "code", "name", "description", "is_active", "source"],
                 [(pk, code, name, "", True, "import") for pk, code, name in sorted(missing)])
    for chunk in _chunks([f.pk for f, _s in wanted], 5000):
        Service.objects.filter(facility_id__in=chunk, code__in=codes, is_active=False).update(is_active=True)


def _schedule_key(schedules):
    return sorted((int(d), o, c, (n or "")[:200]) for d, o, c, n in schedules)


def _write_schedules(schedule_rows):
    """Replace imported opening days where the file differs from what is stored."""
    if not schedule_rows:
        return
    stored = {}
    for chunk in _chunks([f.pk for f, _s in schedule_rows], 5000):
        for facility_id, day, opens, closes, note in Schedule.objects.filter(
                facility_id__in=chunk, entered_by_facility=False).values_list(
                "facility_id", "weekday", "opens_at", "closes_at", "note"):
            stored.setdefault(facility_id, []).append((day, opens, closes, note))
    changed = [(f, s) for f, s in schedule_rows if _schedule_key(s) != _schedule_key(stored.get(f.pk, []))]
    for chunk in _chunks([f.pk for f, _s in changed if f.pk in stored], 5000):
        Schedule.objects.filter(facility_id__in=chunk, entered_by_facility=False).delete()
    ops = connection.ops
    values = [(f.pk, day, ops.adapt_timefield_value(opens), ops.adapt_timefield_value(closes), (note or "")[:200], False)
              for f, schedules in changed for day, opens, closes, note in schedules]
    _insert_many(Schedule, ["facility_id", "weekday", "opens_at", "closes_at", "note", "entered_by_facility"], values)


def _insert_many(model, columns, values):
    """Plain INSERTs for many small rows: model instances cost more than the database does."""
    if not values:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for chunk in _chunks(values, 5000):
            cursor.executemany(sql, chunk)


def _close_vanished(source, seen_ids, now):
    """Mark open providers of this source that the new file no longer lists as closed."""
    seen = set(seen_ids)
    vanished = [pk for pk in FacilityProfile.objects.filter(source=source, status=DirectoryStatus.OPEN)
                .values_list("facility_id", flat=True) if pk not in seen]
    for chunk in _chunks(vanished, 5000):
        FacilityProfile.objects.filter(facility_id__in=chunk).update(
            status=DirectoryStatus.CLOSED, closed_on=now.date())
    return len(vanished)


# ---------------------------------------------------------------- entry points

def _read(path_or_bytes):
    """The bytes of a file, or of the one CSV inside a zip as the ministry publishes it (…csv.zip)."""
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
    else:
        try:
            data = Path(path_or_bytes).read_bytes()
        except OSError as error:
            raise ImportFileError(f"ファイルを開けません：{error}")
    return _unzipped(data) if data[:4] == b"PK\x03\x04" else data


def _unzipped(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                raise ImportFileError(f"zip の中にCSVが1つだけ入っている必要があります（{len(names)}個あります）。")
            return archive.read(names[0])
    except zipfile.BadZipFile as error:
        raise ImportFileError(f"zip ファイルを開けません：{error}")


def import_kaigo_file(path_or_bytes, *, service_code=None, file_name="", source_date=None):
    """Import one jigyosho_<code>.csv in one transaction; returns its ImportResult."""
    file_name = file_name or (Path(path_or_bytes).name if not isinstance(path_or_bytes, bytes | bytearray) else "")
    service_code = service_code or service_code_from_name(file_name)
    if not service_code:
        raise ImportFileError("サービスコードが分かりません（ファイル名を jigyosho_<コード>.csv にするか、コードを指定してください）。")
    rows = parse_kaigo(_read(path_or_bytes), service_code,
                       city_codes={m.name: m.code for m in Municipality.objects.all()})
    with transaction.atomic():
        return apply_rows(rows, source=f"kaigo:{service_code}", file_name=file_name or f"jigyosho_{service_code}.csv",
                          source_date=source_date)


def merge_hours(rows, hours):
    """Attach departments and opening times of a 診療時間票 to facility rows (times win over day flags)."""
    for row in rows:
        if row.official_id in hours:
            departments, schedules = hours[row.official_id]
            row.departments = ",".join(departments)[:500]
            if schedules:
                row.schedules = schedules
    return rows


def import_iryo_files(facility_paths, *, hours_paths=(), kind=None, source_date=None, close_vanished=True):
    """Import 医療情報ネット facility tables (and their hours tables) of one kind as one snapshot."""
    rows = []
    names = []
    for path in facility_paths:
        name = Path(path).name if not isinstance(path, bytes | bytearray) else "facility.csv"
        names.append(name)
        rows.extend(parse_iryo_facilities(_read(path), kind=kind or kind_from_file_name(name)))
    hours = {}
    for path in hours_paths:
        hours.update(parse_iryo_hours(_read(path)))
    merge_hours(rows, hours)
    kinds = {r.kind for r in rows}
    source = f"iryo:{kinds.pop()}" if len(kinds) == 1 else "iryo:mixed"
    with transaction.atomic():
        return apply_rows(rows, source=source, file_name=", ".join(names), source_date=source_date,
                          close_vanished=close_vanished)
