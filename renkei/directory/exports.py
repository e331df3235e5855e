"""Exports of the directory: CSV (UTF-8 BOM / Shift_JIS), Excel, and an HSDS 3.1 tabular data package."""
import csv
import io
import json
import uuid
import zipfile

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from renkei.core.exports import safe_cell, safe_row, text_row

from . import geo, selectors
from .attribution import ATTRIBUTION
from .presenters import WEEKDAY_LABELS, time_range
from .taxonomy import CAPABILITIES, capability_label, kind_label

FORMATS = {"csv", "csv-sjis", "xlsx", "hsds"}
NAMESPACE = uuid.UUID("6f1d2a4e-8c39-4bde-9a7e-2d5b0c1e7a11")

COLUMNS = ["ID", "名称", "フリガナ", "種別", "市区町村", "所在地", "町丁目", "緯度", "経度", "位置の出所", "電話番号", "FAX",
           "ホームページ", "機能・対応", "営業・診療日", "新規受け入れ", "受け入れ確認日", "空き", "空き確認日", "PT", "OT", "ST",
           "対応言語", "訪問地域", "状態", "出典", "出典の時点", "最終確認日", "架空（デモ用）"]

SOURCE_LABELS = {"iryo": "厚生労働省 医療情報ネット オープンデータ", "kaigo": "厚生労働省 介護サービス情報公表システム オープンデータ",
                 "demo": "架空（デモ用）"}


def _yes_no(value):
    return {True: "可", False: "停止中"}.get(value, "")


def _date(value):
    return value.isoformat() if value else ""


def table_rows(facilities):
    """One list of cell values per facility, in COLUMNS order."""
    for f in facilities:
        p = f.profile
        days = {}
        for s in f.directory_schedules.all():
            days.setdefault(s.weekday, set()).add(time_range(s))
        yield [
            f.pk, f.name, f.name_kana, kind_label(f.kind), f.municipality.name, f.address, p.town,
            f.lat if f.lat is not None else "", f.lon if f.lon is not None else "", p.get_coord_source_display(),
            f.phone, p.fax, p.url, "、".join(capability_label(c.code) for c in f.capabilities.all()),
            " ".join(f"{WEEKDAY_LABELS[d][0]}" for d in sorted(days)), _yes_no(p.accepting_new),
            _date(p.accepting_confirmed_on), "" if p.vacancies is None else p.vacancies, _date(p.vacancies_confirmed_on),
            p.pt_count or "", p.ot_count or "", p.st_count or "", p.languages,
            "、".join(a.name for a in f.directory_areas.all()), p.get_status_display(),
            SOURCE_LABELS.get(p.source.split(":")[0], p.source), _date(p.source_date), _date(p.last_confirmed_on),
            "架空" if f.is_fictional else "",
        ]


def _csv_text(facilities):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(row) for row in table_rows(facilities))
    return out.getvalue()


def _filename(ext):
    return f"renkei-directory-{timezone.localdate():%Y%m%d}.{ext}"


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def respond(fmt, params):
    facilities = selectors.matching(params)
    if fmt == "csv":
        return _attachment(("\ufeff" + _csv_text(facilities)).encode("utf-8"), "text/csv; charset=utf-8",
                           _filename("csv"))
    if fmt == "csv-sjis":
        return _attachment(_csv_text(facilities).encode("cp932", errors="replace"), "text/csv; charset=shift_jis",
                           _filename("sjis.csv"))
    if fmt == "xlsx":
        return _attachment(excel(facilities), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           _filename("xlsx"))
    return _attachment(hsds_package(facilities), "application/zip", _filename("hsds.zip"))


