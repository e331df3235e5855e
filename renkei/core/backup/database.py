"""The database's part of a backup: a consistent snapshot and its restore, with each engine's own tools.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent state while the
site runs; a file copy could catch a half-written page or miss the WAL. PostgreSQL: `pg_dump -Fc`
run on a snapshot exported by a REPEATABLE READ transaction, so the manifest's row counts and
file list are read from exactly the state that is dumped; `pg_restore` loads it into an empty
database. Both keep what a row-level copy would lose: triggers, sequences and the migration state.
"""
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import connection


class Cursor(Protocol):
    """A DB-API cursor: sqlite3's, psycopg's, or Django's wrapper of either."""

    def execute(self, sql: str, params: Any = ..., /) -> object: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


class DatabaseError(Exception):
    """The database could not be dumped or restored; the message says why."""


def engine() -> str:
    """"sqlite" or "postgresql" (other engines are not supported)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise DatabaseError(f"backup supports SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def table_names(cursor: Cursor, vendor: str) -> list[str]:
    """The names of the tables in the database (or the PostgreSQL schema in use)."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def row_counts(cursor: Cursor, vendor: str) -> dict[str, int]:
    """{table: number of rows} for every table."""
    counts: dict[str, int] = {}
    for name in table_names(cursor, vendor):
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _tool(name: str) -> str:
    folder = getattr(settings, "PG_BIN_DIR", "")
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise DatabaseError(f"{name} was not found: install the PostgreSQL client of the server's version "
                            "(or set PG_BIN_DIR)")
    return path


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    """Connection arguments for pg_dump/pg_restore from Django's settings (password through the environment)."""
    import os

    params = connection.settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    args: list[str] = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise DatabaseError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


@contextmanager
def snapshot(workdir: str | Path) -> Iterator[tuple[Path, Cursor]]:
    """Yield (dump file, DB-API cursor): the dump and a cursor that reads exactly the dumped state."""
    vendor = engine()
    if vendor == "sqlite":
        path = Path(workdir) / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            with target:
                connection.connection.backup(target)
            yield path, target.cursor()
        finally:
            target.close()
        return
    path = Path(workdir) / "database.pgdump"
    own = connection.copy()
    own.ensure_connection()
    raw = own.connection
    cursor = raw.cursor()
    try:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        env, args = _pg_env_and_args()
        _run([_tool("pg_dump"), *args, "--format=custom", f"--snapshot={snapshot_id}", "--no-owner",
              "--no-privileges", "--file", str(path), own.settings_dict["NAME"]], env)
        yield path, cursor
        cursor.execute("COMMIT")
    finally:
        own.close()


def database_is_empty() -> bool:
    """Whether the configured database has no tables (a PostgreSQL database not yet created counts)."""
    if engine() == "postgresql":
        _create_postgresql_database()
    with connection.cursor() as cursor:
        return not table_names(cursor, connection.vendor)


def _create_postgresql_database() -> bool:
    """Create the configured PostgreSQL database when it does not exist yet; True when created."""
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            return False
        cursor.execute(f'CREATE DATABASE "{name}"')
    return True


def load(dump: Path, vendor: str) -> None:
    """Load a dump into the configured (empty) database."""
    if vendor != engine():
        raise DatabaseError(f"this archive holds a {vendor} database; the configured database is {engine()}")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    env, args = _pg_env_and_args()
    connection.close()
    _run([_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname", connection.settings_dict["NAME"], str(dump)], env)


def empty_database() -> None:
    """Undo a load whose verification failed: leave the database as empty as it was found."""
    if engine() == "sqlite":
        connection.ensure_connection()
        blank = sqlite3.connect(":memory:")
        try:
            blank.backup(connection.connection)
        finally:
            blank.close()
        return
    with connection.cursor() as cursor:
        for name in table_names(cursor, "postgresql"):
            cursor.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace"
        )
        for (signature,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
