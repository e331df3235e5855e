"""The three CONTRACT assessment endpoints agree with the rules on every boundary."""
import datetime as dt

import pytest

from renkei.core.models import RegistrationStatus
from renkei.programs import rules
from tests.factories import UserFactory
from tests.programs.factories import MUSASHINO

pytestmark = pytest.mark.django_db

RESCUE = "/api/v1/programs/rescue-helper/assess"
GRANT = "/api/v1/programs/restart-grant/assess"
FEE = "/api/v1/programs/linkage-fee/calculate"


def _key(user):
    import secrets

    from django.utils import timezone

    from renkei.core.models import ApiToken

    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + dt.timedelta(hours=1))
    return key


@pytest.fixture
def post(client):
    key = _key(UserFactory())

    def _post(url, body):
        return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")

    return _post


RESCUE_BASE = {"birth_date": "1941-05-02", "as_of": "2026-01-10", "household": "alone",
               "under_65_member_can_help": False, "cause": "own_sudden_illness", "ltc_certified": False,
               "uses_ltc_services": False, "hours_per_week": 4, "days": 14}


def _rescue_rule(body):
    b = dict(body)
    b["birth_date"] = dt.date.fromisoformat(b["birth_date"])
    b["as_of"] = dt.date.fromisoformat(b["as_of"])
    return rules.assess_rescue_helper(rules.RescueHelperFacts(**b), MUSASHINO["rescue_helper"])


@pytest.mark.parametrize("change, eligible", [
    ({}, True),
    ({"birth_date": "1961-01-10"}, True),          # 65th birthday on as_of
    ({"birth_date": "1961-01-11"}, False),
    ({"hours_per_week": 4.0}, True),
    ({"hours_per_week": 4.01}, False),
    ({"days": 14}, True),
    ({"days": 15}, False),
    ({"household": "elderly_only"}, True),
    ({"household": "with_under_65", "under_65_member_can_help": True}, False),
    ({"household": "with_under_65"}, False),
    ({"household": "with_under_65", "household_override_reason": "子に障害"}, True),
    ({"birth_date": "1970-01-01", "age_override_reason": "職員判断"}, True),
    ({"cause": "own_injury"}, True),
    ({"cause": "covid_home_recovery"}, True),
    ({"cause": "carer_infected"}, True),
    ({"cause": "other"}, False),
    ({"ltc_certified": True}, False),
    ({"uses_ltc_services": True}, False),
])
def test_rescue_endpoint_agrees_with_the_rule(post, change, eligible):
    body = RESCUE_BASE | change
    r = post(RESCUE, body)
    expected = _rescue_rule(body)
    assert r.status_code == 200
    assert (r.json()["eligible"], r.json()["reasons"]) == (eligible, expected.reasons)
    assert expected.eligible is eligible


def test_rescue_endpoint_flags_staff_decision(post):
    r = post(RESCUE, RESCUE_BASE | {"household": "with_under_65"})
    assert r.json()["needs_staff_decision"] is True


def test_rescue_endpoint_lists_each_problem(post):
    r = post(RESCUE, RESCUE_BASE | {"birth_date": "2027-01-01", "hours_per_week": -1, "days": -1})
    assert r.status_code == 422 and len(r.json()["detail"]) == 3


def test_rescue_endpoint_rejects_unknown_household(post):
    r = post(RESCUE, RESCUE_BASE | {"household": "shared_house"})
    assert r.status_code == 422 and "shared_house" in r.json()["detail"][0]["msg"]


def test_rescue_endpoint_missing_field_is_422(post):
    body = dict(RESCUE_BASE)
    del body["birth_date"]
    assert post(RESCUE, body).status_code == 422


def test_rescue_endpoint_malformed_json_is_4xx(post):
    r = post(RESCUE, "{nope")
    assert 400 <= r.status_code < 500 and "detail" in r.json()


def test_rescue_endpoint_needs_a_token(client):
    assert client.post(RESCUE, RESCUE_BASE, content_type="application/json").status_code == 401


