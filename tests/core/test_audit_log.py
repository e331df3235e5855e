"""The audit trail for municipal staff: search, pages, CSV export that is itself audited."""
import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.audit import Action, record
from renkei.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/staff/audit/"


def _event(**kwargs):
    return record(**({"action": Action.READ} | kwargs))


def _shown(client, query=""):
    return client.get(f"{URL}?{query}").content.decode()


def test_it_lists_events_newest_first(staff_client):
    _event(object_type="network.patient", object_id="first")
    _event(object_type="network.patient", object_id="second")
    body = _shown(staff_client)
    assert body.index("#second") < body.index("#first")


def test_it_searches_by_actor(staff_client):
    _event(actor=UserFactory(username="alice"), object_id="by-alice", object_type="t")
    _event(actor=UserFactory(username="bob"), object_id="by-bob", object_type="t")
    body = _shown(staff_client, "actor=alice")
    assert "by-alice" in body and "by-bob" not in body


def test_it_searches_by_action(staff_client):
    _event(action=Action.EXPORT, object_type="t", object_id="exported")
    _event(action=Action.READ, object_type="t", object_id="read-only")
    body = _shown(staff_client, "action=export")
    assert "exported" in body and "read-only" not in body


def test_it_searches_by_patient(staff_client):
    _event(patient="P-1", object_type="t", object_id="about-p1")
    _event(patient="P-2", object_type="t", object_id="about-p2")
    body = _shown(staff_client, "patient_id=P-1")
    assert "about-p1" in body and "about-p2" not in body


def test_it_searches_by_object(staff_client):
    _event(object_type="sheets.sheet", object_id="7")
    _event(object_type="network.patient", object_id="7")
    body = _shown(staff_client, "object_type=sheets.sheet&object_id=7")
    assert 'title="sheets.sheet"' in body and 'title="network.patient"' not in body


def test_it_searches_by_date_range_in_tokyo_time(staff_client):
    old = _event(object_type="t", object_id="old-one")
    # 2025-03-31 15:30 UTC is 2025-04-01 00:30 in Tokyo
    AuditEvent.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2025, 3, 31, 15, 30, tzinfo=datetime.UTC))
    _event(object_type="t", object_id="new-one")
    body = _shown(staff_client, "date_from=2025-04-01&date_to=2025-04-01")
    assert "old-one" in body and "new-one" not in body


def test_a_reversed_date_range_gets_a_japanese_error(staff_client):
    r = staff_client.get(f"{URL}?date_from=2025-05-01&date_to=2025-04-01")
    assert r.status_code == 400 and "期間の終わりは始まり以降" in r.content.decode()


def test_an_unknown_action_finds_nothing_rather_than_failing(staff_client):
    _event(object_type="t", object_id="some-row")
    r = staff_client.get(f"{URL}?action=drop-table")
    assert r.status_code == 200 and "条件に合う記録はありません" in r.content.decode()


def test_it_finds_actions_other_parts_record(staff_client):
    _event(action="sheet.shared", object_type="t", object_id="shared-row")
    assert "shared-row" in _shown(staff_client, "action=sheet.shared")


def test_a_bad_date_gets_a_japanese_error(staff_client):
    r = staff_client.get(f"{URL}?date_from=2025-13-45")
    assert r.status_code == 400 and "日付" in r.content.decode()


def test_it_is_paginated(staff_client):
    for i in range(55):
        _event(object_type="t", object_id=f"row{i}")
    body = _shown(staff_client, "object_type=t")
    assert "1 / 2 ページ" in body and "#row54" in body and "#row4<" not in body


def test_it_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            staff_client.get(URL)
        return len(ctx)

    for i in range(2):
        _event(object_type="t", object_id=str(i))
    small = queries()
    for i in range(60):
        _event(object_type="t", object_id=str(i))
    with django_assert_num_queries(small):
        staff_client.get(URL)


def test_professionals_cannot_read_it(login):
    assert login(UserFactory()).get(URL).status_code == 403


def test_coordinators_cannot_read_it(login):
    assert login(UserFactory(is_coordinator=True)).get(URL).status_code == 403


