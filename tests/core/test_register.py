"""The public application to join the regional ICT network."""
import pytest

from renkei.core.models import Affiliation, AuditEvent, RegistrationStatus, User
from tests.factories import FacilityFactory, musashino

pytestmark = pytest.mark.django_db

URL = "/accounts/register/"
GOOD_PASSWORD = "kyou-mo-houmon-2026"


def _application(chosen, **overrides):
    data = {
        "name": "申請 次郎",
        "name_kana": "シンセイ ジロウ",
        "profession": "physician",
        "facility": chosen.pk if chosen else "",
        "phone": "0422-11-2233",
        "email": "jiro@example.invalid",
        "username": "shinsei",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "agree": "on",
    }
    return data | overrides


@pytest.fixture
def facility():
    return FacilityFactory(name="（架空）つばさ診療所")


def test_it_shows_the_form_to_anyone(client):
    r = client.get(URL)
    assert r.status_code == 200 and "登録申請" in r.content.decode()


def test_it_creates_a_pending_account(client, facility):
    r = client.post(URL, _application(facility))
    assert r.status_code == 302 and User.objects.get(username="shinsei").registration_status == RegistrationStatus.PENDING


def test_it_affiliates_the_applicant_with_the_chosen_facility(client, facility):
    client.post(URL, _application(facility))
    assert Affiliation.objects.filter(user__username="shinsei", facility=facility).exists()


def test_the_application_is_audited(client, facility):
    client.post(URL, _application(facility))
    assert AuditEvent.objects.filter(action="registration.applied", actor_username="shinsei").exists()


def test_it_keeps_a_facility_named_because_it_is_missing_from_the_list(client):
    data = _application(None, facility_name="（架空）新しい訪問看護", facility_kind="visiting_nursing",
                        facility_municipality=musashino().pk)
    client.post(URL, data)
    assert User.objects.get(username="shinsei").applied_facility_name == "（架空）新しい訪問看護"


def test_it_normalises_hiragana_kana_to_katakana(client, facility):
    client.post(URL, _application(facility, name_kana="しんせい じろう"))
    assert User.objects.get(username="shinsei").name_kana == "シンセイ ジロウ"


def test_a_pending_applicant_cannot_log_in(client, facility):
    client.post(URL, _application(facility))
    r = client.post("/accounts/login/", {"username": "shinsei", "password": GOOD_PASSWORD})
    assert r.status_code == 200 and "_auth_user_id" not in client.session


def test_a_missing_facility_gets_a_japanese_error(client):
    r = client.post(URL, _application(None))
    assert r.status_code == 400 and "所属事業所を一覧から選んでください" in r.content.decode()


def test_a_missing_facility_creates_no_account(client):
    client.post(URL, _application(None))
    assert not User.objects.filter(username="shinsei").exists()


def test_a_missing_facility_is_audited(client):
    client.post(URL, _application(None))
    assert AuditEvent.objects.filter(action="registration.invalid", detail__contains="facility").exists()


def test_an_unknown_facility_id_gets_a_japanese_error(client):
    r = client.post(URL, _application(None) | {"facility": "999999"})
    assert r.status_code == 400 and "選択された事業所が見つかりません" in r.content.decode()


def test_a_named_facility_needs_its_kind_and_municipality(client):
    r = client.post(URL, _application(None, facility_name="（架空）新しい薬局"))
    body = r.content.decode()
    assert "種別を選んでください" in body and "市区町村を選んでください" in body


def test_it_rejects_a_short_password(client, facility):
    r = client.post(URL, _application(facility, password1="short-1", password2="short-1"))
    assert r.status_code == 400 and "短すぎます" in r.content.decode()


def test_it_rejects_a_password_of_one_character_class(client, facility):
    r = client.post(URL, _application(facility, password1="kyoumohoumondesu", password2="kyoumohoumondesu"))
    assert "2種類以上" in r.content.decode()


def test_it_rejects_a_password_like_the_username(client, facility):
    r = client.post(URL, _application(facility, username="houmon-kango-1", password1="houmon-kango-1",
                                      password2="houmon-kango-1"))
    assert r.status_code == 400 and not User.objects.filter(username="houmon-kango-1").exists()


def test_it_rejects_mismatched_passwords(client, facility):
    r = client.post(URL, _application(facility, password2=GOOD_PASSWORD + "x"))
    assert "確認用のパスワードが一致しません" in r.content.decode()


def test_it_rejects_a_phone_number_that_is_not_one(client, facility):
    r = client.post(URL, _application(facility, phone="call me"))
    assert "電話番号は市外局番から" in r.content.decode()


def test_it_requires_agreement_to_the_rules(client, facility):
    data = _application(facility)
    del data["agree"]
    r = client.post(URL, data)
    assert r.status_code == 400 and "同意いただけない場合は登録できません" in r.content.decode()


def test_it_rejects_kana_that_is_not_kana(client, facility):
    r = client.post(URL, _application(facility, name_kana="Jiro"))
    assert "カタカナで入力してください" in r.content.decode()


def test_the_facility_picker_narrows_by_name(client, facility):
    FacilityFactory(name="（架空）べつの薬局")
    body = client.get("/accounts/register/facilities/", {"facility_search": "つばさ"}).content.decode()
    assert "つばさ診療所" in body and "べつの薬局" not in body


def test_the_facility_picker_matches_hiragana_to_katakana_kana(client):
    FacilityFactory(name="（架空）青空薬局", name_kana="アオゾラヤッキョク")
    assert "青空薬局" in client.get("/accounts/register/facilities/", {"facility_search": "あおぞら"}).content.decode()


def test_the_facility_picker_says_when_nothing_matches(client, facility):
    body = client.get("/accounts/register/facilities/", {"facility_search": "存在しない"}).content.decode()
    assert "該当する事業所がありません" in body


def test_the_facility_picker_uses_one_query(client, django_assert_num_queries):
    FacilityFactory.create_batch(3)
    with django_assert_num_queries(1):
        client.get("/accounts/register/facilities/", {"facility_search": "テスト"})


def test_an_empty_submission_is_an_invalid_application_not_a_new_form(client):
    r = client.post(URL, {})
    assert r.status_code == 400 and AuditEvent.objects.filter(action="registration.invalid").exists()