def excel(facilities):
    book = Workbook()
    sheet = book.active
    sheet.title = "資源マップ"
    text_row(sheet, COLUMNS)
    for row in table_rows(facilities):
        text_row(sheet, row)
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("出典")
    for line in ATTRIBUTION:
        text_row(notes, [line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def payload_lines(payload):
    """A change request's payload as readable lines for staff."""
    lines = []
    if "accepting_new" in payload:
        lines.append(f"新規受け入れ：{_yes_no(payload['accepting_new']) or '未回答'}")
    if payload.get("vacancies") is not None:
        lines.append(f"空き：{payload['vacancies']}")
    if "capabilities" in payload:
        lines.append("機能・対応：" + ("、".join(capability_label(c) for c in payload["capabilities"]) or "なし"))
    for key, label in (("pt_count", "PT"), ("ot_count", "OT"), ("st_count", "ST")):
        if payload.get(key) is not None:
            lines.append(f"{label}：{payload[key]}人")
    if payload.get("languages"):
        lines.append(f"対応言語：{payload['languages']}")
    if payload.get("areas"):
        lines.append("訪問地域：" + "、".join(payload["areas"]))
    if "schedules" in payload:
        days = [WEEKDAY_LABELS[int(s["weekday"])] + (f" {s['opens_at']}〜{s['closes_at']}" if s.get("opens_at") and
                s.get("closes_at") else "") for s in payload["schedules"]]
        lines.append("営業・診療日：" + ("、".join(days) or "なし"))
    if payload.get("hours_note"):
        lines.append(f"補足：{payload['hours_note']}")
    if payload.get("description"):
        lines.append(f"紹介文：{payload['description']}")
    return lines


# ---------------------------------------------------------------- HSDS 3.1 tabular data package

HSDS_BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
HSDS_TABLES = {
    "organization": ("organizations.csv", ["id", "name", "alternate_name", "description", "website"]),
    "organization_identifier": ("organization_identifiers.csv", ["id", "organization_id", "identifier_scheme",
                                                                 "identifier_type", "identifier"]),
    "location": ("locations.csv", ["id", "location_type", "organization_id", "name", "alternate_name", "latitude",
                                   "longitude", "external_identifier", "external_identifier_type"]),
    "address": ("addresses.csv", ["id", "location_id", "address_1", "city", "region", "state_province",
                                  "postal_code", "country", "address_type"]),
    "service": ("services.csv", ["id", "organization_id", "name", "description", "url", "status", "last_modified"]),
    "service_at_location": ("service_at_location.csv", ["id", "service_id", "location_id"]),
    "phone": ("phones.csv", ["id", "location_id", "number", "type"]),
    "schedule": ("schedules.csv", ["id", "service_at_location_id", "freq", "wkst", "byday", "opens_at", "closes_at",
                                   "description"]),
    "service_area": ("service_areas.csv", ["id", "service_id", "name", "description"]),
    "language": ("languages.csv", ["id", "location_id", "name"]),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "version"]),
    "taxonomy_term": ("taxonomy_terms.csv", ["id", "code", "name", "description", "taxonomy", "taxonomy_id",
                                             "language"]),
    "attribute": ("attributes.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
                                     "label"]),
}
NUMBER_FIELDS = {"latitude", "longitude"}


def hsds_id(kind, key):
    return str(uuid.uuid5(NAMESPACE, f"renkei:{kind}:{key}"))


def _postal_code(profile):
    return profile.postal_code or geo.town_zip(profile.town)


