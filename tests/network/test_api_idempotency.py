"""Idempotency-Key on the create calls of the API: a retry gets the first answer and stores nothing new."""
import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from renkei.api import api
from renkei.core.models import AuditEvent, IdempotencyKey
from renkei.network.models import Post
from renkei.records.models import Consultation
from tests.concurrency import at_once
from tests.factories import api_key, staff_user

pytestmark = pytest.mark.django_db


def _post(client, user_key, patient, body="訪問しました", key="k-1"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {user_key}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(f"/api/v1/patients/{patient.pk}/posts", {"body": body}, content_type="application/json",
                       **headers)


def test_the_same_key_twice_returns_the_first_post_and_stores_one(client, world):
    key = api_key(world.nurse)
    first, second = _post(client, key, world.patient), _post(client, key, world.patient)
    assert second.status_code == 201 and second.json()["id"] == first.json()["id"]
    assert Post.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_a_replayed_answer_says_so_in_a_header(client, world):
    key = api_key(world.nurse)
    _post(client, key, world.patient)
    assert _post(client, key, world.patient)["Idempotent-Replayed"] == "true"


def test_a_replayed_answer_is_the_first_answer_byte_for_byte(client, world):
    key = api_key(world.nurse)
    assert _post(client, key, world.patient).content == _post(client, key, world.patient).content


def test_without_a_key_each_call_creates_a_post(client, world):
    key = api_key(world.nurse)
    _post(client, key, world.patient, key=None)
    _post(client, key, world.patient, key=None)
    assert Post.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_two_users_with_the_same_key_are_independent(client, world):
    first = _post(client, api_key(world.nurse), world.patient)
    second = _post(client, api_key(world.physician), world.patient)
    assert first.json()["id"] != second.json()["id"] and Post.objects.count() == 2


def test_the_same_key_from_another_token_of_the_same_user_replays(client, world):
    first = _post(client, api_key(world.nurse), world.patient)
    assert _post(client, api_key(world.nurse), world.patient).json()["id"] == first.json()["id"]


def test_the_same_key_with_another_body_is_422_and_stores_nothing(client, world):
    key = api_key(world.nurse)
    _post(client, key, world.patient, body="一回目")
    r = _post(client, key, world.patient, body="別の内容")
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["detail"][0]["msg"] and Post.objects.count() == 1


def test_the_same_key_on_another_patient_is_422(client, world):
    world.other_member.user = world.nurse
    world.other_member.save()
    key = api_key(world.nurse)
    _post(client, key, world.patient)
    assert _post(client, key, world.other_patient).status_code == 422


def test_a_key_older_than_24_hours_is_forgotten(client, world):
    key = api_key(world.nurse)
    _post(client, key, world.patient)
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    _post(client, key, world.patient)
    assert Post.objects.count() == 2 and IdempotencyKey.objects.count() == 1


def test_a_refused_call_keeps_no_key_so_a_retry_runs_again(client, world):
    key = api_key(world.nurse)
    assert _post(client, key, world.other_patient).status_code == 404
    assert not IdempotencyKey.objects.exists()


def test_a_refused_call_with_a_key_is_still_audited(client, world):
    _post(client, api_key(world.nurse), world.other_patient)
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.nurse).exists()


def test_an_overlong_key_is_400(client, world):
    r = _post(client, api_key(world.nurse), world.patient, key="x" * 256)
    assert r.status_code == 400 and Post.objects.count() == 0


def test_a_consultation_is_recorded_once_for_one_key(client):
    key = api_key(staff_user())
    body = {"received_on": "2024-06-01", "channel": "phone", "asker_profession": "care_manager",
            "category": "admission_discharge", "summary": "退院支援の相談"}
    ids = {
        client.post("/api/v1/consultations", body, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_IDEMPOTENCY_KEY="c-1").json()["id"]
        for _ in range(2)
    }
    assert len(ids) == 1 and Consultation.objects.count() == 1


def test_every_post_operation_of_the_api_but_the_token_takes_a_key():
    posts = [
        (prefix + path, operation.view_func)
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        if "POST" in operation.methods
    ]
    missing = [path for path, view in posts if not getattr(view, "idempotent", False)]
    assert missing == ["/auth/token"] and len(posts) > 10


def test_the_openapi_documents_the_header(client):
    spec = client.get("/api/v1/openapi.json").json()
    parameters = spec["paths"]["/api/v1/patients/{patient_id}/posts"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)


def test_the_prune_command_deletes_expired_keys(client, world):
    key = api_key(world.nurse)
    _post(client, key, world.patient, key="old")
    _post(client, key, world.patient, key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("prune_idempotency_keys", stdout=open("/dev/null", "w"))
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_calls_with_one_key_create_one_post(world):
    key = api_key(world.nurse)
    answers = at_once(lambda: _post(Client(), key, world.patient))
    assert len(answers) == 4 and {a.status_code for a in answers} == {201} and len({a.json()["id"] for a in answers}) == 1
    assert Post.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_a_call_that_meets_a_database_error_keeps_nothing_and_answers_503(client, world, monkeypatch):
    from django.db import OperationalError

    from renkei.network import services

    def away(**kwargs):
        Post.objects.create(patient=world.patient, author=world.nurse, body="途中まで")
        raise OperationalError("connection lost")

    monkeypatch.setattr(services, "create_post", away)
    r = _post(client, api_key(world.nurse), world.patient)
    assert r.status_code == 503 and not IdempotencyKey.objects.exists() and not Post.objects.exists()


def test_a_replayed_answer_is_not_stored_by_caches(client, world):
    key = api_key(world.nurse)
    _post(client, key, world.patient)
    assert "no-store" in _post(client, key, world.patient)["Cache-Control"]
