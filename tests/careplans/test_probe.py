"""Adversarial probes of the care plans: who reads and exports what, malformed uploads (a clear 4xx, never a
500, nothing stored), the audit trail of every read, export, import and refusal."""
import pytest
from django.urls import reverse

from renkei.careplans import services
from renkei.careplans.layout import parse_file
from renkei.careplans.models import CarePlan, CarePlanTable
from renkei.core.models import AuditEvent
from renkei.network.models import MemberStatus
from tests.careplans.conftest import MONTH, PLAN_HOSOKU, auth, files, sample_paths, uploads

pytestmark = pytest.mark.django_db


def api(world, tail=""):
    return f"/api/v1/patients/{world.patient.pk}/careplan{tail}"


def sample(table):
    return sample_paths(tables=(table,))[0]


def text_of(table):
    return sample(table).read_bytes().decode("cp932")


def upload_text(table, text, name=None):
    return services.Upload(name or sample(table).name, text.encode("cp932"))


def replace_in(table, old, new, name=None):
    return upload_text(table, text_of(table).replace(old, new), name)


FAULTY = {
    "empty": lambda: services.Upload(sample(2).name, b""),
    "bom only": lambda: services.Upload(sample(2).name, b"\xef\xbb\xbf"),
    "blank lines": lambda: services.Upload(sample(2).name, b"\r\n\r\n,,,\r\n"),
    "nul byte": lambda: replace_in(2, "（架空）さくら訪問看護ステーション", "さくら\x00訪問看護"),
    "nul byte bare": lambda: services.Upload(sample(2).name, b"\x00"),
    "undecodable": lambda: services.Upload(sample(2).name, b"\xff\xfe\xfa" * 10),
    "utf16": lambda: services.Upload(sample(2).name, text_of(2).encode("utf-16")),
    "huge line": lambda: services.Upload(sample(2).name, b"202407," + b"x" * 1_500_000),
    "huge field quoted": lambda: services.Upload(sample(2).name, b'202407,"' + b"x" * 200_000 + b'"'),
    "unclosed quote": lambda: services.Upload(sample(2).name, b'202407,"abc'),
    "one item": lambda: services.Upload(sample(2).name, b"202407\r\n"),
    "one empty item then text": lambda: services.Upload(sample(2).name, b",x\r\n"),
    "no prefix": lambda: services.Upload("plan.csv", sample(2).read_bytes()),
    "path separators": lambda: services.Upload("../../etc/UP9_x.CSV", sample(2).read_bytes()),
    "windows path": lambda: services.Upload("C:\\data\\" + "x" * 300 + ".CSV", sample(2).read_bytes()),
    "month 13": lambda: replace_in(7, ",202611,", ",202613,"),
    "month 00": lambda: replace_in(7, ",202611,", ",202600,"),
    "day 31 of november": lambda: replace_in(6, ",20261102,", ",20261131,"),
    "prorate 30 chars": lambda: replace_in(6, ",20261102,,", ",20261102," + "0" * 30 + ","),
    "prorate 32 chars": lambda: replace_in(6, ",20261102,,", ",20261102," + "0" * 32 + ","),
    "negative count": lambda: replace_in(6, ",0900,0930,1,", ",0900,0930,-1,"),
    "full-width count": lambda: replace_in(6, ",0900,0930,1,", ",0900,0930,１,"),
    "full-width insured": lambda: replace_in(2, ",9999000001,", ",９９９９０００００１,"),
    "time 2460": lambda: replace_in(6, ",0900,0930,", ",0900,2460,"),
    "version text": lambda: replace_in(2, "202407,", "abcdef,"),
    "emoji in utf-8": lambda: services.Upload(sample(2).name, text_of(2).replace("（架空）さくら訪問看護ステーション",
                                                                                 "さくら😀").encode("utf-8")),
    "control character": lambda: replace_in(2, "（架空）さくら訪問看護ステーション", "さくら\x1b[31m"),
}


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_a_faulty_file_is_refused_with_a_japanese_message(plan_world, fault):
    found, problems = parse_file(FAULTY[fault]().name, FAULTY[fault]().content)
    assert found is None and problems and all(p.message for p in problems)


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_a_faulty_upload_is_a_json_4xx_and_stores_nothing(client, plan_world, imported, fault):
    before = list(CarePlanTable.objects.order_by("pk").values_list("pk", "records"))
    items = uploads(tables=(PLAN_HOSOKU, 1)) + [FAULTY[fault]()]
    response = client.post(api(plan_world, "/csv"), {"files": files(*items)}, **auth(plan_world.care_manager))
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert CarePlan.objects.get(is_current=True) == imported and CarePlan.objects.count() == 1
    assert list(CarePlanTable.objects.order_by("pk").values_list("pk", "records")) == before
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager).count() == 1


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_a_faulty_upload_on_the_page_is_shown_not_a_500(login, plan_world, fault):
    client = login(plan_world.care_manager)
    items = uploads(tables=(PLAN_HOSOKU, 1)) + [FAULTY[fault]()]
    response = client.post(reverse("careplans:import", args=[plan_world.patient.pk]), {"csv_files": files(*items)})
    assert response.status_code in (200, 422) and not CarePlan.objects.exists()
    if response.status_code == 422:  # refused by the import (a 200 is the form's own check, e.g. an empty file)
        assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager).count() == 1


