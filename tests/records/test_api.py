"""The records API: record a consultation and an event (CONTRACT), lists and details of the other records."""
import datetime

import pytest
from django.utils import timezone

from renkei.records.models import Consultation, Event
from tests.factories import UserFactory, api_key, coordinator_user, staff_user

from .factories import (
    ConsultationFactory,
    CouncilFactory,
    EventFactory,
    MeetingFactory,
    RegionalActivityFactory,
)

pytestmark = pytest.mark.django_db


def post(client, path, body, user):
    return client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def get(client, path, user, **params):
    return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def consultation(**kw):
    return {
        "received_on": timezone.localdate().isoformat(), "channel": "phone", "asker_profession": "care_manager",
        "category": "admission_discharge", "summary": "退院支援の相談",
    } | kw


def event(**kw):
    return {
        "title": "ACP研修", "kind": "training", "audience": "professionals", "starts_on": "2025-07-05",
        "ends_on": "2025-07-05", "participants": 40, "online_accounts": None,
    } | kw


def test_a_coordinator_records_a_consultation_with_codes(client):
    r = post(client, "/api/v1/consultations", consultation(), coordinator_user())
    assert r.status_code == 201 and r.json()["category_label"] == "入退院"


def test_japanese_labels_are_accepted_too(client):
    r = post(client, "/api/v1/consultations", consultation(channel="電話", category="看取り・ACP", asker_profession="家族"), staff_user())
    assert r.status_code == 201 and r.json()["category"] == "end_of_life"


def test_an_unknown_category_is_422_with_the_allowed_values(client):
    r = post(client, "/api/v1/consultations", consultation(category="雑談"), staff_user())
    assert r.status_code == 422 and "入退院" in r.json()["detail"][0]["msg"] and not Consultation.objects.exists()


def test_a_future_consultation_is_422_and_not_saved(client):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    r = post(client, "/api/v1/consultations", consultation(received_on=tomorrow), staff_user())
    assert r.status_code == 422 and "未来" in r.json()["detail"][0]["msg"] and not Consultation.objects.exists()


def test_a_professional_cannot_record_a_consultation(client):
    assert post(client, "/api/v1/consultations", consultation(), UserFactory()).status_code == 403


def test_a_malformed_body_is_4xx_json(client):
    r = client.post("/api/v1/consultations", "{nope", content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user())}")
    assert 400 <= r.status_code < 500 and "detail" in r.json()


def test_without_a_token_it_is_401(client):
    assert client.post("/api/v1/consultations", consultation(), content_type="application/json").status_code == 401


def test_staff_record_an_online_event_with_accounts(client):
    r = post(client, "/api/v1/events", event(participants=291, online_accounts=198), staff_user())
    assert r.status_code == 201 and r.json()["delivery"] == "online" and r.json()["item"] == "ka"


def test_an_event_for_residents_serves_item_ki(client):
    r = post(client, "/api/v1/events", event(audience="residents", kind="市民セミナー"), staff_user())
    assert r.json()["item"] == "ki"


def test_an_event_ending_before_it_starts_is_422(client):
    r = post(client, "/api/v1/events", event(ends_on="2025-07-04"), staff_user())
    assert r.status_code == 422 and "終了日" in r.json()["detail"][0]["msg"] and not Event.objects.exists()


def test_attendance_above_registrations_of_a_registration_only_event_is_422(client):
    r = post(client, "/api/v1/events", event(registration_required=True, registered=30, participants=31), staff_user())
    assert r.status_code == 422 and "申込者数" in r.json()["detail"][0]["msg"] and not Event.objects.exists()


def test_more_accounts_than_persons_is_422(client):
    r = post(client, "/api/v1/events", event(participants=10, online_accounts=11), staff_user())
    assert r.status_code == 422 and not Event.objects.exists()


def test_an_unknown_audience_is_422(client):
    assert post(client, "/api/v1/events", event(audience="everyone"), staff_user()).status_code == 422


def test_a_coordinator_cannot_record_an_event(client):
    assert post(client, "/api/v1/events", event(), coordinator_user()).status_code == 403


LISTS = {  # path: (what makes n rows of it, the queries of one page)
    "/api/v1/consultations": (ConsultationFactory.create_batch, 4),  # token, the caller's cities, count, page
    "/api/v1/events": (EventFactory.create_batch, 4),
    "/api/v1/meetings": (lambda n: MeetingFactory.create_batch(n, body=CouncilFactory()), 4),
    "/api/v1/council": (CouncilFactory.create_batch, 5),  # token, cities, count, page, members
}


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("path", LISTS)
def test_a_list_has_a_fixed_query_count(client, django_assert_num_queries, path, rows):
    create, queries = LISTS[path]
    create(rows)
    key = api_key(staff_user())
    with django_assert_num_queries(queries):
        r = client.get(path, {"limit": 50}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.json()["count"] == rows


def test_the_consultation_list_pages_with_limit_and_offset(client):
    ConsultationFactory.create_batch(5)
    body = get(client, "/api/v1/consultations", staff_user(), limit=2, offset=4).json()
    assert body["count"] == 5 and len(body["items"]) == 1


def test_one_meeting_in_detail(client):
    meeting = MeetingFactory(attendees="医師会 A\n歯科医師会 B")
    body = get(client, f"/api/v1/meetings/{meeting.pk}", coordinator_user()).json()
    assert body["attendees"] == ["医師会 A", "歯科医師会 B"]


def test_a_missing_event_is_404_json(client):
    r = get(client, "/api/v1/events/999999", staff_user())
    assert r.status_code == 404 and "detail" in r.json()


def test_regional_activities_are_listed(client):
    RegionalActivityFactory(format="written")
    body = get(client, "/api/v1/regional-activities", staff_user()).json()
    assert body["items"][0]["format_label"] == "書面開催"


def test_a_professional_cannot_list_meetings(client):
    assert get(client, "/api/v1/meetings", UserFactory()).status_code == 403


def test_the_openapi_documents_the_choice_codes(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "end_of_life（看取り・ACP）" in str(doc["components"]["schemas"]["ConsultationIn"])
