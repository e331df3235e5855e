"""The audit trail is several hash chains tied together by anchors (issue 18 item 3).

Concurrent writers take different chains, so one writer's open transaction never holds up another's
audit row; verify_chain() still finds any altered, inserted or deleted row, in any chain, including a
row deleted from the end of a chain once an anchor has named it.
"""
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from renkei.core.audit import Action, anchor, record, verify_chain
from renkei.core.models import AuditAnchor, AuditEvent
from tests.concurrency import in_threads

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the chains are PostgreSQL's")


def _rows(n, label="row"):
    return [record(action=Action.READ, detail=f"{label} {i}", patient=i) for i in range(n)]


def test_anchor_names_the_last_row_of_every_chain_and_verifies():
    rows = _rows(3)
    row = anchor()
    assert row.heads == {str(rows[-1].chain): [rows[-1].pk, rows[-1].hash]}
    assert verify_chain() == (True, None, "audit chain intact")


def test_deleting_the_last_row_after_an_anchor_is_detected():
    rows = _rows(3)
    anchor()
    AuditEvent.objects.filter(pk=rows[-1].pk).delete()
    ok, bad_id, message = verify_chain()
    assert (ok, bad_id) == (False, rows[-1].pk) and "anchor" in message


def test_deleting_a_row_inside_a_chain_is_detected_without_an_anchor():
    rows = _rows(3)
    AuditEvent.objects.filter(pk=rows[1].pk).delete()
    assert verify_chain()[:2] == (False, rows[2].pk)


def test_an_inserted_row_is_detected():
    rows = _rows(2)
    forged = AuditEvent(created_at=rows[0].created_at, action=Action.READ, detail="差し込み", chain=rows[0].chain,
                        prev_hash=rows[0].hash)
    forged.hash = forged.compute_hash()
    forged.save()
    assert verify_chain()[0] is False


def test_an_altered_or_removed_anchor_is_detected():
    _rows(1)
    first = anchor()
    _rows(1, "later")
    anchor()
    AuditAnchor.objects.filter(pk=first.pk).update(heads={"0": [1, "0" * 64]})
    assert verify_chain()[0] is False
    AuditAnchor.objects.filter(pk=first.pk).delete()
    assert verify_chain()[0] is False


def test_anchor_command_writes_an_anchor(capsys):
    _rows(2)
    call_command("anchor_audit")
    assert AuditAnchor.objects.count() == 1 and "anchor" in capsys.readouterr().out
    assert verify_chain()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_holding_a_chain_does_not_hold_up_another_writer():
    """With one global lock the second writer would wait for the first to commit; now it takes another chain."""
    holding, release, results = threading.Event(), threading.Event(), {}

    def first_writer():
        try:
            with transaction.atomic():
                results["first"] = record(action=Action.UPDATE, detail="長い取引の中")
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # a wait for the first writer's chain would fail here
            second = record(action=Action.READ, detail="待たずに書ける")
    finally:
        release.set()
        thread.join()
    assert second.chain != results["first"].chain
    assert verify_chain() == (True, None, "audit chain intact")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_use_several_chains_and_every_chain_verifies():
    def write(n):
        for i in range(20):
            with transaction.atomic():
                record(action=Action.READ, detail=f"writer {n} row {i}", patient=i)
                record(action=Action.UPDATE, detail=f"writer {n} row {i} b", patient=i)

    in_threads(write, 4)
    assert AuditEvent.objects.filter(detail__startswith="writer ").count() == 160
    assert AuditEvent.objects.values("chain").distinct().count() > 1
    anchor()
    assert verify_chain() == (True, None, "audit chain intact")


@postgresql_only
def test_a_transaction_keeps_its_chain_for_all_its_rows():
    with transaction.atomic():
        first, second = _rows(2)
    assert first.chain == second.chain and second.prev_hash == first.hash
