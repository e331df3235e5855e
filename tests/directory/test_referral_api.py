"""The professionals' API: windows, capacity and referral requests with a token; never for the public."""
import datetime

import pytest

from renkei.core.models import FacilityKind, Profession
from renkei.directory.models import AnswerStatus, Capacity, ConsultationWindow, ReferralAnswer
from tests.factories import UserFactory, api_key

from .factories import FacilityFactory, monday_windows
from .test_referrals import member_of, station

pytestmark = pytest.mark.django_db


def get(client, path, user, **params):
    return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def send(client, method, path, user, body):
    return getattr(client, method)(path, body, content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


@pytest.fixture
def clinic():
    facility = FacilityFactory(kind=FacilityKind.HOME_CARE_CLINIC)
    ConsultationWindow.objects.create(facility=facility, weekday=2, starts_at=datetime.time(14),
                                      ends_at=datetime.time(15), direct_number="0422-99-1234")
    return facility


def test_the_windows_need_a_token(client, clinic):
    assert client.get("/api/v1/directory/windows").status_code == 401


def test_a_professional_lists_the_windows_with_their_direct_number(client, clinic):
    body = get(client, "/api/v1/directory/windows", UserFactory()).json()
    assert body["count"] == 1 and body["items"][0]["direct_number"] == "0422-99-1234"


def test_a_bad_when_is_a_400(client, clinic):
    assert get(client, "/api/v1/directory/windows", UserFactory(), when="tomorrow").status_code == 400


@pytest.mark.parametrize("rows", [2, 20])
def test_the_windows_list_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    monday_windows(rows)
    key = api_key(UserFactory())
    with django_assert_num_queries(3):  # the token, the count, the page
        assert client.get("/api/v1/directory/windows", HTTP_AUTHORIZATION=f"Bearer {key}").json()["count"] == rows


def test_a_member_confirms_the_capacity(client):
    facility = station("A")
    response = send(client, "put", f"/api/v1/facilities/{facility.pk}/capacity", member_of(facility),
                    {"accepting_new": False, "flags": ["dementia"]})
    assert response.status_code == 200 and Capacity.objects.get(facility=facility).dementia


def test_someone_else_cannot_confirm_the_capacity(client):
    facility = station("A")
    response = send(client, "put", f"/api/v1/facilities/{facility.pk}/capacity", UserFactory(),
                    {"accepting_new": True})
    assert response.status_code == 403


def test_a_referral_is_sent_and_answered_through_the_api(client):
    a = station("A")
    care_manager = UserFactory(profession=Profession.CARE_MANAGER)
    created = send(client, "post", "/api/v1/referrals", care_manager, {"facility_ids": [a.pk], "need": "訪問看護"})
    answer_id = created.json()["answers"][0]["id"]
    answered = send(client, "post", f"/api/v1/referrals/answers/{answer_id}", member_of(a),
                    {"accept": False, "reason": "満床"})
    seen = get(client, f"/api/v1/referrals/{created.json()['id']}", care_manager).json()
    assert created.status_code == 201 and answered.status_code == 200
    assert seen["answers"][0]["status"] == AnswerStatus.DECLINED and seen["answers"][0]["reason"] == "満床"


def test_a_referral_without_a_need_is_a_422(client):
    response = send(client, "post", "/api/v1/referrals", UserFactory(), {"facility_ids": [station("A").pk], "need": ""})
    assert response.status_code == 422 and not ReferralAnswer.objects.exists()


def test_another_user_gets_404_for_someone_s_request(client):
    created = send(client, "post", "/api/v1/referrals", UserFactory(), {"facility_ids": [station("A").pk], "need": "x"})
    assert get(client, f"/api/v1/referrals/{created.json()['id']}", UserFactory()).status_code == 404


def test_staff_confirming_a_missing_facility_get_404(client):
    staff = UserFactory(profession=Profession.MUNICIPAL, is_municipal_staff=True)
    assert send(client, "put", "/api/v1/facilities/999999/capacity", staff, {"accepting_new": True}).status_code == 404
