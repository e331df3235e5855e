"""Every migrate checks the post-tally triggers: it replaces them only when their definition changed, in one
transaction that waits for the table lock a bounded time, so posts written meanwhile are all counted."""
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from renkei.network import tally
from renkei.network.models import PatientPostYear, Post
from tests.factories import UserFactory
from tests.network.factories import PatientFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def _tally():
    return {(r.patient_id, r.fiscal_year): r.posts for r in PatientPostYear.objects.filter(posts__gt=0)}


@pytest.mark.django_db
def test_a_migrate_with_nothing_to_apply_drops_no_trigger():
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)
    assert not [q["sql"] for q in queries if "DROP" in q["sql"].upper()]


@pytest.mark.django_db
def test_installing_triggers_that_are_already_as_wanted_runs_no_statement():
    assert tally.install() == 0


@pytest.mark.django_db
def test_a_changed_definition_is_replaced_once(settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # the zone is part of the triggers
    assert tally.install() > 0
    assert tally.install() == 0


@postgresql_only
@pytest.mark.django_db
def test_a_table_locked_by_another_transaction_makes_migrate_fail_loudly(settings, monkeypatch):
    monkeypatch.setattr(tally, "LOCK_TIMEOUT", "50ms")
    monkeypatch.setattr(tally, "RETRY_DELAY_SECONDS", 0)
    settings.TIME_ZONE = "Asia/Shanghai"
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        other.cursor().execute("LOCK TABLE network_post IN ROW EXCLUSIVE MODE")  # as any open write does
        with pytest.raises(RuntimeError, match="network_post stayed locked"):
            tally.install()
    finally:
        other.rollback()
        other.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_no_op_migrates_during_concurrent_inserts_leave_the_tally_equal_to_a_recount():
    patient, author = PatientFactory(), UserFactory()
    stop = threading.Event()
    written = []

    def writer():
        count = 0
        try:
            while not stop.is_set():
                Post.objects.create(patient=patient, author=author, body=f"{count}")
                count += 1
        finally:
            written.append(count)
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(5):
            call_command("migrate", verbosity=0)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    kept = _tally()
    tally.recount()
    assert kept == _tally() and sum(kept.values()) == sum(written) > 0
