"""The default SQLite database serves several workers: WAL, a busy timeout, and write locks taken at BEGIN."""
import threading

import dj_database_url
import pytest
from django.conf import settings
from django.db import connections, transaction

ALIAS = "sqlite_probe"
WORKERS, ROUNDS = 4, 25


@pytest.fixture
def probe(tmp_path, django_db_blocker):
    """A second alias on a file database, configured exactly as settings configure the default SQLite one."""
    params = dj_database_url.parse(f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    params["OPTIONS"] = dict(settings.SQLITE_OPTIONS)
    connections.settings[ALIAS] = connections.configure_settings({"default": params, ALIAS: params})[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, seen INTEGER)")
        yield connections[ALIAS]
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _pragma(connection, name):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_the_database_runs_in_wal_mode(probe):
    assert _pragma(probe, "journal_mode") == "wal"


def test_a_locked_database_is_waited_for_seconds_not_failed_at_once(probe):
    assert _pragma(probe, "busy_timeout") >= 10_000


def test_concurrent_read_then_write_transactions_never_see_database_is_locked(probe):
    """Each worker reads, then writes, in one transaction (as the audit trail's append does)."""
    start, errors = threading.Barrier(WORKERS), []

    def work():
        try:
            start.wait()
            for _ in range(ROUNDS):
                with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM visit")
                    seen = cursor.fetchone()[0]
                    cursor.execute("INSERT INTO visit (seen) VALUES (%s)", [seen])
        except Exception as error:  # noqa: BLE001 - every failure of a worker is what the test looks for
            errors.append(repr(error))
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with probe.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT seen) FROM visit")
        assert cursor.fetchone() == (WORKERS * ROUNDS, WORKERS * ROUNDS)
