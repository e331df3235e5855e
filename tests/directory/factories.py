"""Factories and file builders for the directory tests."""
import csv
import datetime
import io

from renkei.directory.importing import KAIGO_COLUMNS
from renkei.directory.models import ConsultationWindow, FacilityCapability, Schedule
from tests.factories import FacilityFactory  # noqa: F401


def kaigo_row(official_id, *, name=None, service="訪問看護", code="132039", address="東京都武蔵野市境南町二丁目1番1号",
              lat="35.6985", lon="139.5430", days="平日,土曜日", kana=None, corporation_number=""):
    values = {c: "" for c in KAIGO_COLUMNS}
    values.update({
        "都道府県コード又は市町村コード": code, "No": official_id, "都道府県名": "東京都", "市区町村名": "武蔵野市",
        "事業所名": name or f"訪問看護ステーション{official_id}", "事業所名カナ": kana or "ホウモンカンゴステーション",
        "サービスの種類": service, "住所": address, "緯度": lat, "経度": lon, "電話番号": "0422-00-0000",
        "法人の名称": "テスト法人", "法人番号": corporation_number, "事業所番号": official_id, "利用可能曜日": days, "定員": "0",
        "URL": "https://example.invalid/",
    })
    return [values[c] for c in KAIGO_COLUMNS]


def kaigo_file(rows, *, encoding="utf-8-sig", header=None):
    """Bytes of a jigyosho_<code>.csv in the ministry's 24-column layout."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header or KAIGO_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def with_capabilities(facility, *codes):
    FacilityCapability.objects.bulk_create([FacilityCapability(facility=facility, code=c) for c in codes])
    return facility


def open_on(facility, *weekdays):
    Schedule.objects.bulk_create([Schedule(facility=facility, weekday=d) for d in weekdays])
    return facility


def monday_windows(count):
    """`count` consultation windows (Mondays 9:00–10:00), each at a facility of its own."""
    for _ in range(count):
        ConsultationWindow.objects.create(facility=FacilityFactory(), weekday=1, starts_at=datetime.time(9),
                                          ends_at=datetime.time(10))
