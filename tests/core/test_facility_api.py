"""The facility administrator's API: the facility's people, the CSV (preview with dry_run, then applied),
one member's withdrawal; 4xx JSON for every refusal."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.models import FacilityAdminStatus, RegistrationStatus, User
from renkei.network.models import CareTeamMember, MemberStatus
from tests.core import facility_world
from tests.core.facility_world import DATA, HEADER
from tests.factories import api_key, totp_device

pytestmark = pytest.mark.django_db

@pytest.fixture
def auth(w):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(w.admin)}"}


def _csv(client, auth, data, query="", **headers):
    return client.post(f"/api/v1/facility/members/csv{query}", {"file": _file(data)}, **auth, **headers)


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("staff.csv", data, "text/csv")


def test_the_list_shows_the_facilitys_people_only(client, w, auth):
    body = client.get("/api/v1/facility/members", **auth).json()
    emails = {item["email"] for item in body["items"]}
    assert body["facility"]["id"] == w.station.pk and "leaver@station.invalid" in emails
    assert "member@other.invalid" not in emails and body["count"] == len(emails)


def test_the_list_tells_who_has_not_enrolled_the_second_factor(client, w, auth):
    totp_device(w.colleague)
    body = client.get("/api/v1/facility/members?second_factor=missing", **auth).json()
    assert "colleague@station.invalid" not in {item["email"] for item in body["items"]}
    assert all(item["second_factor"] is False for item in body["items"])


def test_the_list_counts_places_but_names_no_patient(client, w, auth):
    body = client.get("/api/v1/facility/members", **auth).json()
    leaver = next(item for item in body["items"] if item["id"] == w.leaver.pk)
    assert leaver["care_team_places"] == 1 and w.patient.name not in str(body)


def test_the_list_takes_a_fixed_number_of_queries(client, w, auth, django_assert_num_queries):
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/facility/members", **auth)
    for i in range(15):
        TOTPDevice.objects.create(user=facility_world.member(w.station, email=f"p{i}@station.invalid"), confirmed=True)
    with django_assert_num_queries(len(small)):
        client.get("/api/v1/facility/members", **auth)


def test_the_page_takes_a_fixed_number_of_queries(login, w, django_assert_num_queries):
    admin = login(w.admin)
    with CaptureQueriesContext(connection) as small:
        admin.get("/facility/people/")
    for i in range(15):
        facility_world.member(w.station, email=f"p{i}@station.invalid")
    with django_assert_num_queries(len(small)):
        assert admin.get("/facility/people/").status_code == 200


def test_dry_run_previews_and_writes_nothing(client, w, auth):
    accounts = User.objects.count()
    r = _csv(client, auth, (DATA / "facility_staff_cp932.csv").read_bytes(), "?dry_run=1")
    body = r.json()
    assert r.status_code == 200 and body["ok"] and body["registered"] == 2 and body["withdrawn"] == 1
    assert [line["line"] for line in body["lines"]] == [2, 3, 4] and User.objects.count() == accounts


def test_dry_run_gives_the_errors_of_each_line(client, w, auth):
    data = (HEADER + "甲,こう,宇宙飛行士,a@station.invalid,登録,\n乙,おつ,看護師,a@station.invalid,登録,\n").encode()
    body = _csv(client, auth, data, "?dry_run=1").json()
    assert not body["ok"] and [line["line"] for line in body["lines"] if line["errors"]] == [2, 3]


def test_applying_the_file_registers_and_withdraws(client, w, auth):
    r = _csv(client, auth, (DATA / "facility_staff_utf8.csv").read_bytes())
    assert r.status_code == 200 and r.json()["dry_run"] is False
    assert User.objects.filter(email="jiro.new@station.invalid", registration_status="approved").exists()
    assert CareTeamMember.objects.get(patient=w.patient, user=w.colleague).status == MemberStatus.ACTIVE


def test_a_bad_file_is_422_per_line_and_applies_nothing(client, w, auth):
    data = (HEADER + "甲,こう,看護師,ok@station.invalid,登録,\n乙,おつ,看護師,bad,登録,\n").encode()
    r = _csv(client, auth, data)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["file", 3]
    assert "3行目" in r.json()["detail"][0]["msg"] and not User.objects.filter(email="ok@station.invalid").exists()


def test_an_undecodable_file_is_400(client, w, auth):
    r = _csv(client, auth, b"\xff\xfe\x00\x81")
    assert r.status_code == 400 and "文字コード" in r.json()["detail"]


def test_a_retry_with_the_same_key_registers_once(client, w, auth):
    data = (HEADER + "甲,こう,看護師,once@station.invalid,登録,\n").encode()
    first = _csv(client, auth, data, HTTP_IDEMPOTENCY_KEY="k-1")
    again = _csv(client, auth, data, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert User.objects.filter(email="once@station.invalid").count() == 1


def test_withdrawing_one_member_hands_over_the_places(client, w, auth):
    r = client.post(f"/api/v1/facility/members/{w.leaver.pk}/withdraw", {"successor": w.colleague.pk},
                    content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["moved"] == 1
    assert User.objects.get(pk=w.leaver.pk).registration_status == RegistrationStatus.WITHDRAWN


def test_withdrawing_without_a_needed_successor_is_409(client, w, auth):
    r = client.post(f"/api/v1/facility/members/{w.leaver.pk}/withdraw", {}, content_type="application/json", **auth)
    assert r.status_code == 409 and "後任" in r.json()["detail"]


@pytest.mark.parametrize("who", ["other_member", "forged"])
def test_another_facilitys_member_or_a_forged_id_is_404(client, w, auth, who):
    pk = w.other_member.pk if who == "other_member" else 987654321
    r = client.post(f"/api/v1/facility/members/{pk}/withdraw", {}, content_type="application/json", **auth)
    assert r.status_code == 404 and User.objects.get(pk=w.other_member.pk).is_approved


def test_a_successor_of_another_facility_is_404(client, w, auth):
    r = client.post(f"/api/v1/facility/members/{w.leaver.pk}/withdraw", {"successor": w.other_member.pk},
                    content_type="application/json", **auth)
    assert r.status_code == 404 and User.objects.get(pk=w.leaver.pk).is_approved


def test_another_facility_named_is_404(client, w, auth):
    assert client.get(f"/api/v1/facility/members?facility={w.other_station.pk}", **auth).status_code == 404


def test_a_non_administrator_gets_403(client, w):
    r = client.get("/api/v1/facility/members", HTTP_AUTHORIZATION=f"Bearer {api_key(w.colleague)}")
    assert r.status_code == 403 and "施設管理者" in r.json()["detail"]


def test_a_revoked_administrator_gets_403(client, w, auth):
    w.role.status = FacilityAdminStatus.REVOKED
    w.role.save()
    assert client.get("/api/v1/facility/members", **auth).status_code == 403


def test_municipal_staff_get_403(client, w):
    r = client.get("/api/v1/facility/members", HTTP_AUTHORIZATION=f"Bearer {api_key(w.staff)}")
    assert r.status_code == 403


def test_without_a_token_it_is_401(client, w):
    assert client.get("/api/v1/facility/members").status_code == 401


def test_a_refusal_is_audited_once(client, w):
    from renkei.core.models import AuditEvent

    client.get("/api/v1/facility/members", HTTP_AUTHORIZATION=f"Bearer {api_key(w.colleague)}")
    assert AuditEvent.objects.filter(action="permission.denied", actor=w.colleague).count() == 1
