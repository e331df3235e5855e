"""The audit append is cheap (one round trip on PostgreSQL) and still chains every row to the one before it."""
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from renkei.core.audit import Action, record, verify_chain
from renkei.core.models import AuditEvent
from tests.concurrency import in_threads

pytestmark = pytest.mark.django_db


def _request(ip="2001:db8::7"):
    return RequestFactory().get("/x", REMOTE_ADDR=ip, HTTP_USER_AGENT="テスト端末")


def test_each_appended_row_chains_to_the_previous_one_and_verifies():
    first = record(action=Action.READ, request=_request(), detail="一件目 \x1f 区切り文字入り", patient=3)
    second = record(action=Action.UPDATE, request=_request("10.1.2.3"), detail="二件目")
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.prev_hash == first.hash and stored.hash == second.hash == stored.compute_hash()
    assert verify_chain()[0]


def test_the_returned_event_is_the_stored_row():
    event = record(action=Action.READ, request=_request(), detail="返却値", patient=9)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.hash, stored.prev_hash, stored.patient_id, stored.ip) == (event.hash, event.prev_hash, "9", "2001:db8::7")


def test_altering_a_row_appended_the_fast_way_is_detected():
    record(action=Action.READ, detail="a")
    event = record(action=Action.READ, detail="b")
    AuditEvent.objects.filter(pk=event.pk).update(detail="改ざん")
    assert verify_chain()[:2] == (False, event.pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-round-trip append is PostgreSQL's")
def test_on_postgresql_an_append_is_one_round_trip():
    record(action=Action.READ, detail="warm")
    with CaptureQueriesContext(connection) as ctx:
        record(action=Action.READ, request=_request(), detail="one")
    assert len(ctx) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_still_form_one_unbroken_chain():
    def write(n):
        for i in range(25):
            record(action=Action.READ, request=_request(f"10.0.0.{n}"), detail=f"writer {n} row {i}", patient=i)

    in_threads(write, 4)
    assert AuditEvent.objects.filter(detail__startswith="writer ").count() == 100
    assert verify_chain() == (True, None, "audit chain intact")