# --------------------------------------------------------------------------- who reads and exports what

def page_routes(world, patient_pk=None):
    pk = world.patient.pk if patient_pk is None else patient_pk
    return [reverse("careplans:plan", args=[pk]), reverse("careplans:import", args=[pk])] + [
        reverse("careplans:csv", args=[pk, n]) + f"?month={MONTH}" for n in (1, 2, 3, 6, 7, 9)]


def api_reads(world, patient_pk=None):
    pk = world.patient.pk if patient_pk is None else patient_pk
    return [f"/api/v1/patients/{pk}/careplan", f"/api/v1/patients/{pk}/careplan?month={MONTH}&mine=true"] + [
        f"/api/v1/patients/{pk}/careplan/csv?table={n}&month={MONTH}" for n in (1, 2, 3, 6, 7, 9)]


def removed(world):
    world.nurse_member.status = MemberStatus.REMOVED
    world.nurse_member.save()
    return world.nurse


def nurse_with(**changes):
    """The team's nurse, her account changed so (pending, deactivated, withdrawn)."""

    def change(world):
        for field, value in changes.items():
            setattr(world.nurse, field, value)
        world.nurse.save()
        return world.nurse

    return change


OUTSIDERS = {"stranger": lambda w: w.stranger, "removed member": removed,
             "unapproved member": nurse_with(registration_status="pending"),
             "deactivated account": nurse_with(is_active=False),
             "withdrawn account": nurse_with(registration_status="withdrawn")}


@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_an_outsider_reads_exports_and_imports_nothing_through_the_api(client, plan_world, imported, who):
    user = OUTSIDERS[who](plan_world)
    headers = auth(user)
    for path in api_reads(plan_world):
        response = client.get(path, **headers)
        assert response.status_code in (401, 404) and b"9999000001" not in response.content, path
        if who in ("stranger", "removed member"):
            assert response.status_code == 404, path
    response = client.post(api(plan_world, "/csv"), {"files": files(*uploads())}, **headers)
    assert response.status_code in (401, 404) and CarePlan.objects.count() == 1


@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_an_outsider_gets_nothing_from_the_pages(login, plan_world, imported, who):
    user = OUTSIDERS[who](plan_world)
    client = login(user)
    for path in page_routes(plan_world):
        response = client.get(path)
        assert response.status_code in (302, 403, 404) and b"9999000001" not in response.content, path
        if who in ("stranger", "removed member"):  # signed in: the patient is missing for them
            assert response.status_code == 404, path
        if response.status_code == 302:
            assert "/careplans/" not in response["Location"]
    response = client.post(page_routes(plan_world)[1], {"csv_files": files(*uploads())})
    assert response.status_code in (302, 403, 404) and CarePlan.objects.count() == 1


def test_anonymous_gets_nothing(client, plan_world, imported):
    for path in api_reads(plan_world):
        assert client.get(path).status_code == 401
    for path in page_routes(plan_world):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(api(plan_world, "/csv"), {"files": files(*uploads())}).status_code == 401
    assert CarePlan.objects.count() == 1


