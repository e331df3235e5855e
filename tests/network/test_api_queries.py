"""The hot API endpoints run a small, fixed number of SQL queries (the benchmark's mix), whatever the data size."""
import pytest
from django.db import connection

from renkei.network.models import Post
from tests.network.factories import PostFactory
from tests.network.test_api import _add_patients, _auth

pytestmark = pytest.mark.django_db


def audit():
    """Queries of one audit row: one round trip on PostgreSQL, the chain read and the INSERT elsewhere."""
    return 1 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize("patients", [2, 20])
def test_the_patient_list_is_the_token_one_query_and_the_audit_row(client, world, patients, django_assert_num_queries):
    headers = _auth(world.nurse)
    _add_patients(world, patients - 1)
    with django_assert_num_queries(2 + audit()):
        body = client.get("/api/v1/patients?limit=20", **headers).json()
    assert body["count"] == patients and len(body["items"]) == patients
    assert body["items"][0]["unread"] == 1


def test_a_page_past_the_end_still_counts_the_patients(client, world):
    body = client.get("/api/v1/patients?limit=20&offset=40", **_auth(world.nurse)).json()
    assert body == {"count": 1, "items": []}


@pytest.mark.parametrize("posts", [2, 20])
def test_a_timeline_page_already_read_is_five_queries_and_the_audit_row(client, world, posts,
                                                                        django_assert_num_queries):
    headers = _auth(world.nurse)
    PostFactory.create_batch(posts, patient=world.patient, author=world.physician)
    url = f"/api/v1/patients/{world.patient.pk}/posts?limit=20"
    client.get(url, **headers)
    # token, patient with its consent, page with its total, attachments, receipts with readers
    with django_assert_num_queries(5 + audit()):
        body = client.get(url, **headers).json()
    assert body["count"] == posts and all("訪看 さくら" in item["read_by"] for item in body["items"])


@pytest.mark.parametrize("posts", [2, 20])
def test_new_posts_on_a_timeline_page_are_marked_read_in_one_statement(client, world, posts,
                                                                       django_assert_num_queries):
    headers = _auth(world.nurse)
    PostFactory.create_batch(posts, patient=world.patient, author=world.physician)
    receipts = 1 if connection.vendor == "postgresql" else 4  # elsewhere: savepoint, insert, update, release
    with django_assert_num_queries(5 + receipts + audit()):
        client.get(f"/api/v1/patients/{world.patient.pk}/posts?limit=20", **headers)


def test_a_new_post_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    headers = _auth(world.nurse)
    url = f"/api/v1/patients/{world.patient.pk}/posts"
    # token, patient with consent, membership, [savepoint], post, counters, own receipt, audit, [release]
    with django_assert_num_queries(8 + audit()):
        r = client.post(url, {"body": "本日訪問しました。"}, content_type="application/json", **headers)
    assert r.status_code == 201 and r.json()["author"] == "訪看 さくら" and r.json()["read_by"] == []
    assert Post.objects.get(pk=r.json()["id"]).author_id == world.nurse.pk
