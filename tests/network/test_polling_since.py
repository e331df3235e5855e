"""Polling for new posts reads the posts after its cursor through the (patient, channel, id) index, not every
post of the timeline: the cost follows the number of new posts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.network import selectors
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


def _threads(world, after):
    return selectors.updated_threads(patient=world.patient, channel="team", after=after)


def test_a_new_post_is_returned(world):
    old = PostFactory(patient=world.patient, author=world.physician)
    new = PostFactory(patient=world.patient, author=world.physician)
    assert [t.pk for t in _threads(world, old.pk)] == [new.pk]


def test_a_thread_with_a_new_reply_is_returned(world):
    thread = PostFactory(patient=world.patient, author=world.physician)
    PostFactory(patient=world.patient, author=world.physician)
    cursor = PostFactory(patient=world.patient, author=world.physician).pk
    PostFactory(patient=world.patient, author=world.nurse, parent=thread)
    assert [t.pk for t in _threads(world, cursor)] == [thread.pk]


def test_nothing_new_returns_nothing(world):
    assert _threads(world, PostFactory(patient=world.patient, author=world.physician).pk) == []


def test_another_patients_posts_are_not_returned(world):
    cursor = PostFactory(patient=world.patient, author=world.physician).pk
    PostFactory(patient=world.other_patient, author=world.stranger)
    assert _threads(world, cursor) == []


def test_the_poll_bounds_the_post_ids_and_does_not_join_the_replies(world):
    cursor = PostFactory(patient=world.patient, author=world.physician).pk
    PostFactory(patient=world.patient, author=world.physician)
    with CaptureQueriesContext(connection) as ctx:
        _threads(world, cursor)
    sql = ctx.captured_queries[0]["sql"]
    assert f'"id" > {cursor}' in sql and "DISTINCT" not in sql and 'JOIN "network_post"' not in sql


def test_a_poll_far_behind_looks_at_a_bounded_number_of_posts(world):
    sql = str(selectors.posts_since(patient=world.patient, channel="team", after=0).query)
    assert f"LIMIT {selectors.SINCE_ROWS}" in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_postgresql_reads_the_new_posts_through_the_timeline_id_index(world):
    PostFactory.create_batch(5, patient=world.patient, author=world.physician)
    since = selectors.posts_since(patient=world.patient, channel="team", after=1)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned whole anyway
        sql, params = since.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "post_timeline_id_idx" in plan and "Index Cond" in plan
