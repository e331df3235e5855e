"""The timeline API pages by cursor (before/after, with a `next` cursor) beside a bounded offset, and counts
the timeline from the kept tally instead of scanning its posts."""
import pytest

from renkei.network.api import MAX_OFFSET
from renkei.network.models import PatientPostYear, PostKind
from tests.network.factories import PostFactory
from tests.network.test_api import _auth
from tests.network.test_api_queries import audit

pytestmark = pytest.mark.django_db


def _get(client, world, headers=None, **params):
    return client.get(f"/api/v1/patients/{world.patient.pk}/posts", params, **(headers or _auth(world.nurse)))


@pytest.fixture
def posts(world):
    return PostFactory.create_batch(5, patient=world.patient, author=world.physician)


def test_before_gives_the_older_posts_newest_first(client, world, posts):
    body = _get(client, world, before=posts[3].pk, limit=2).json()
    assert [i["id"] for i in body["items"]] == [posts[2].pk, posts[1].pk]


def test_following_next_walks_the_whole_timeline_once(client, world, posts):
    seen, params = [], {"limit": 2}
    while True:
        body = _get(client, world, **params).json()
        seen += [i["id"] for i in body["items"]]
        if body["next"] is None:
            break
        params = {"limit": 2, "before": body["next"]}
    assert seen == [p.pk for p in reversed(posts)]


def test_after_gives_the_newer_posts_oldest_first(client, world, posts):
    body = _get(client, world, after=posts[1].pk, limit=2).json()
    assert [i["id"] for i in body["items"]] == [posts[2].pk, posts[3].pk] and body["next"] == posts[3].pk


def test_the_last_page_has_no_next(client, world, posts):
    assert _get(client, world, limit=5).json()["next"] is None


def test_an_offset_past_the_bound_is_400_in_japanese(client, world):
    r = _get(client, world, offset=MAX_OFFSET + 1)
    assert r.status_code == 400 and "before" in r.json()["detail"] and "offset" in r.json()["detail"]


def test_an_offset_at_the_bound_is_answered(client, world):
    assert _get(client, world, offset=MAX_OFFSET).status_code == 200


def test_a_cursor_with_an_offset_is_400(client, world, posts):
    assert _get(client, world, before=posts[2].pk, offset=2).status_code == 400


def test_the_count_comes_from_the_kept_tally_not_from_the_posts(client, world, posts):
    PatientPostYear.objects.filter(patient=world.patient).update(posts=1000)
    assert _get(client, world).json()["count"] == 1000


def test_the_count_adds_the_notices(client, world, posts):
    PostFactory(patient=world.patient, author=world.physician, kind=PostKind.NOTICE)
    assert _get(client, world).json()["count"] == 6


def test_a_page_past_the_end_still_counts_the_timeline(client, world, posts):
    body = _get(client, world, before=posts[0].pk).json()
    assert body["items"] == [] and body["count"] == 5


def test_without_consent_only_the_notices_are_counted(client, world, posts):
    world.consent.delete()
    PostFactory(patient=world.patient, author=world.physician, kind=PostKind.NOTICE)
    body = _get(client, world).json()
    assert body["count"] == 1 and len(body["items"]) == 1


@pytest.mark.parametrize("n", [3, 20])
def test_a_cursor_page_runs_a_fixed_number_of_queries(client, world, n, django_assert_num_queries):
    PostFactory.create_batch(n, patient=world.patient, author=world.physician)
    newest = PostFactory(patient=world.patient, author=world.physician)
    headers = _auth(world.nurse)
    _get(client, world, headers, before=newest.pk)
    # token, patient with its consent, page with its total, attachments, receipts with readers
    with django_assert_num_queries(5 + audit()):
        assert _get(client, world, headers, before=newest.pk).json()["count"] == n + 1
