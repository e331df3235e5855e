"""The JSON report is reused for REPORT_API_CACHE_SECONDS; every call is still audited, the pages count afresh."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.models import AuditEvent
from renkei.reports.selectors import build_report
from tests.records.factories import ConsultationFactory, api_key, staff_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/annual"
PARAMS = {"from_fy": 2021, "to_fy": 2021}


@pytest.fixture
def cached(settings):
    settings.REPORT_API_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def _consultations(body):
    figures = [f for i in body["years"][0]["items"] for f in i["figures"]]
    return next((f["value"] for f in figures if f["key"] == "records.consultations"), 0)


def _get(client, key):
    return client.get(URL, PARAMS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_second_call_within_the_ttl_is_served_without_counting_again(client, cached):
    key = api_key(staff_user())
    _get(client, key)
    with CaptureQueriesContext(connection) as ctx:
        assert _get(client, key).status_code == 200
    assert len(ctx) <= 3  # the token, the audit row (and nothing of the report)


def test_every_call_is_audited_even_from_the_cache(client, cached):
    key = api_key(staff_user())
    before = AuditEvent.objects.filter(object_type="reports.annual").count()
    _get(client, key)
    _get(client, key)
    assert AuditEvent.objects.filter(object_type="reports.annual").count() == before + 2


def test_while_a_report_is_cached_a_caller_without_the_role_still_gets_403(client, cached):
    from tests.factories import UserFactory

    _get(client, api_key(staff_user()))
    assert _get(client, api_key(UserFactory(username="nurse-x"))).status_code == 403


def test_with_the_cache_off_a_new_record_shows_at_once(client, settings):
    settings.REPORT_API_CACHE_SECONDS = 0
    key = api_key(staff_user())
    first = _consultations(_get(client, key).json())
    ConsultationFactory(received_on="2021-06-01")
    assert _consultations(_get(client, key).json()) == first + 1


def test_within_the_ttl_the_json_may_lag_but_the_report_itself_counts_afresh(client, cached):
    key = api_key(staff_user())
    first = _consultations(_get(client, key).json())
    ConsultationFactory(received_on="2021-06-01")
    assert _consultations(_get(client, key).json()) == first
    assert build_report(2021, 2021).figure(2021, "records.consultations").value == first + 1
