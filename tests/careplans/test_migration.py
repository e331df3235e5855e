"""The data migration 0002: stored tables of Renkei's former layout become the standard's records (第1表 and
a 補足情報 of the plan, 第2表's version, 第6表's day grid as one record per day, 第7表 with its 全合計 row and
its T record as the month's 補足情報), which the import's own checks then accept."""
import importlib

import pytest

from renkei.careplans.layout import HOSOKU, parse_file, write_file
from tests.migrating import migrate_to, migrate_to_latest
from tests.network.factories import PatientFactory

migration = importlib.import_module("renkei.careplans.migrations.0002_standard_layouts")

PLAN = {"insurer_number": "139999", "insured_number": "9999000001", "created_on": "20261015",
        "office_number": "1379999901"}
MONTH = "202611"
OLD1 = ["D", "武蔵野 テスト花子", "ムサシノ テストハナコ", "19370614", "2", "1809999", "武蔵野市（架空）緑町9-9-1",
        "計画 ケア子", "（架空）けやき居宅介護支援事業所", "東京都武蔵野市（架空の所在地）", "20240401", "3", "1", "23",
        "20260901", "20261001", "20270930", "本人：「家で暮らしたい」", "特になし", "連携して支援します。", "", ""]
OLD2 = ["1", "139999", "9999000001", "20261015", "20261015", "1", "自宅で転ばずに安心して暮らしたい", "1",
        "家の中を安全に移動できる", "トイレまで見守りで歩ける", "2026年10月15日～2027年9月30日",
        "2026年10月15日～2027年3月31日", "1", "室内移動の見守り", "1", "訪問介護", "1379999903", "（架空）ひかり訪問介護",
        "週3回", "2026年10月15日～2027年3月31日", "", ""]


def grid(days):
    return ["1" if day in days else "" for day in range(1, 32)]


OLD6 = [
    ["D", "1379999902", "（架空）さくら訪問看護ステーション", "13", "131111", "訪問看護I2", "1400", "1430",
     *grid({3, 10, 17, 24}), "4"],
    ["D", "1379999905", "（架空）みどり福祉用具", "17", "171001", "特殊寝台貸与", "", "", *grid({1}), "1"],
]
OLD7 = [
    ["D", "1379999902", "（架空）さくら訪問看護ステーション", "13", "131111", "訪問看護I2", "471", "", "4", "1884", "", "",
     "", "1884", "11.05", "20818", "90", "18736", "2082", ""],
    ["D", "1379999905", "（架空）みどり福祉用具", "17", "171001", "特殊寝台貸与", "800", "", "1", "800", "", "", "", "800",
     "10.00", "8000", "90", "7200", "800", ""],
    ["T", "27048", "202610", "202709"],
]
OLD = {(1, ""): [OLD1], (2, ""): [OLD2], (6, MONTH): OLD6, (7, MONTH): OLD7}
NAMES = {(1, ""): "UP1KYO_x.CSV", (2, ""): "UP2KYO_x.CSV", (6, MONTH): "UPPLAN_x.CSV", (7, MONTH): "UPSIKYU_x.CSV",
         (HOSOKU, ""): "UPHOSOKU_000000_x.CSV", (HOSOKU, MONTH): f"UPHOSOKU_{MONTH}_x.CSV"}


def problems(key, records):
    found, found_problems = parse_file(NAMES[key], write_file(key[0], records))
    return [(p.line, p.column_name) for p in found_problems]


def test_the_old_tables_convert_to_the_standards_records():
    new = migration.convert(PLAN, OLD)
    assert sorted(new) == [(1, ""), (2, ""), (6, MONTH), (7, MONTH), (HOSOKU, ""), (HOSOKU, MONTH)]
    [table1] = new[(1, "")]
    assert (len(table1), table1[4], table1[12], table1[13], table1[15], table1[16], table1[20]) == (
        28, "180-9999", "1379999901", "20261015", "21", "2", "23")
    [person] = new[(HOSOKU, "")]
    assert (person[3], person[4], person[5], person[6], person[7], person[62]) == (
        "20261015", "ムサシノ テストハナコ", "武蔵野 テスト花子", "2", "19370614", "000000")
    assert (new[(2, "")][0][0], new[(2, "")][0][14]) == ("202407", "Y")
    days = [(r[9], r[11], r[12], r[13], r[14]) for r in new[(6, MONTH)]]
    assert days == [(f"202611{d:02d}", "1400", "1430", "1", "131111") for d in (3, 10, 17, 24)] + [
        ("20261101", "9999", "9999", "1", "171001")]
    assert new[(6, MONTH)][0][7] == "471" and new[(6, MONTH)][-1][17] == "特殊寝台貸与"
    *rows, total = new[(7, MONTH)]
    assert [len(r) for r in new[(7, MONTH)]] == [37, 37, 37]
    assert (total[6], total[8], total[16], total[23], total[25], total[27]) == (
        "9999999999", "999999", "2684", "28818", "25936", "2882")
    [limits] = new[(HOSOKU, MONTH)]
    assert (limits[3], limits[13], limits[14], limits[18], limits[62], limits[5]) == (
        "00000000", "20261001", "20270930", "27048", MONTH, "武蔵野 テスト花子")


def test_the_converted_records_pass_the_imports_checks_but_the_rentals_missing_tais_code():
    new = migration.convert(PLAN, OLD)
    for key, records in new.items():
        expected = [(5, "TAISコード")] if key == (6, MONTH) else []
        assert problems(key, records) == expected, key


def test_tables_already_in_the_standards_layout_are_left_alone():
    new = migration.convert(PLAN, OLD)
    assert migration.convert(PLAN, new) == new




@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_the_stored_tables():
    patient = PatientFactory()
    old = migrate_to([("careplans", "0001_careplan_versions")])
    try:
        plan = old.get_model("careplans", "CarePlan").objects.create(patient_id=patient.pk, version=1, **PLAN)
        for (table, month), records in OLD.items():
            old.get_model("careplans", "CarePlanTable").objects.create(plan=plan, table=table, month=month,
                                                                       records=records)
        new = migrate_to([("careplans", "0002_standard_layouts")])
        stored = {(t.table, t.month): t.records
                  for t in new.get_model("careplans", "CarePlanTable").objects.filter(plan_id=plan.pk)}
        assert stored == migration.convert(PLAN, OLD)
        assert len(stored[(6, MONTH)]) == 5
    finally:
        migrate_to_latest()
