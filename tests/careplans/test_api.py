"""The care plan API: read the current plan (the caller's rows marked), import files (multipart, idempotent,
422 line by line), export one 表 (the whole for the care manager, their rows for a provider)."""
import pytest
from django.db import connection

from renkei.careplans.layout import parse_file
from renkei.careplans.models import CarePlan
from renkei.core.models import AuditEvent
from tests.careplans.conftest import (
    MONTH,
    MONTH_HOSOKU,
    PLAN_HOSOKU,
    STATION_NUMBER,
    auth,
    bad,
    files,
    sample_paths,
    uploads,
)

pytestmark = pytest.mark.django_db


def url(world, tail=""):
    return f"/api/v1/patients/{world.patient.pk}/careplan{tail}"


def post_files(client, world, items, user=None, **headers):
    return client.post(url(world, "/csv"), {"files": files(*items)}, **auth(user or world.care_manager), **headers)


def records(content, name):
    found, problems = parse_file(name, content)
    assert problems == []
    return found.header, found.records


def filename(response):
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def test_the_care_manager_posts_the_seven_files(client, plan_world):
    response = post_files(client, plan_world, uploads())
    assert response.status_code == 201
    assert response.json() == {"version": 1, "created_on": "20261015",
                               "tables": ["1", "2", "3", f"6:{MONTH}", f"7:{MONTH}", "9", f"9:{MONTH}"]}


def test_a_malformed_file_answers_422_with_each_problem_and_stores_nothing(client, plan_world):
    response = post_files(client, plan_world, uploads(tables=(PLAN_HOSOKU, 1)) + [bad("UPPLAN_bad_time.CSV"),
                                                                                 bad("UP2KYO_two_plans.CSV")])
    problems = response.json()["detail"]
    assert response.status_code == 422 and not CarePlan.objects.exists()
    assert [(p["file"], p["line"], p["column"], p["column_name"]) for p in problems] == [
        ("UPPLAN_bad_time.CSV", 1, 12, "サービス開始時刻"), ("UP2KYO_two_plans.CSV", 3, 3, "被保険者番号")]
    assert problems[0]["loc"] == ["body", "files", "UPPLAN_bad_time.CSV", 1, 12]


def test_the_refused_import_is_audited(client, plan_world):
    post_files(client, plan_world, [bad("careplan1_9999000001_20261015.csv")])
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager).count() == 1


def test_a_nurse_of_the_team_gets_403_on_import(client, plan_world):
    assert post_files(client, plan_world, uploads(), user=plan_world.nurse).status_code == 403


def test_a_stranger_gets_404_on_every_careplan_call(client, plan_world, imported):
    headers = auth(plan_world.stranger)
    assert client.get(url(plan_world), **headers).status_code == 404
    assert client.get(url(plan_world, "/csv?table=1"), **headers).status_code == 404
    assert post_files(client, plan_world, uploads(), user=plan_world.stranger).status_code == 404


def test_the_same_idempotency_key_imports_once(client, plan_world):
    first = post_files(client, plan_world, uploads(), HTTP_IDEMPOTENCY_KEY="cp-1")
    again = client.post(url(plan_world, "/csv"), {"files": files(*uploads())}, **auth(plan_world.care_manager),
                        HTTP_IDEMPOTENCY_KEY="cp-1")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert CarePlan.objects.count() == 1


def test_the_same_idempotency_key_with_other_files_is_refused(client, plan_world):
    post_files(client, plan_world, uploads(), HTTP_IDEMPOTENCY_KEY="cp-2")
    other = post_files(client, plan_world, uploads(tables=(PLAN_HOSOKU, 1, 2)), HTTP_IDEMPOTENCY_KEY="cp-2")
    assert other.status_code == 422 and CarePlan.objects.count() == 1


def test_the_plan_reads_with_the_nurses_rows_marked(client, plan_world, imported):
    body = client.get(url(plan_world), **auth(plan_world.nurse)).json()
    marked = [r["values"]["サービス事業者コード"] for r in body["table2"] if r["mine"]]
    assert body["version"] == 1 and body["my_offices"] == [STATION_NUMBER] and marked == [STATION_NUMBER]
    assert body["hosoku"]["利用者氏名"] == "武蔵野 テスト花子" and body["hosoku"]["区分支給限度基準額"] == "27048"
    assert body["table1"]["総合的な援助の方針"].startswith("心不全の悪化を防ぎ") and len(body["table3"]) == 9
    assert body["table7_total"]["サービスコード"] == "999999" and body["table7_total"]["サービス単位金額"] == "9448"


def test_mine_keeps_only_the_callers_rows(client, plan_world, imported):
    body = client.get(url(plan_world, "?mine=true"), **auth(plan_world.nurse)).json()
    assert [len(body[t]) for t in ("table2", "table6", "table7")] == [1, 4, 1]
    assert {r["values"]["サービス事業者コード"] for r in body["table6"]} == {STATION_NUMBER}


def test_no_plan_yet_reads_as_empty(client, plan_world):
    body = client.get(url(plan_world), **auth(plan_world.physician)).json()
    assert (body["version"], body["table1"], body["table2"]) == (None, None, [])


@pytest.mark.parametrize(("sample", "query"), [(PLAN_HOSOKU, "table=9"), (1, "table=1"), (2, "table=2"), (3, "table=3"),
                                               (MONTH_HOSOKU, f"table=9&month={MONTH}"), (6, "table=6"), (7, "table=7")])