def hsds_tables(facilities):
    """{table name: [row dicts]} shaped after HSDS 3.1."""
    tables = {name: [] for name in HSDS_TABLES}
    taxonomy_id = hsds_id("taxonomy", "capabilities")
    tables["taxonomy"].append({"id": taxonomy_id, "name": "Renkei 在宅医療・介護の機能", "version": "1",
                               "description": "Renkei の資源マップで検索に使う在宅医療・介護・リハビリテーションの機能"})
    for code, (label, group) in CAPABILITIES.items():
        tables["taxonomy_term"].append({"id": hsds_id("term", code), "code": code, "name": label,
                                        "description": f"{group}：{label}", "taxonomy": "Renkei",
                                        "taxonomy_id": taxonomy_id, "language": "ja"})
    organizations_done = set()
    for f in facilities:
        p = f.profile
        loc = hsds_id("location", f.pk)
        if p.organization_id:
            # One organization per 法人 (its 法人番号), shared by the providers it runs.
            org = hsds_id("corporation", p.organization_id)
            if org not in organizations_done:
                organizations_done.add(org)
                tables["organization"].append({"id": org, "name": p.organization.name,
                                               "description": f"法人番号 {p.organization.corporation_number}"})
                tables["organization_identifier"].append({
                    "id": hsds_id("corporation-number", p.organization_id), "organization_id": org,
                    "identifier_scheme": "JP-CN", "identifier_type": "法人番号",
                    "identifier": p.organization.corporation_number})
        else:
            org = hsds_id("organization", f.pk)
            tables["organization"].append({"id": org, "name": f.name, "alternate_name": f.name_kana,
                                           "description": p.description or p.corporation_name or kind_label(f.kind),
                                           "website": p.url})
        tables["location"].append({
            "id": loc, "location_type": "physical", "organization_id": org, "name": f.name,
            "alternate_name": f.name_kana, "latitude": f.lat, "longitude": f.lon,
            "external_identifier": f.official_id,
            "external_identifier_type": ("介護保険事業所番号" if p.source.startswith("kaigo") else
                                         "医療情報ネットID" if p.source.startswith("iryo") else ""),
        })
        tables["address"].append({
            "id": hsds_id("address", f.pk), "location_id": loc, "address_1": geo.street_part(f.address,
                                                                                          f.municipality.name),
            "city": f.municipality.name, "region": p.town, "state_province": f.municipality.prefecture,
            "postal_code": _postal_code(p), "country": "JP", "address_type": "physical"})
        services = [s for s in f.directory_services.all()] or [None]
        status = "active" if p.status == "open" else "defunct"
        sals = []
        for service in services:
            key = f"{f.pk}:{service.pk}" if service else f"{f.pk}:main"
            sid, sal = hsds_id("service", key), hsds_id("sal", key)
            sals.append(sal)
            tables["service"].append({
                "id": sid, "organization_id": org, "name": service.name if service else kind_label(f.kind),
                "description": (service.description if service else "") or p.departments, "url": p.url,
                "status": status if (service is None or service.is_active) else "inactive",
                "last_modified": f.updated_at.isoformat()})
            tables["service_at_location"].append({"id": sal, "service_id": sid, "location_id": loc})
            for area in f.directory_areas.all():
                tables["service_area"].append({"id": hsds_id("area", f"{key}:{area.pk}"), "service_id": sid,
                                               "name": area.name, "description": area.description})
        for number, kind in ((f.phone, "voice"), (p.fax, "fax")):
            if number:
                tables["phone"].append({"id": hsds_id(f"phone-{kind}", f.pk), "location_id": loc, "number": number,
                                        "type": kind})
        for s in f.directory_schedules.all():
            tables["schedule"].append({
                "id": hsds_id("schedule", s.pk), "service_at_location_id": sals[0], "freq": "WEEKLY", "wkst": "MO",
                "byday": HSDS_BYDAY.get(s.weekday, ""),
                "opens_at": f"{s.opens_at:%H:%M}" if s.opens_at else "",
                "closes_at": f"{s.closes_at:%H:%M}" if s.closes_at else "",
                "description": "祝日" if s.weekday == 8 else s.note})
        for c in f.capabilities.all():
            tables["attribute"].append({"id": hsds_id("attribute", f"{f.pk}:{c.code}"), "link_id": loc,
                                        "taxonomy_term_id": hsds_id("term", c.code), "link_type": "capability",
                                        "link_entity": "location", "value": "true", "label": capability_label(c.code)})
        for language in filter(None, (x.strip() for x in p.languages.split("、"))):
            tables["language"].append({"id": hsds_id("language", f"{f.pk}:{language}"), "location_id": loc,
                                       "name": language})
    return tables


def _cell(value):
    return "" if value is None else safe_cell(value)


def hsds_package(facilities):
    """A zip of datapackage.json and one CSV per HSDS table."""
    tables = hsds_tables(facilities)
    resources, out = [], io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (path, fields) in HSDS_TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\r\n")
            writer.writeheader()
            for row in tables[name]:
                writer.writerow({k: _cell(row.get(k)) for k in fields})
            archive.writestr(path, text.getvalue())
            resources.append({
                "name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": [{"name": k, "type": "number" if k in NUMBER_FIELDS else "string"}
                                      for k in fields]},
            })
        descriptor = {
            "profile": "tabular-data-package", "name": "renkei-directory",
            "title": "Renkei 資源マップ（在宅医療・介護の資源）", "created": timezone.now().isoformat(),
            "description": "Open Referral HSDS 3.1 の表形式に合わせた書き出し。",
            "sources": [{"title": line} for line in ATTRIBUTION[:3]],
            "resources": resources,
        }
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
    return out.getvalue()


__all__ = ["FORMATS", "respond", "payload_lines", "hsds_tables", "hsds_package", "excel", "table_rows"]