@pytest.mark.parametrize("patient", ["other", "missing", "text", "negative", "huge"])
def test_a_forged_patient_id_is_a_404(client, login, plan_world, imported, patient):
    pk = {"other": plan_world.other_patient.pk, "missing": 999999, "text": "abc", "huge": 10 ** 30,
          "negative": -1}[patient]
    for path in api_reads(plan_world, pk):
        assert client.get(path, **auth(plan_world.care_manager)).status_code == 404, path
    if isinstance(pk, int) and pk >= 0:  # the pages' <int:…> routes take no sign
        page = login(plan_world.care_manager)
        for path in page_routes(plan_world, pk):
            assert page.get(path).status_code == 404, path


@pytest.mark.parametrize("query", ["table=0", "table=4", "table=5", "table=8", "table=10", "table=-1", "table=abc",
                                   "table=", "table=1.0", "table=%EF%BC%91", f"table=2{'0' * 40}",
                                   "table=6&month=202613", "table=6&month=../..", "table=9&month=000000",
                                   "table=6&encoding=cp1252", "table=6&month=%00", "table=+1", "table=0_1", "table=%201"])
def test_a_bad_export_query_is_a_json_4xx(client, plan_world, imported, query):
    response = client.get(api(plan_world, f"/csv?{query}"), **auth(plan_world.care_manager))
    assert response.status_code in (400, 404) and response.json()["detail"]


@pytest.mark.parametrize("table", [0, 4, 5, 8, 10, 10 ** 20])
def test_a_bad_table_on_the_page_goes_back_with_the_reason(login, plan_world, imported, table):
    client = login(plan_world.care_manager)
    response = client.get(reverse("careplans:csv", args=[plan_world.patient.pk, table]), follow=True)
    assert response.status_code == 200 and "table は 1・2・3・6・7・9" in response.content.decode()


def test_a_month_not_imported_is_a_404_on_the_page(login, plan_world, imported):
    client = login(plan_world.care_manager)
    response = client.get(reverse("careplans:csv", args=[plan_world.patient.pk, 6]) + "?month=202612")
    assert response.status_code == 404


def offices(content, name, item):
    found, problems = parse_file(name, content)
    assert problems == []
    return {r[item] for r in found.records}


def filename(response):
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


@pytest.mark.parametrize(("table", "item"), [(2, 16), (6, 19), (7, 6)])
def test_a_member_exports_only_rows_of_her_offices(client, plan_world, imported, table, item):
    for user in (plan_world.nurse, plan_world.physician):
        for mine in ("", "&mine=true"):
            response = client.get(api(plan_world, f"/csv?table={table}{mine}"), **auth(user))
            assert response.status_code == 200
            allowed = set(access_offices(user)) | ({"9999999999"} if table == 7 else set())
            got = offices(response.content, filename(response), item) if response.content else set()
            assert got <= allowed and (got & set(access_offices(user))) == set(access_offices(user)) & {
                "1379999902"}


def access_offices(user):
    from renkei.core import access

    return access.office_numbers_of(user)


def test_a_nurse_whose_station_lost_its_number_exports_no_row_of_2_6_7(client, plan_world, imported):
    plan_world.station.official_id = ""
    plan_world.station.save()
    for table, item in ((2, 16), (6, 19), (7, 6)):
        response = client.get(api(plan_world, f"/csv?table={table}"), **auth(plan_world.nurse))
        got = offices(response.content, filename(response), item) if response.content else set()
        assert got <= {"9999999999"}, table
    body = client.get(api(plan_world), **auth(plan_world.nurse)).json()
    assert not any(r["mine"] for t in ("table2", "table6", "table7") for r in body[t])


def test_the_page_export_keeps_the_providers_rows_to_her_own(login, plan_world, imported):
    client = login(plan_world.nurse)
    response = client.get(reverse("careplans:csv", args=[plan_world.patient.pk, 6]))
    assert offices(response.content, filename(response), 19) == {"1379999902"}


def test_a_care_manager_with_mine_exports_only_her_offices_rows(client, plan_world, imported):
    response = client.get(api(plan_world, "/csv?table=2&mine=true"), **auth(plan_world.care_manager))
    assert response.status_code == 200 and response.content == b""


# --------------------------------------------------------------------------- uploads as a whole