def test_rescue_endpoint_refuses_a_token_of_an_unapproved_user(client):
    user = UserFactory()
    key = _key(user)
    user.registration_status = RegistrationStatus.WITHDRAWN
    user.save()
    r = client.post(RESCUE, RESCUE_BASE, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 401


GRANT_BASE = {"hired_on": "2020-05-01", "facility_type": "訪問介護", "facility_in_city": True, "full_time": True,
              "direct_employment": True, "expected_months": 6, "months_since_last_care_job": None,
              "qualifications": ["介護福祉士"]}


@pytest.mark.parametrize("change, eligible, amount", [
    ({}, True, 150_000),
    ({"hired_on": "2020-04-06"}, False, 0),
    ({"hired_on": "2020-04-07"}, True, 150_000),
    ({"months_since_last_care_job": 2}, False, 0),
    ({"months_since_last_care_job": 3}, True, 150_000),
    ({"expected_months": 5}, False, 0),
    ({"expected_months": 6}, True, 150_000),
    ({"qualifications": []}, True, 50_000),
    ({"qualifications": ["保育士"], "facility_type": "障害児通所"}, True, 150_000),
    ({"qualifications": ["保育士"]}, True, 50_000),
    ({"full_time": False}, False, 0),
    ({"direct_employment": False}, False, 0),
    ({"facility_in_city": False}, False, 0),
])
def test_grant_endpoint_agrees_with_the_rule(post, change, eligible, amount):
    body = GRANT_BASE | change
    r = post(GRANT, body)
    facts = dict(body, hired_on=dt.date.fromisoformat(body["hired_on"]))
    expected = rules.assess_restart_grant(rules.RestartGrantFacts(**facts), MUSASHINO["restart_grant"])
    assert r.status_code == 200
    assert (r.json()["eligible"], r.json()["amount_yen"]) == (eligible, amount) == (expected.eligible, expected.amount_yen)
    assert r.json()["reasons"] == expected.reasons


def test_grant_endpoint_lists_unknown_type_and_qualification(post):
    r = post(GRANT, GRANT_BASE | {"facility_type": "病院", "qualifications": ["医師"]})
    assert r.status_code == 422 and len(r.json()["detail"]) == 2


def test_grant_endpoint_refuses_hire_before_birth(post):
    r = post(GRANT, GRANT_BASE | {"birth_date": "2021-01-01"})
    assert r.status_code == 422 and "生年月日" in r.json()["detail"][0]["msg"]


def test_grant_endpoint_bad_date_is_422(post):
    assert post(GRANT, GRANT_BASE | {"hired_on": "2020-02-30"}).status_code == 422


def _fee_body(*provs):
    return {"month": "2025-04", "provisions": [
        {"patient_id": p, "provided_on": d, "unified_form": f, "twenty_four_hour": h} for p, d, f, h in provs]}


@pytest.mark.parametrize("provs, total", [
    ([("A", "2025-04-01", True, False)], 1000),
    ([("A", "2025-04-30", True, True)], 2000),
    ([("A", "2025-04-03", False, True)], 0),
    ([("A", "2025-04-03", True, False), ("A", "2025-04-20", True, False)], 1000),
    ([("A", "2025-04-03", True, False), ("B", "2025-04-20", True, True)], 3000),
])
def test_fee_endpoint_agrees_with_the_rule(post, provs, total):
    r = post(FEE, _fee_body(*provs))
    expected = rules.calculate_linkage_fee(
        dt.date(2025, 4, 1), [rules.Provision(p, dt.date.fromisoformat(d), f, h) for p, d, f, h in provs],
        MUSASHINO["linkage_fee"])
    assert r.status_code == 200 and r.json()["total_yen"] == total == expected.total_yen
    assert [line["amount_yen"] for line in r.json()["lines"]] == [line.amount_yen for line in expected.lines]


def test_fee_endpoint_shows_the_reason_for_no_fee(post):
    line = post(FEE, _fee_body(("A", "2025-04-03", False, False))).json()["lines"][0]
    assert line["amount_yen"] == 0 and "統一様式" in line["reason"]


def test_fee_endpoint_month_without_provisions_is_422(post):
    r = post(FEE, {"month": "2025-04", "provisions": []})
    assert r.status_code == 422 and r.json()["detail"]


def test_fee_endpoint_lists_dates_outside_the_month(post):
    r = post(FEE, _fee_body(("A", "2025-03-31", True, False), ("B", "2025-05-01", True, False)))
    assert r.status_code == 422 and len(r.json()["detail"]) == 2


def test_fee_endpoint_bad_month_is_422(post):
    assert post(FEE, {"month": "April", "provisions": []}).status_code == 422


def test_fee_endpoint_needs_a_token(client):
    assert client.post(FEE, _fee_body(("A", "2025-04-01", True, False)), content_type="application/json").status_code == 401


def test_assessment_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {RESCUE, GRANT, FEE} <= set(paths)



def test_rescue_endpoint_needs_to_know_whether_the_member_can_help(post):
    body = {k: v for k, v in RESCUE_BASE.items() if k != "under_65_member_can_help"} | {"household": "with_under_65"}
    r = post(RESCUE, body)
    assert r.status_code == 422 and "under_65_member_can_help" in r.json()["detail"][0]["msg"]


def test_rescue_endpoint_does_not_need_the_member_field_for_people_alone(post):
    body = {k: v for k, v in RESCUE_BASE.items() if k != "under_65_member_can_help"}
    assert post(RESCUE, body).json()["eligible"] is True
