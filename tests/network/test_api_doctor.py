"""API of the physician's view: GET /doctor/inbox, POST /posts/{id}/acknowledge (idempotent), /doctor/templates."""
import pytest

from renkei.core.models import AuditEvent
from renkei.network.models import PostAcknowledgement, ReplyTemplate
from tests.network.conftest import queries_of
from tests.network.factories import PatientFactory, PostFactory
from tests.network.test_api import _auth

pytestmark = pytest.mark.django_db


def ack(client, user, post):
    return client.post(f"/api/v1/posts/{post.pk}/acknowledge", **_auth(user))


def test_the_inbox_lists_my_important_post_with_its_reason(client, world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    body = client.get("/api/v1/doctor/inbox", **_auth(world.physician)).json()
    assert body["count"] == 1 and body["items"][0]["id"] == post.pk
    assert body["items"][0]["reasons"] == [{"code": "important", "label": "重要"}]
    assert body["items"][0]["url"].endswith(f"#post-{post.pk}")


def test_the_inbox_needs_a_token(client, world):
    assert client.get("/api/v1/doctor/inbox").status_code == 401


def test_the_inbox_is_audited(client, world):
    client.get("/api/v1/doctor/inbox", **_auth(world.physician))
    assert AuditEvent.objects.filter(actor=world.physician, object_type="network.doctor_inbox").exists()


def test_the_inbox_takes_a_fixed_number_of_queries(client, world):
    headers = _auth(world.physician)
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    one = queries_of(lambda: client.get("/api/v1/doctor/inbox", **headers))
    PostFactory.create_batch(8, patient=world.patient, author=world.nurse, important=True)
    assert queries_of(lambda: client.get("/api/v1/doctor/inbox", **headers)) == one


def test_acknowledging_answers_the_record(client, world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    body = ack(client, world.physician, post).json()
    assert body["post_id"] == post.pk and body["created"] is True and body["user"] == str(world.physician)


def test_acknowledging_is_idempotent(client, world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    first = ack(client, world.physician, post).json()
    second = ack(client, world.physician, post)
    assert second.status_code == 200 and second.json()["created"] is False
    assert second.json()["acknowledged_at"] == first["acknowledged_at"]
    assert PostAcknowledgement.objects.count() == 1


def test_an_acknowledged_post_leaves_the_inbox(client, world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    ack(client, world.physician, post)
    assert client.get("/api/v1/doctor/inbox", **_auth(world.physician)).json()["count"] == 0


def test_a_stranger_gets_404_and_an_audit_row(client, world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    assert ack(client, world.stranger, post).status_code == 404
    assert AuditEvent.objects.filter(actor=world.stranger, action="permission.denied").exists()


def test_another_teams_post_is_404(client, world):
    post = PostFactory(patient=PatientFactory(), author=world.nurse, important=True)
    assert ack(client, world.physician, post).status_code == 404 and not PostAcknowledgement.objects.exists()


def test_a_missing_post_is_404(client, world):
    assert client.post("/api/v1/posts/999999/acknowledge", **_auth(world.physician)).status_code == 404


def test_templates_are_created_listed_changed_and_deleted(client, world):
    headers = _auth(world.physician)
    created = client.post("/api/v1/doctor/templates", {"body": "承知しました。"}, content_type="application/json",
                          **headers)
    tid = created.json()["id"]
    client.put(f"/api/v1/doctor/templates/{tid}", {"body": "確認しました。"}, content_type="application/json", **headers)
    listed = client.get("/api/v1/doctor/templates", **headers).json()
    deleted = client.delete(f"/api/v1/doctor/templates/{tid}", **headers)
    assert created.status_code == 201 and [t["body"] for t in listed] == ["確認しました。"]
    assert deleted.status_code == 204 and not ReplyTemplate.objects.exists()


def test_an_empty_template_is_400(client, world):
    response = client.post("/api/v1/doctor/templates", {"body": " "}, content_type="application/json",
                           **_auth(world.physician))
    assert response.status_code == 400 and response.json()["detail"] == "定型文を入力してください。"


def test_someone_elses_template_is_404(client, world):
    template = ReplyTemplate.objects.create(user=world.nurse, body="看護師の定型文")
    headers = _auth(world.physician)
    assert client.delete(f"/api/v1/doctor/templates/{template.pk}", **headers).status_code == 404
    assert client.put(f"/api/v1/doctor/templates/{template.pk}", {"body": "x"}, content_type="application/json",
                      **headers).status_code == 404
    assert client.get("/api/v1/doctor/templates", **headers).json() == []


def test_the_inbox_shows_the_oldest_first_and_counts_them_all(client, world):
    posts = PostFactory.create_batch(3, patient=world.patient, author=world.nurse, important=True)
    body = client.get("/api/v1/doctor/inbox", {"limit": 2}, **_auth(world.physician)).json()
    assert body["count"] == 3 and [i["id"] for i in body["items"]] == [p.pk for p in posts[:2]]


def test_a_bad_limit_is_400(client, world):
    assert client.get("/api/v1/doctor/inbox", {"limit": 0}, **_auth(world.physician)).status_code == 400
