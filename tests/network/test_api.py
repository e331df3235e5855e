import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from renkei.core.models import AuditEvent
from renkei.core.tokens import ApiToken
from renkei.network.models import Post
from tests.network.conftest import queries_of
from tests.network.factories import PatientFactory, PostFactory

pytestmark = pytest.mark.django_db


def _auth(user):
    import datetime
    import secrets

    from django.utils import timezone

    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_list_carries_only_my_patients(client, world):
    r = client.get("/api/v1/patients", **_auth(world.nurse))
    body = r.json()
    assert r.status_code == 200 and body["count"] == 1 and body["items"][0]["name"] == "武蔵野 テスト花子"


def test_the_list_needs_a_token(client, world):
    assert client.get("/api/v1/patients").status_code == 401


def test_another_teams_patient_is_404_exactly_like_a_missing_one(client, world):
    headers = _auth(world.nurse)
    other = client.get(f"/api/v1/patients/{world.other_patient.pk}", **headers)
    missing = client.get("/api/v1/patients/999999", **headers)
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()


def test_one_patient_is_returned_with_its_team(client, world):
    r = client.get(f"/api/v1/patients/{world.patient.pk}", **_auth(world.nurse))
    assert r.status_code == 200 and r.json()["consent"] == "active" and len(r.json()["team"]) == 3


def test_the_timeline_lists_posts_with_the_contract_fields(client, world):
    PostFactory(patient=world.patient, author=world.physician, body="内服変更")
    item = client.get(f"/api/v1/patients/{world.patient.pk}/posts", **_auth(world.nurse)).json()["items"][0]
    assert {"id", "body", "author", "created_at"} <= set(item) and item["body"] == "内服変更"


def test_a_post_is_created(client, world):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/posts", {"body": "API から投稿"},
                    content_type="application/json", **_auth(world.nurse))
    assert r.status_code == 201 and Post.objects.get().body == "API から投稿"


def test_posting_on_another_teams_patient_is_404_and_audited(client, world):
    r = client.post(f"/api/v1/patients/{world.other_patient.pk}/posts", {"body": "x"},
                    content_type="application/json", **_auth(world.nurse))
    assert r.status_code == 404 and not Post.objects.exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.nurse).exists()


def test_posting_after_consent_withdrawal_is_409(client, world):
    from django.utils import timezone

    world.consent.withdrawn_at = timezone.now()
    world.consent.save()
    r = client.post(f"/api/v1/patients/{world.patient.pk}/posts", {"body": "x"},
                    content_type="application/json", **_auth(world.nurse))
    assert r.status_code == 409 and "撤回" in r.json()["detail"] and not Post.objects.exists()


def test_an_empty_body_is_400(client, world):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/posts", {"body": ""},
                    content_type="application/json", **_auth(world.nurse))
    assert r.status_code == 400 and "detail" in r.json()


def test_a_malformed_body_is_4xx_json(client, world):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/posts", "{oops", content_type="application/json",
                    **_auth(world.nurse))
    assert 400 <= r.status_code < 500 and "detail" in r.json()


def test_a_bad_limit_is_400(client, world):
    r = client.get("/api/v1/patients?limit=0", **_auth(world.nurse))
    assert r.status_code == 400


def _add_patients(world, n):
    from tests.network.factories import CareTeamMemberFactory

    for patient in PatientFactory.create_batch(n):
        CareTeamMemberFactory(patient=patient, user=world.nurse)
        PostFactory(patient=patient, author=world.physician)


def test_the_patient_list_endpoint_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    headers = _auth(world.nurse)
    _add_patients(world, 1)
    queries = queries_of(lambda: client.get("/api/v1/patients", **headers))
    _add_patients(world, 18)
    with django_assert_num_queries(queries):
        assert client.get("/api/v1/patients", **headers).json()["count"] == 20


def test_the_posts_endpoint_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    headers = _auth(world.nurse)
    url = f"/api/v1/patients/{world.patient.pk}/posts"
    PostFactory.create_batch(2, patient=world.patient, author=world.physician)
    client.get(url, **headers)
    PostFactory(patient=world.patient, author=world.physician)
    queries = queries_of(lambda: client.get(url, **headers))
    PostFactory.create_batch(17, patient=world.patient, author=world.physician)
    with django_assert_num_queries(queries):
        assert client.get(url, **headers).json()["count"] == 20


def test_the_answers_built_without_validation_pass_their_schemas_and_match_validated_ones(client, world):
    """The patient list, the timeline and a new post are built with model_construct (network/api.py): each
    answer must still be what the schema validates to, field for field, with the values' JSON types."""
    from renkei.network import api

    PostFactory(patient=world.patient, author=world.physician, body="内服変更", important=True)
    headers = _auth(world.nurse)
    answers = [
        (api.PatientList, client.get("/api/v1/patients", **headers)),
        (api.PostList, client.get(f"/api/v1/patients/{world.patient.pk}/posts", **headers)),
        (api.PostOut, client.post(f"/api/v1/patients/{world.patient.pk}/posts", {"body": "返信", "parent_id": None},
                                  content_type="application/json", **headers)),
    ]
    for schema, response in answers:
        body = response.json()
        assert response.status_code in (200, 201) and body
        validated = schema.model_validate(body)  # raises on a missing field or a value of the wrong type
        assert json.loads(json.dumps(validated.model_dump(), cls=DjangoJSONEncoder)) == body


def test_the_list_searches_by_name_and_kana_and_pages(client, world):
    headers = _auth(world.nurse)
    found = client.get("/api/v1/patients", {"q": "テスト花子"}, **headers).json()
    assert found["count"] == 1 and found["items"][0]["name"] == "武蔵野 テスト花子"
    assert client.get("/api/v1/patients", {"q": "存在しない名前"}, **headers).json() == {"count": 0, "items": []}
    past_the_end = client.get("/api/v1/patients", {"q": "テスト花子", "offset": 5}, **headers).json()
    assert past_the_end == {"count": 1, "items": []}
    assert client.get("/api/v1/patients", {"offset": 5}, **headers).json() == {"count": 1, "items": []}
