"""Timestamps read from PostgreSQL with psycopg's C parser.

Django's PostgreSQL backend gives every connection a `timestamptz` loader that subclasses psycopg's
pure-Python one (to attach Django's time zone to each value), so every timestamp of every row is parsed in
Python with a regular expression although psycopg-binary ships a C parser: the largest single cost of a
timeline page in the region profile (docs/benchmark.md, "Where the time goes"). The loader here parses with
psycopg's C loader and attaches the time zone exactly as Django's does (`replace(tzinfo=...)` after the
conversion to the connection's zone); tests/core/test_pgtypes.py compares its values with Django's.

Installed on each new connection (connection_created, see apps.py) where psycopg's C implementation is
present; elsewhere (the pure-Python psycopg, psycopg2, SQLite) nothing changes.
"""
import datetime
import functools
from typing import Any

TIMESTAMPTZ = "timestamptz"


@functools.cache
def _c_loader() -> Any:
    """psycopg's C timestamptz loader class, or None without psycopg's C implementation (looked up once per
    process: every new connection asks)."""
    try:
        import psycopg
        from psycopg import postgres
        from psycopg.pq import Format
    except ImportError:
        return None
    if psycopg.pq.__impl__ not in ("c", "binary"):
        return None
    loader = postgres.adapters.get_loader(postgres.types[TIMESTAMPTZ].oid, Format.TEXT)
    return None if loader is None or loader.__module__.startswith("psycopg.types") else loader


@functools.cache
def fast_loader(zone: datetime.tzinfo | None) -> Any:
    """A loader class like Django's for this time zone (None: values left naive), parsing in C."""
    from psycopg.adapt import Loader

    parser = _c_loader()

    class CTimestamptzLoader(Loader):
        """Django's timestamptz loader (its `timezone` attribute included), with psycopg's C parser."""

        timezone: datetime.tzinfo | None = zone  # what Django's create_cursor compares with its own

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._parse = parser(oid, context).load

        def load(self, data: Any) -> datetime.datetime:
            return self._parse(data).replace(tzinfo=self.timezone)  # type: ignore[no-any-return]

    return CTimestamptzLoader


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: replace Django's Python timestamptz loader on a psycopg 3 connection."""
    if connection.vendor != "postgresql" or _c_loader() is None:
        return
    from psycopg.postgres import types
    from psycopg.pq import Format

    adapters = connection.connection.adapters
    current = adapters.get_loader(types[TIMESTAMPTZ].oid, Format.TEXT)
    if current is None or not hasattr(current, "timezone"):
        return  # not Django's loader: leave whatever registered it alone
    adapters.register_loader(TIMESTAMPTZ, fast_loader(current.timezone))
