"""renkei.core.pgtypes: timestamps parsed by psycopg's C loader are the values Django's own loader gives
(PostgreSQL with psycopg 3's C implementation only; elsewhere nothing is installed)."""
import datetime

import pytest
from django.db import connection

from renkei.core import pgtypes

pytestmark = pytest.mark.django_db

VALUES = [
    "2026-11-29 10:00:00+00", "2026-11-29 10:00:00.000001+00", "2026-03-31 23:59:59.999999+09",
    "1999-12-31 15:00:00-05:30", "0001-01-02 00:00:00+00", "9999-12-30 12:34:56.5+00",
]


def _postgres_with_c():
    if connection.vendor != "postgresql" or pgtypes._c_loader() is None:
        pytest.skip("needs PostgreSQL through psycopg 3's C implementation")


def _read(values, *, django_loader=False, timezone=...):
    """The values read back as timestamptz: by the connection's loader, or with `timezone` (None: naive) by
    ours or Django's."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        if django_loader:
            register_tzloader(timezone, cursor.cursor)
        elif timezone is not ...:
            cursor.cursor.adapters.register_loader(pgtypes.TIMESTAMPTZ, pgtypes.fast_loader(timezone))
        cursor.execute("SELECT v::timestamptz FROM unnest(%s::text[]) AS v", [values])
        return [row[0] for row in cursor.fetchall()]


def test_the_connection_reads_timestamps_with_the_c_loader():
    _postgres_with_c()
    from psycopg.postgres import types
    from psycopg.pq import Format

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(types[pgtypes.TIMESTAMPTZ].oid, Format.TEXT)
    assert loader is pgtypes.fast_loader(connection.timezone)
    assert loader.timezone is connection.timezone  # what Django's create_cursor compares


def test_values_equal_djangos_with_the_same_tzinfo():
    _postgres_with_c()
    ours = _read(VALUES)
    djangos = _read(VALUES, django_loader=True, timezone=connection.timezone)
    assert ours == djangos
    assert [v.tzinfo for v in ours] == [v.tzinfo for v in djangos] == [connection.timezone] * len(VALUES)
    assert ours[1].microsecond == 1 and ours[2] == datetime.datetime(2026, 3, 31, 14, 59, 59, 999999, tzinfo=datetime.UTC)


def test_a_loader_without_time_zone_leaves_values_naive_as_djangos_does():
    _postgres_with_c()
    ours = _read(VALUES, timezone=None)
    djangos = _read(VALUES, django_loader=True, timezone=None)
    assert ours == djangos and all(v.tzinfo is None for v in ours)


def test_a_null_stays_none_and_models_read_aware_times():
    _postgres_with_c()
    from tests.network.factories import PostFactory

    post = PostFactory(created_at=datetime.datetime(2025, 6, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC))
    post.refresh_from_db()
    assert post.created_at == datetime.datetime(2025, 6, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    assert post.retracted_at is None


def test_nothing_is_installed_on_other_databases():
    class Other:
        vendor = "sqlite"

    pgtypes.install(sender=None, connection=Other())  # no error, no adapters touched