def post(client, world, items, user=None):
    return client.post(api(world, "/csv"), {"files": files(*items)}, **auth(user or world.care_manager))


def test_too_many_files_is_a_json_400_and_audited(client, plan_world):
    items = [services.Upload(f"UP3KYO_{n}.CSV", sample(3).read_bytes()) for n in range(41)]
    response = post(client, plan_world, items)
    assert response.status_code == 400 and "ファイル" in response.json()["detail"]
    assert not CarePlan.objects.exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager).count() == 1


@pytest.mark.parametrize("count", [150, 1000])
def test_files_beyond_djangos_limit_are_a_json_400_before_any_view(client, plan_world, count):
    """Beyond DATA_UPLOAD_MAX_NUMBER_FILES the input guard answers, before the caller is known (as for NUL)."""
    items = [services.Upload(f"UP3KYO_{n}.CSV", sample(3).read_bytes()) for n in range(count)]
    response = post(client, plan_world, items)
    assert response.status_code == 400 and response.json()["detail"] == "一度に送れるファイルは 100 個までです。"
    assert not CarePlan.objects.exists()


@pytest.mark.parametrize(("count", "status", "says"), [(41, 200, "40 ファイルまで"), (150, 400, "一度に送れるファイルは 100 個までです。")])
def test_too_many_files_on_the_page_is_a_japanese_answer(login, plan_world, count, status, says):
    """41 files: the form says so; beyond Django's 100 files: the Japanese 400 page says so (no 500)."""
    items = [services.Upload(f"UP3KYO_{n}.CSV", sample(3).read_bytes()) for n in range(count)]
    response = login(plan_world.care_manager).post(reverse("careplans:import", args=[plan_world.patient.pk]),
                                                   {"csv_files": files(*items)})
    assert response.status_code == status and says in response.content.decode()
    assert not CarePlan.objects.exists()


def test_the_same_file_twice_is_refused(client, plan_world):
    response = post(client, plan_world, uploads() + uploads(tables=(6,)))
    assert response.status_code == 422 and not CarePlan.objects.exists()


def test_a_public_assistance_insured_number_imports_and_exports(client, plan_world):
    items = [services.Upload(u.name, u.content.replace(b",9999000001,", b",H999000001,")) for u in uploads()]
    assert post(client, plan_world, items).status_code == 201
    assert CarePlan.objects.get().insured_number == "H999000001"
    response = client.get(api(plan_world, "/csv?table=2"), **auth(plan_world.care_manager))
    assert response.content == items[2].content


@pytest.mark.parametrize("insured", [b"H99900001", b"H9990000011", b"h999000001", b"X999000001"])
def test_a_malformed_insured_number_is_refused(client, plan_world, insured):
    items = [services.Upload(u.name, u.content.replace(b",9999000001,", b"," + insured + b",")) for u in uploads()]
    response = post(client, plan_world, items)
    assert response.status_code == 422 and {p["column_name"] for p in response.json()["detail"]} == {"被保険者番号"}


def test_a_month_of_another_patient_is_refused(client, plan_world, imported):
    other = [services.Upload(u.name, u.content.replace(b",9999000001,", b",9999000077,"))
             for u in uploads(tables=(6,))]
    response = post(client, plan_world, uploads(tables=(7,)) + other)
    assert response.status_code == 422 and CarePlan.objects.count() == 1


def test_a_month_alone_of_another_patient_is_refused(client, plan_world, imported):
    other = [services.Upload(u.name, u.content.replace(b",9999000001,", b",9999000077,"))
             for u in uploads(tables=(6, 7))]
    response = post(client, plan_world, other)
    assert response.status_code == 422 and CarePlan.objects.count() == 1


def test_an_older_plan_is_a_409_audited_and_the_plan_stays(client, plan_world):
    newer = [services.Upload(u.name, u.content.replace(b"20261015", b"20261120")) for u in uploads()]
    assert post(client, plan_world, newer).status_code == 201
    before = list(CarePlanTable.objects.order_by("pk").values_list("pk", "records"))
    response = post(client, plan_world, uploads())
    assert response.status_code == 409 and response.json()["detail"]
    assert list(CarePlanTable.objects.order_by("pk").values_list("pk", "records")) == before
    assert CarePlan.objects.get(is_current=True).created_on == "20261120"
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager,
                                     detail__startswith="409").count() == 1


