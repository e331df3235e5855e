"""The JSON report is reused for REPORT_API_CACHE_SECONDS by concurrent readers, keyed by a data version that
every write bumps: a write shows in the next call. Every call is still audited."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.models import AuditEvent
from renkei.reports import cache as report_cache
from tests.factories import api_key

from .helpers import consultation, staff_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/annual"
PARAMS = {"from_fy": 2021, "to_fy": 2021}


def _consultations(body):
    figures = [f for i in body["years"][0]["items"] for f in i["figures"]]
    return next((f["value"] for f in figures if f["key"] == "records.consultations"), 0)


def _get(client, key):
    return client.get(URL, PARAMS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_second_call_within_the_ttl_is_served_without_counting_again(client, cached):
    key = api_key(staff_of())
    _get(client, key)
    with CaptureQueriesContext(connection) as ctx:
        assert _get(client, key).status_code == 200
    assert len(ctx) <= 4  # the token, the caller's cities, the audit row (and nothing of the report)


def test_every_call_is_audited_even_from_the_cache(client, cached):
    key = api_key(staff_of())
    before = AuditEvent.objects.filter(object_type="reports.annual").count()
    _get(client, key)
    _get(client, key)
    assert AuditEvent.objects.filter(object_type="reports.annual").count() == before + 2


def test_while_a_report_is_cached_a_caller_without_the_role_still_gets_403(client, cached):
    from tests.factories import UserFactory

    _get(client, api_key(staff_of()))
    assert _get(client, api_key(UserFactory(username="nurse-x"))).status_code == 403


def test_with_the_cache_off_a_new_record_shows_at_once(client, settings):
    settings.REPORT_API_CACHE_SECONDS = 0
    key = api_key(staff_of())
    first = _consultations(_get(client, key).json())
    consultation(received_on=datetime.date(2021, 6, 1))
    assert _consultations(_get(client, key).json()) == first + 1


def test_a_consultation_recorded_through_the_api_shows_in_the_report_fetched_right_after(
        client, cached, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    first = _consultations(_get(client, key).json())
    body = {"received_on": "2021-06-01", "channel": "phone", "asker_profession": "care_manager",
            "category": "admission_discharge", "summary": "退院支援の相談"}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/v1/consultations", body, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 201
    assert _consultations(_get(client, key).json()) == first + 1


def test_a_write_by_any_path_invalidates_the_cached_report(client, cached, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    first = _consultations(_get(client, key).json())
    with django_capture_on_commit_callbacks(execute=True):
        consultation(received_on=datetime.date(2021, 6, 1))
    assert _consultations(_get(client, key).json()) == first + 1


def test_a_timeline_post_bumps_the_report_version(django_capture_on_commit_callbacks):
    from tests.network.factories import PostFactory

    before = report_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory()
    assert report_cache.version() > before


def test_the_version_is_bumped_only_when_the_write_commits(django_capture_on_commit_callbacks):
    before = report_cache.version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        consultation(received_on=datetime.date(2021, 6, 1))
    assert report_cache.version() == before and callbacks


def test_a_login_stamp_does_not_invalidate_the_report(django_capture_on_commit_callbacks):
    user = staff_of()
    before = report_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        user.save(update_fields=["last_login"])
    assert report_cache.version() == before


def test_a_write_is_not_failed_by_a_cache_that_cannot_be_reached(monkeypatch, django_capture_on_commit_callbacks):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(report_cache.cache, "incr", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        written = consultation(received_on=datetime.date(2021, 6, 1))
    assert written.pk
