"""The three assessment endpoints apply the named city's rules in force on the date concerned."""
import datetime as dt

import pytest

from renkei.core.models import Affiliation
from tests.factories import FacilityFactory, UserFactory
from tests.programs.factories import ProgramRuleFactory, StaffFactory, city
from tests.programs.test_api import FEE, GRANT, GRANT_BASE, RESCUE, RESCUE_BASE, _fee_body, _key

pytestmark = pytest.mark.django_db


@pytest.fixture
def mitaka_rule():
    """Mitaka runs only the rescue helper, from FY2024, with its own limits (70+, 3 h a week, 10 days)."""
    return ProgramRuleFactory()


def _poster(client, user):
    key = _key(user)

    def _post(url, body):
        return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")

    return _post


@pytest.fixture
def post(client):
    return _poster(client, UserFactory())


def _msgs(response):
    return [e["msg"] for e in response.json()["detail"]]


def test_naming_musashino_gives_the_same_answer_as_the_default(post):
    for url, body in [(RESCUE, RESCUE_BASE), (GRANT, GRANT_BASE), (FEE, _fee_body(("A", "2025-04-03", True, True)))]:
        default, named = post(url, body), post(url, body | {"municipality": "13203"})
        assert default.status_code == named.status_code == 200 and default.json() == named.json()


def test_musashino_answer_is_unchanged(post):
    r = post(RESCUE, RESCUE_BASE | {"hours_per_week": 4.5})
    assert r.json()["reasons"][0] == "84歳で、おおむね65歳以上に該当します。"
    assert r.json()["reasons"][-2] == "1週あたり4.5時間で、上限の4時間を超えます。"
    assert r.json()["reasons"][-1] == "14日間で、初日から2週間（14日）以内です。"


def test_a_six_digit_code_with_its_check_digit_names_the_city(post):
    assert post(GRANT, GRANT_BASE | {"municipality": "132039"}).json()["amount_yen"] == 150_000


def test_mitaka_applies_its_own_limits(post, mitaka_rule):
    body = RESCUE_BASE | {"birth_date": "1950-01-10", "hours_per_week": 3, "days": 10, "municipality": "13204"}
    r = post(RESCUE, body)
    assert r.status_code == 200 and r.json()["eligible"] is True
    assert "おおむね70歳以上" in r.json()["reasons"][0] and "3時間以内" in r.json()["reasons"][4]
    assert "初日から10日間（10日）以内" in r.json()["reasons"][5]


def test_what_musashino_admits_mitaka_may_refuse(post, mitaka_rule):
    body = RESCUE_BASE | {"birth_date": "1958-01-10", "cause": "covid_home_recovery"}  # 68, 4 h, 14 days
    assert post(RESCUE, body).json()["eligible"] is True
    mitaka = post(RESCUE, body | {"municipality": "13204"}).json()
    assert mitaka["eligible"] is False
    assert [c["key"] for c in mitaka["criteria"] if not c["met"]] == ["age", "cause", "hours", "days"]


def test_a_date_before_the_citys_first_version_is_422(post, mitaka_rule):
    r = post(RESCUE, RESCUE_BASE | {"as_of": "2024-03-31", "municipality": "13204"})
    assert r.status_code == 422 and "2024年03月31日の日付に有効な規程がありません" in _msgs(r)[0]


def test_a_program_mitaka_does_not_run_is_422_saying_so(post, mitaka_rule):
    r = post(GRANT, GRANT_BASE | {"municipality": "13204"})
    assert r.status_code == 422
    assert _msgs(r) == ["三鷹市では介護職・看護職Reスタート支援金を実施していません。"]
    assert r.json()["detail"][0]["loc"] == ["body", "payload", "municipality"]


@pytest.mark.parametrize("url, body", [(RESCUE, RESCUE_BASE), (GRANT, GRANT_BASE),
                                       (FEE, _fee_body(("A", "2025-04-03", True, True)))])
def test_koganei_runs_none_of_the_programs(post, url, body):
    r = post(url, body | {"municipality": "13210"})
    assert r.status_code == 422 and _msgs(r)[0].startswith("小金井市では") and "実施していません" in _msgs(r)[0]


@pytest.mark.parametrize("code, says", [("99999", "圏域の市区町村ではありません"), ("13101", "圏域の市区町村ではありません"),
                                        ("abc", "5桁または6桁の数字"), ("", "5桁または6桁の数字"),
                                        ("1320", "5桁または6桁の数字")])
def test_an_unknown_or_malformed_code_is_422(post, code, says):
    r = post(RESCUE, RESCUE_BASE | {"municipality": code})
    assert r.status_code == 422 and says in _msgs(r)[0]


def test_the_default_is_the_callers_city(client, mitaka_rule):
    staff = StaffFactory(acts_for=[city("13204")])
    r = _poster(client, staff)(RESCUE, RESCUE_BASE | {"birth_date": "1958-01-10"})
    assert r.status_code == 200 and r.json()["reasons"][0].startswith("68歳で70歳未満のため対象外")


def test_a_professional_defaults_to_the_facilitys_city(client, mitaka_rule):
    nurse = UserFactory()
    Affiliation.objects.filter(user=nurse).delete()
    Affiliation.objects.create(user=nurse, facility=FacilityFactory(municipality=city("13204")))
    r = _poster(client, nurse)(RESCUE, RESCUE_BASE | {"birth_date": "1958-01-10"})
    assert r.json()["reasons"][0].startswith("68歳で70歳未満のため対象外")


def test_staff_of_several_cities_must_name_one(client, mitaka_rule):
    post = _poster(client, StaffFactory(acts_for=[city("13203"), city("13204")]))
    r = post(RESCUE, RESCUE_BASE)
    assert r.status_code == 422 and "市区町村（municipality）を指定してください" in _msgs(r)[0]
    assert post(RESCUE, RESCUE_BASE | {"municipality": "13204"}).status_code == 200


def test_a_later_musashino_version_applies_from_its_date(post):
    ProgramRuleFactory(municipality=city("13203"), program="linkage_fee", effective_from=dt.date(2026, 4, 1),
                       parameters={"fee_24h_yen": 2500, "fee_standard_yen": 1200})
    before = post(FEE, {"month": "2026-03", "provisions": [
        {"patient_id": "A", "provided_on": "2026-03-31", "unified_form": True, "twenty_four_hour": True}]})
    after = post(FEE, {"month": "2026-04", "provisions": [
        {"patient_id": "A", "provided_on": "2026-04-01", "unified_form": True, "twenty_four_hour": True}]})
    assert (before.json()["total_yen"], after.json()["total_yen"]) == (2000, 2500)