def test_an_older_plan_on_the_page_is_shown_and_audited(login, plan_world):
    newer = [services.Upload(u.name, u.content.replace(b"20261015", b"20261120")) for u in uploads()]
    services.import_plan(user=plan_world.care_manager, patient=plan_world.patient, uploads=newer)
    response = login(plan_world.care_manager).post(reverse("careplans:import", args=[plan_world.patient.pk]),
                                                   {"csv_files": files(*uploads())})
    assert response.status_code in (200, 409) and "より古い計画は取り込めません" in response.content.decode()
    assert CarePlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager).count() == 1


def test_a_reimport_of_the_same_files_is_a_new_version_with_the_same_tables(client, plan_world, imported):
    assert post(client, plan_world, uploads()).status_code == 201
    old, new = CarePlan.objects.order_by("version")
    assert (old.is_current, new.is_current, new.version) == (False, True, 2)
    assert {(t.table, t.month): t.records for t in old.tables.all()} == {
        (t.table, t.month): t.records for t in new.tables.all()}


def test_a_nurse_import_is_refused_and_audited(client, plan_world, imported):
    response = post(client, plan_world, uploads(), user=plan_world.nurse)
    assert response.status_code == 403 and CarePlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.nurse).count() == 1


def test_a_nurse_import_on_the_page_is_refused_and_audited(login, plan_world, imported):
    client = login(plan_world.nurse)
    response = client.post(reverse("careplans:import", args=[plan_world.patient.pk]), {"csv_files": files(*uploads())})
    assert response.status_code == 403 and CarePlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.nurse).count() == 1


