"""Time the import of a full ministry open-data file (介護サービス情報公表 jigyosho_<code>.csv).

    python -m bench.import_timing --scale region

It writes a synthetic file in the ministry's 24-column layout (UTF-8 with BOM, as published) with
the row count of a large real service-code file, imports it with the directory's importer, then
imports it again (every row unchanged), and rolls both back so the data set stays as generated.
Prints one JSON line: {"rows", "seconds", "reimport_seconds"}.
"""
import argparse
import csv
import io
import json
import time

import django

django.setup()

from django.db import transaction  # noqa: E402

from renkei.directory.importing import KAIGO_COLUMNS, import_kaigo_file  # noqa: E402

ROWS = {"smoke": 300, "city": 5_000, "region": 30_000}
# 全国地方公共団体コード with check digit, as the ministry files carry them (北多摩南部).
CITY_CODES = ["132039", "132047", "132063", "132080", "132101", "132195"]
CITY_NAMES = ["武蔵野市", "三鷹市", "府中市", "調布市", "小金井市", "狛江市"]


class Rollback(Exception):
    pass


def kaigo_file(rows, service_code="110", service_name="訪問介護", id_prefix="99"):
    """Bytes of a synthetic jigyosho_<code>.csv with `rows` rows spread over the six cities."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(KAIGO_COLUMNS)
    for n in range(rows):
        city = n % len(CITY_CODES)
        values = dict.fromkeys(KAIGO_COLUMNS, "")
        official_id = f"{id_prefix}{n:08d}"
        values.update(
            {
                "都道府県コード又は市町村コード": CITY_CODES[city],
                "No": str(n + 1),
                "都道府県名": "東京都",
                "市区町村名": CITY_NAMES[city],
                "事業所名": f"ベンチ{service_name}事業所{n}",
                "事業所名カナ": f"ベンチジギョウショ{n}",
                "サービスの種類": service_name,
                "住所": f"東京都{CITY_NAMES[city]}ベンチ町{n % 5 + 1}丁目{n % 30 + 1}番{n % 9 + 1}号",
                "緯度": f"{35.63 + (n % 97) / 1000:.5f}",
                "経度": f"{139.47 + (n % 113) / 1000:.5f}",
                "電話番号": f"0422-{n % 100:02d}-{n % 10000:04d}",
                "法人の名称": "ベンチ法人",
                "事業所番号": official_id,
                "利用可能曜日": "平日,土曜日",
                "定員": str(n % 40),
            }
        )
        writer.writerow([values[c] for c in KAIGO_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(ROWS), default="city")
    args = parser.parse_args()
    rows = ROWS[args.scale]
    data = kaigo_file(rows, id_prefix="98")
    timings = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            result = import_kaigo_file(data, file_name="jigyosho_110.csv")
            timings["seconds"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            again = import_kaigo_file(data, file_name="jigyosho_110.csv")
            timings["reimport_seconds"] = round(time.perf_counter() - started, 2)
            if result.created != rows or again.unchanged != rows:
                raise SystemExit(f"import counts off: {result.summary()} / {again.summary()}")
            raise Rollback
    except Rollback:
        pass
    print(json.dumps({"rows": rows, **timings}))


if __name__ == "__main__":
    main()