def _csv(response):
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_export_is_utf8_csv_with_a_bom(staff_client):
    _event(object_type="t", object_id="exported-row", detail="閲覧")
    content = _csv(staff_client.get("/staff/audit/export.csv"))
    assert content.startswith("\ufeffID,日時,操作した人,操作") and "閲覧" in content


def test_the_export_follows_the_search(staff_client):
    _event(patient="P-1", object_type="t", object_id="keep")
    _event(patient="P-2", object_type="t", object_id="drop")
    content = _csv(staff_client.get("/staff/audit/export.csv?patient_id=P-1"))
    assert "keep" in content and "drop" not in content


def test_the_export_is_itself_audited(staff_client, staff):
    _csv(staff_client.get("/staff/audit/export.csv?patient_id=P-9"))
    row = AuditEvent.objects.get(action="export", actor=staff)
    assert row.object_type == "core.auditevent" and "patient_id=P-9" in row.detail


def test_the_export_neutralises_spreadsheet_formulas(staff_client):
    _event(action=Action.LOGIN_FAILURE, detail="=HYPERLINK(\"http://evil\")")
    rows = list(csv.reader(io.StringIO(_csv(staff_client.get("/staff/audit/export.csv?action=login.failure")))))
    assert rows[1][7].startswith("'=")


def test_professionals_cannot_export(login):
    r = login(UserFactory(username="nosy")).get("/staff/audit/export.csv")
    assert r.status_code == 403 and AuditEvent.objects.filter(action="permission.denied", actor_username="nosy").exists()


def test_an_invalid_export_search_is_400(staff_client):
    assert staff_client.get("/staff/audit/export.csv?date_from=yesterday").status_code == 400


def test_the_export_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _csv(staff_client.get("/staff/audit/export.csv"))
        return len(ctx)

    _event(object_type="t", object_id="1")
    small = queries()
    for i in range(40):
        _event(object_type="t", object_id=str(i))
    with django_assert_num_queries(small):
        _csv(staff_client.get("/staff/audit/export.csv"))


def test_every_action_has_a_japanese_label():
    from renkei.core.audit_labels import ACTION_LABELS

    assert set(Action.all()) <= set(ACTION_LABELS)
    assert all(label and not label.isascii() for label in ACTION_LABELS.values())


def test_the_page_shows_actions_and_object_types_in_japanese(staff_client):
    _event(action=Action.OTP_SUCCESS, object_type="otp_totp.totpdevice", object_id="7")
    _event(action=Action.READ, object_type="network.patient", object_id="8")
    body = _shown(staff_client)
    assert "二段階認証 成功" in body and "閲覧" in body
    assert "二段階認証の端末 #7" in body and "患者 #8" in body
    assert "<code>otp.success</code>" not in body


def test_an_unknown_object_type_is_shown_as_recorded(staff_client):
    _event(object_type="made.up", object_id="1")
    assert "made.up #1" in _shown(staff_client)


def test_the_export_keeps_the_codes_and_adds_japanese_columns(staff_client):
    _event(action=Action.OTP_SUCCESS, object_type="otp_totp.totpdevice", object_id="7")
    rows = list(csv.reader(io.StringIO(_csv(staff_client.get("/staff/audit/export.csv?action=otp.success")))))
    header, row = rows[0], rows[1]
    assert header[-3:] == ["操作（日本語）", "対象の種類（日本語）", "詳細（日本語）"]
    assert row[3] == "otp.success" and row[4] == "otp_totp.totpdevice"
    assert row[-3:-1] == ["二段階認証 成功", "二段階認証の端末"]


def test_the_export_keeps_the_detail_as_recorded_and_adds_it_in_japanese(staff_client):
    _event(action=Action.OTP_SUCCESS, detail="TOTPDevice")
    rows = list(csv.reader(io.StringIO(_csv(staff_client.get("/staff/audit/export.csv?action=otp.success")))))
    assert rows[1][7] == "TOTPDevice" and rows[1][-1] == "認証アプリ"


def test_the_page_shows_the_detail_in_japanese(staff_client):
    _event(action=Action.OTP_SUCCESS, detail="TOTPDevice")
    _event(action=Action.UPDATE, object_type="network.patient", detail="changed: address,phone")
    body = _shown(staff_client)
    assert "認証アプリ" in body and "変更した項目：住所、電話番号" in body and "TOTPDevice" not in body