def test_csv_injection_is_kept_as_text_and_escaped_on_the_page(login, plan_world):
    payload = '=HYPERLINK("http://127.0.0.1/x","<script>alert(1)</script>")'
    items = uploads(tables=(PLAN_HOSOKU, 1)) + [replace_in(2, "（架空）さくら訪問看護ステーション", payload.replace('"', '""'))]
    services.import_plan(user=plan_world.care_manager, patient=plan_world.patient, uploads=items)
    page = login(plan_world.nurse).get(reverse("careplans:plan", args=[plan_world.patient.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


# --------------------------------------------------------------------------- audit of reads and exports

def test_every_read_and_export_leaves_an_audit_row(client, login, plan_world, imported):
    before = AuditEvent.objects.filter(action__in=("read", "export")).count()
    headers = auth(plan_world.nurse)
    client.get(api(plan_world), **headers)
    for n in (1, 2, 3, 6, 7, 9):
        assert client.get(api(plan_world, f"/csv?table={n}"), **headers).status_code == 200
    page = login(plan_world.nurse)
    page.get(reverse("careplans:plan", args=[plan_world.patient.pk]))
    for n in (1, 2, 3, 6, 7, 9):
        assert page.get(reverse("careplans:csv", args=[plan_world.patient.pk, n])).status_code == 200
    events = AuditEvent.objects.order_by("pk").filter(action__in=("read", "export"))[before:]
    assert [e.action for e in events] == ["read"] + ["export"] * 6 + ["read"] + ["export"] * 6
    assert all(e.patient_id == str(plan_world.patient.pk) for e in events)


def test_a_refused_export_leaves_an_audit_row(client, login, plan_world, imported):
    client.get(api(plan_world, "/csv?table=4"), **auth(plan_world.nurse))
    client.get(api(plan_world, "/csv?table=6&month=202612"), **auth(plan_world.nurse))
    login(plan_world.nurse).get(reverse("careplans:csv", args=[plan_world.patient.pk, 4]))
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.nurse).count() == 3


def test_an_import_leaves_an_audit_row(client, plan_world):
    post(client, plan_world, uploads())
    assert AuditEvent.objects.filter(action="create", actor=plan_world.care_manager,
                                     detail__startswith="care plan v1").count() == 1


# --------------------------------------------------------------------------- query counts

def grow(world, months, versions, extra_rows):
    """A plan of `months` months of 第6表・第7表 and 補足情報, re-imported into `versions` versions, 第2表 with
    `extra_rows` more service lines."""
    rows = text_of(2).split("\r\n")[:-1]
    table2 = upload_text(2, "\r\n".join(rows + [rows[-1]] * extra_rows) + "\r\n")
    first = uploads(tables=(PLAN_HOSOKU, 1, 3)) + [table2]
    services.import_plan(user=world.care_manager, patient=world.patient, uploads=first)
    for n in range(months):
        month = f"2026{11 - n:02d}"
        items = [services.Upload(u.name.replace(MONTH, month), u.content.replace(f",{MONTH},".encode(),
                                                                                 f",{month},".encode())
                                 .replace(f",{MONTH}".encode(), f",{month}".encode()))
                 for u in uploads(tables=("HM", 6, 7))]
        services.import_plan(user=world.care_manager, patient=world.patient, uploads=items)
    for _ in range(versions):
        services.import_plan(user=world.care_manager, patient=world.patient, uploads=uploads(tables=(3,)))


def count(run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # the first call warms the caches of the session and the header
    with CaptureQueriesContext(connection) as queries:
        response = run()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["care_manager", "nurse"])
def test_the_page_and_the_api_read_cost_the_same_queries_for_a_small_and_a_large_plan(client, login, plan_world, who):
    user = getattr(plan_world, who)
    grow(plan_world, months=1, versions=0, extra_rows=0)
    page = login(user)
    small = (count(lambda: page.get(reverse("careplans:plan", args=[plan_world.patient.pk]))),
             count(lambda: page.get(reverse("careplans:plan", args=[plan_world.patient.pk]) + "?mine=1")),
             count(lambda: client.get(api(plan_world), **auth(user))),
             count(lambda: client.get(api(plan_world, "?mine=true"), **auth(user))))
    CarePlan.objects.all().delete()
    grow(plan_world, months=3, versions=25, extra_rows=40)
    assert CarePlan.objects.count() == 29 and CarePlanTable.objects.filter(plan__is_current=True).count() == 13
    large = (count(lambda: page.get(reverse("careplans:plan", args=[plan_world.patient.pk]))),
             count(lambda: page.get(reverse("careplans:plan", args=[plan_world.patient.pk]) + "?mine=1")),
             count(lambda: client.get(api(plan_world), **auth(user))),
             count(lambda: client.get(api(plan_world, "?mine=true"), **auth(user))))
    assert small == large


def test_a_file_with_countless_problems_reports_the_first_hundred_and_says_there_are_more(client, plan_world):
    broken = services.Upload(sample(2).name, b"202407\r\n" * 200_000)
    found, problems = parse_file(broken.name, broken.content)
    assert found is None and len(problems) == 101 and [p.line for p in problems[:3]] == [1, 2, 3]
    assert problems[-1].message == "このファイルにはほかにも問題があります（最初の100件までを示しています）。"
    response = post(client, plan_world, [broken] * 2 + uploads(tables=(1,)))
    assert response.status_code == 422 and len(response.json()["detail"]) == 202


@pytest.mark.parametrize("official_id", ["13-9999\r\n902", '1379"99902', "１３７９９９９９０２", "病院 A"])
def test_a_facility_number_not_of_ten_digits_never_goes_into_the_file_name(client, plan_world, imported, official_id):
    """Facility.official_id is free text (a 医療機関コード, a typing slip): the export still answers, and names
    the care manager's office as the receiver rather than a number that is no 事業所番号."""
    plan_world.station.official_id = official_id
    plan_world.station.save()
    response = client.get(api(plan_world, "/csv?table=2"), **auth(plan_world.nurse))
    assert response.status_code == 200 and response.content == b""
    assert filename(response).startswith("UP2KYO_1379999901_43_1379999901_00_")


def test_the_export_audit_row_names_the_table_and_month_exported_not_the_query(client, plan_world, imported):
    """A month is ignored by 第1表; what the caller wrote there (a NUL is refused before, by the site) stays out."""
    response = client.get(api(plan_world, "/csv?table=1&month=<x>&month=../y"), **auth(plan_world.nurse))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="export", actor=plan_world.nurse)
    assert event.detail == "care plan csv table 1  1 rows"
    client.get(api(plan_world, "/csv?table=7"), **auth(plan_world.nurse))
    assert AuditEvent.objects.filter(action="export").latest("pk").detail == f"care plan csv table 7 {MONTH} 2 rows"


@pytest.mark.parametrize("query", ["?mine=abc", "?month=20261", "?month=" + "9" * 5000, "?month=202611&mine=1"])
def test_odd_read_queries_answer_json(client, plan_world, imported, query):
    response = client.get(api(plan_world, query), **auth(plan_world.nurse))
    assert response.status_code in (200, 422) and response.json()


@pytest.mark.parametrize("query", ["?mine=abc", "?month=20261", "?month=%3Cscript%3E", "?month=" + "9" * 5000])
def test_odd_page_queries_show_the_latest_month(login, plan_world, imported, query):
    response = login(plan_world.nurse).get(reverse("careplans:plan", args=[plan_world.patient.pk]) + query)
    assert response.status_code == 200 and "2026年11月" in response.content.decode()


def test_an_import_without_multipart_files_is_a_json_400(client, plan_world):
    for body in ({"files": "UP1KYO_x.CSV"}, {}):
        response = client.post(api(plan_world, "/csv"), body, **auth(plan_world.care_manager))
        assert response.status_code == 400 and response.json()["detail"] == "取り込む CSV ファイルを選んでください。"
    response = client.post(api(plan_world, "/csv"), b'{"files": []}', content_type="application/json",
                           **auth(plan_world.care_manager))
    assert response.status_code in (400, 415, 422) and response.json()["detail"]
    assert not CarePlan.objects.exists()


def test_a_stored_value_shift_jis_cannot_hold_is_a_4xx_on_export_not_a_500(client, login, plan_world, imported):
    """The import refuses such values; a record stored otherwise (by hand, a migration) still exports in UTF-8."""
    table = CarePlanTable.objects.get(plan=imported, table=2)
    table.records[0][17] = "𠮷野家訪問介護"
    table.save()
    response = client.get(api(plan_world, "/csv?table=2"), **auth(plan_world.care_manager))
    assert response.status_code == 409 and "encoding=utf-8" in response.json()["detail"]
    assert client.get(api(plan_world, "/csv?table=2&encoding=utf-8"), **auth(plan_world.care_manager)).status_code == 200
    page = login(plan_world.care_manager).get(reverse("careplans:csv", args=[plan_world.patient.pk, 2]), follow=True)
    assert page.status_code == 200 and "Shift_JIS" in page.content.decode()


@pytest.mark.parametrize("who", ["nurse", "physician"])
def test_no_member_but_the_care_manager_imports_even_the_teams_manager(client, login, plan_world, imported, who):
    user = getattr(plan_world, who)
    assert post(client, plan_world, uploads(), user=user).status_code == 403
    page = login(user).post(reverse("careplans:import", args=[plan_world.patient.pk]), {"csv_files": files(*uploads())})
    assert page.status_code == 403 and CarePlan.objects.count() == 1


def test_a_refused_upload_posts_no_notice_and_keeps_the_plan(client, login, plan_world, imported):
    from renkei.network.models import Post

    notices = Post.objects.filter(patient=plan_world.patient).count()
    before = list(CarePlanTable.objects.order_by("pk").values_list("pk", "table", "month", "records"))
    bad_day = replace_in(6, ",20261102,", ",20261131,")
    assert post(client, plan_world, uploads(tables=(PLAN_HOSOKU, 1, 2)) + [bad_day]).status_code == 422
    page = login(plan_world.care_manager).post(reverse("careplans:import", args=[plan_world.patient.pk]),
                                               {"csv_files": files(*uploads(tables=(PLAN_HOSOKU, 1)), bad_day)})
    assert page.status_code == 422 and "存在しない日付です" in page.content.decode()
    assert Post.objects.filter(patient=plan_world.patient).count() == notices
    assert list(CarePlanTable.objects.order_by("pk").values_list("pk", "table", "month", "records")) == before
    assert CarePlan.objects.get(is_current=True) == imported


@pytest.mark.parametrize("table", [1, 3, 9])
def test_any_member_exports_the_plans_own_files_whole(client, plan_world, imported, table):
    sample_of = {1: 1, 3: 3, 9: PLAN_HOSOKU}[table]
    response = client.get(api(plan_world, f"/csv?table={table}"), **auth(plan_world.physician))
    assert response.status_code == 200 and response.content == sample(sample_of).read_bytes()