def test_import_then_export_gives_the_same_file_byte_for_byte(client, plan_world, imported, sample, query):
    response = client.get(url(plan_world, f"/csv?{query}"), **auth(plan_world.care_manager))
    path = sample_paths(tables=(sample,))[0]
    assert response.status_code == 200 and response.content == path.read_bytes()
    assert records(response.content, filename(response)) == records(path.read_bytes(), path.name)
    # the same prefix (and 対象年月 or 提供年月) as the file imported
    assert filename(response).split("_1379999901_")[0] == path.name.split("_1379999901_")[0]


def test_table2_exports_under_the_standards_file_name(client, plan_world, imported):
    response = client.get(url(plan_world, "/csv?table=2"), **auth(plan_world.care_manager))
    name = filename(response)
    assert name.startswith("UP2KYO_1379999901_43_1379999901_43_") and name.endswith(".CSV") and len(name) == 53


def test_a_provider_exports_its_table2_rows_named_for_its_office(client, plan_world, imported):
    response = client.get(url(plan_world, "/csv?table=2"), **auth(plan_world.nurse))
    _, rows = records(response.content, filename(response))
    assert [r[16] for r in rows] == [STATION_NUMBER]
    assert filename(response).startswith(f"UP2KYO_1379999901_43_{STATION_NUMBER}_00_")


def test_the_export_in_utf8_is_the_utf8_sample(client, plan_world, imported):
    response = client.get(url(plan_world, "/csv?table=2&encoding=utf-8"), **auth(plan_world.care_manager))
    assert response.content == sample_paths("utf8", tables=(2,))[0].read_bytes()


def test_a_provider_exports_only_the_rows_of_its_office(client, plan_world, imported):
    response = client.get(url(plan_world, f"/csv?table=6&month={MONTH}"), **auth(plan_world.nurse))
    header, rows = records(response.content, filename(response))
    assert header["対象年月"] == MONTH and {r[19] for r in rows} == {STATION_NUMBER} and len(rows) == 4
    assert filename(response).startswith(f"UPPLAN_{MONTH}_1379999901_43_{STATION_NUMBER}_13_")


def test_a_provider_exports_its_table7_rows_and_the_plans_grand_total(client, plan_world, imported):
    response = client.get(url(plan_world, "/csv?table=7"), **auth(plan_world.nurse))
    _, rows = records(response.content, filename(response))
    assert [(r[6], r[8]) for r in rows] == [(STATION_NUMBER, "131111"), ("9999999999", "999999")]


def test_the_export_is_audited(client, plan_world, imported):
    client.get(url(plan_world, "/csv?table=1"), **auth(plan_world.care_manager))
    assert AuditEvent.objects.filter(action="export", patient_id=str(plan_world.patient.pk)).count() == 1


def test_an_unknown_table_is_a_400(client, plan_world, imported):
    assert client.get(url(plan_world, "/csv?table=4"), **auth(plan_world.care_manager)).status_code == 400


def test_the_care_managers_office_files_still_read_after_a_provider_export(client, plan_world, imported):
    """The supplement of the plan and 第1表 go whole to any member."""
    response = client.get(url(plan_world, "/csv?table=9"), **auth(plan_world.nurse))
    assert response.content == sample_paths(tables=(PLAN_HOSOKU,))[0].read_bytes()


def audit():
    return 1 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize("extra", [0, 40])
def test_reading_the_plan_is_a_fixed_number_of_queries(client, plan_world, extra, django_assert_num_queries):
    """Token, patient, offices, plan, months, tables, and the audit row — whatever the number of rows."""
    content = sample_paths(tables=(2,))[0].read_bytes().decode("cp932")
    rows = content.split("\r\n")[:-1]
    rows = rows + [rows[0]] * extra
    import_ = uploads(tables=(PLAN_HOSOKU, 1, MONTH_HOSOKU, 6, 7))
    from renkei.careplans import services

    services.import_plan(user=plan_world.care_manager, patient=plan_world.patient, uploads=import_ + [
        services.Upload("UP2KYO_t2.CSV", ("\r\n".join(rows) + "\r\n").encode("cp932"))])
    headers = auth(plan_world.nurse)
    with django_assert_num_queries(6 + audit()):
        body = client.get(url(plan_world), **headers).json()
    assert len(body["table2"]) == 5 + extra


def test_posting_no_file_is_a_400(client, plan_world):
    response = client.post(url(plan_world, "/csv"), {}, **auth(plan_world.care_manager))
    assert response.status_code == 400 and response.json() == {"detail": "取り込む CSV ファイルを選んでください。"}


def december(items):
    """November's 第7表 file as December's (only the 対象年月 changes)."""
    return [type(u)(u.name.replace(MONTH, "202612"), u.content.replace(b",202611,", b",202612,")) for u in items]


def test_a_second_month_is_listed_and_picked_by_month(client, plan_world, imported):
    post_files(client, plan_world, december(uploads(tables=(7,))))
    latest = client.get(url(plan_world), **auth(plan_world.nurse)).json()
    november = client.get(url(plan_world, f"?month={MONTH}"), **auth(plan_world.nurse)).json()
    assert latest["months"] == ["202612", MONTH] and (latest["month"], latest["table6"]) == ("202612", [])
    assert november["month"] == MONTH and len(november["table6"]) == 22
