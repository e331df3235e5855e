"""Team posts per patient per fiscal year (PatientPostYear), kept by database triggers.

The annual report shows, per fiscal year, how many posts the care teams wrote and for how many
patients (item エ). At the scale of a secondary medical area that is millions of posts; counting
them for every report took most of a five-year report's second. So the database keeps a tally:
one row per (patient, fiscal year) with the number of counted posts, changed by triggers on
network_post in the same transaction as the post itself — whatever writes the post (the app, a
bulk load, PostgreSQL COPY) — so the tally cannot drift from the posts:

- insert of a counted post: +1 on its (patient, fiscal year) row (created at 1 when missing);
- delete of a counted post: -1;
- update that changes patient, channel, kind or created_at: -1 on the old row, +1 on the new one.

Counted = a team-channel post of kind text or vitals on a patient's timeline (notices and the
family channel are not exchanges between professionals). The fiscal year starts on 1 April in
settings.TIME_ZONE; the zone is written into the triggers when they are installed, so a change of
TIME_ZONE needs `manage.py recount_post_tally` (which reinstalls them and recounts).

Every migrate checks the triggers (post_migrate) and replaces them only when their definition changed,
in one transaction: dropping and re-creating them in separate statements let posts committed in the
gap go uncounted, and waiting for the table lock behind an open transaction stalled every timeline.
"""
import datetime
import hashlib
import time
import zoneinfo

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

TABLE = "network_patientpostyear"
COUNTED_KINDS = ("text", "vitals")
_KINDS_SQL = ", ".join(f"'{k}'" for k in COUNTED_KINDS)


def _zone() -> str:
    name = settings.TIME_ZONE
    zoneinfo.ZoneInfo(name)  # a valid zone name, or an error here rather than inside a trigger
    return name


def _fixed_offset_hours() -> float:
    """SQLite has no time zones: the zone's UTC offset, which must not change over the year."""
    zone = zoneinfo.ZoneInfo(_zone())
    offsets = {datetime.datetime(2026, month, 1, tzinfo=zone).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        raise RuntimeError(f"TIME_ZONE {settings.TIME_ZONE} has daylight saving time; the SQLite tally needs a fixed offset")
    offset = offsets.pop()
    assert offset is not None  # an aware datetime of a ZoneInfo always has one
    return offset.total_seconds() / 3600


def fiscal_year_sql(column: str, vendor: str) -> str:
    """SQL for the fiscal year (April–March, in settings.TIME_ZONE) of a timestamp column."""
    if vendor == "postgresql":
        return f"EXTRACT(YEAR FROM ({column} AT TIME ZONE '{_zone()}') - INTERVAL '3 months')::integer"
    # SQLite keeps aware datetimes as UTC text; shift to local time, then back three months.
    return f"CAST(strftime('%Y', {column}, '{_fixed_offset_hours():+g} hours', '-3 months') AS INTEGER)"


def _counted(row: str) -> str:
    return f"{row}.patient_id IS NOT NULL AND {row}.channel = 'team' AND {row}.kind IN ({_KINDS_SQL})"


def _postgresql_definition() -> tuple[str, str, str]:
    """(function body, CREATE FUNCTION, CREATE TRIGGER) as this code wants them."""
    fy_new, fy_old = fiscal_year_sql("NEW.created_at", "postgresql"), fiscal_year_sql("OLD.created_at", "postgresql")
    body = f"""
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.patient_id IS NOT DISTINCT FROM NEW.patient_id AND OLD.channel = NEW.channel
       AND OLD.kind = NEW.kind AND OLD.created_at = NEW.created_at THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND {_counted("OLD")} THEN
        UPDATE {TABLE} SET posts = posts - 1 WHERE patient_id = OLD.patient_id AND fiscal_year = {fy_old};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND {_counted("NEW")} THEN
        INSERT INTO {TABLE} (patient_id, fiscal_year, posts) VALUES (NEW.patient_id, {fy_new}, 1)
        ON CONFLICT (patient_id, fiscal_year) DO UPDATE SET posts = {TABLE}.posts + 1;
    END IF;
    RETURN NULL;
END
"""
    function = f"CREATE OR REPLACE FUNCTION network_post_tally() RETURNS trigger AS $${body}$$ LANGUAGE plpgsql"
    # CREATE OR REPLACE TRIGGER (PostgreSQL 14+, as Django 5.2 requires): never a moment without the trigger.
    trigger = """CREATE OR REPLACE TRIGGER network_post_tally
AFTER INSERT OR DELETE OR UPDATE OF patient_id, channel, kind, created_at
ON network_post FOR EACH ROW EXECUTE FUNCTION network_post_tally()"""
    return body, function, trigger


def _postgresql_statements(cursor: CursorWrapper) -> list[str]:
    """The statements that bring the installed trigger to the wanted one; none when it already is."""
    body, function, trigger = _postgresql_definition()
    version = "renkei post tally " + hashlib.sha256((function + trigger).encode()).hexdigest()[:16]
    cursor.execute(
        "SELECT p.prosrc, obj_description(t.oid, 'pg_trigger') FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = 'network_post'::regclass AND t.tgname = 'network_post_tally'"
    )
    if cursor.fetchone() == (body, version):
        return []
    return [function, trigger, f"COMMENT ON TRIGGER network_post_tally ON network_post IS '{version}'"]


def _sqlite_definition() -> dict[str, str]:
    """{trigger name: CREATE TRIGGER} as this code wants them."""
    fy_new, fy_old = fiscal_year_sql("NEW.created_at", "sqlite"), fiscal_year_sql("OLD.created_at", "sqlite")
    add = (
        f"INSERT INTO {TABLE} (patient_id, fiscal_year, posts) SELECT NEW.patient_id, {fy_new}, 1 "
        f"WHERE {_counted('NEW')} ON CONFLICT (patient_id, fiscal_year) DO UPDATE SET posts = posts + 1;"
    )
    remove = (
        f"UPDATE {TABLE} SET posts = posts - 1 WHERE patient_id = OLD.patient_id AND fiscal_year = {fy_old} "
        f"AND {_counted('OLD')};"
    )
    changed = (
        "OLD.patient_id IS NOT NEW.patient_id OR OLD.channel IS NOT NEW.channel OR OLD.kind IS NOT NEW.kind "
        "OR OLD.created_at IS NOT NEW.created_at"
    )
    return {
        "network_post_tally_insert": f"CREATE TRIGGER network_post_tally_insert AFTER INSERT ON network_post BEGIN {add} END",
        "network_post_tally_delete": f"CREATE TRIGGER network_post_tally_delete AFTER DELETE ON network_post BEGIN {remove} END",
        "network_post_tally_update": f"""CREATE TRIGGER network_post_tally_update AFTER UPDATE OF patient_id, channel, kind, created_at
ON network_post WHEN {changed} BEGIN {remove} {add} END""",
    }


def _sqlite_statements(cursor: CursorWrapper) -> list[str]:
    """SQLite keeps each trigger's CREATE text verbatim: replace the ones that differ (or are missing)."""
    wanted = _sqlite_definition()
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'network_post'")
    installed = dict(cursor.fetchall())
    statements = []
    for name, sql in wanted.items():
        if installed.get(name) != sql:
            statements += [f"DROP TRIGGER IF EXISTS {name}", sql]
    return statements


def _sqlite_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS network_post_tally_{op}" for op in ("insert", "delete", "update")]


# Replacing the trigger locks network_post against writes; behind a long open transaction that wait would
# stall every timeline. So it waits LOCK_TIMEOUT at most, is tried ATTEMPTS times, then migrate fails loudly.
LOCK_TIMEOUT = "2s"
ATTEMPTS = 3
RETRY_DELAY_SECONDS = 1.0


def install(schema_connection: BaseDatabaseWrapper | None = None) -> int:
    """Bring the triggers on network_post to the wanted definition: nothing when they already are (every
    migrate calls this), else replaced in one transaction so no post is ever written without a trigger."""
    conn = schema_connection or connection
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _install_once(conn)
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != "55P03":  # 55P03: lock_not_available
                raise
            if attempt == ATTEMPTS:
                raise RuntimeError(
                    f"The post-tally trigger was not replaced: network_post stayed locked by another transaction "
                    f"({ATTEMPTS} attempts of {LOCK_TIMEOUT}). Run migrate (or recount_post_tally) again."
                ) from exc
            time.sleep(RETRY_DELAY_SECONDS)
    raise AssertionError("not reached: the last attempt returns or raises")


def _install_once(conn: BaseDatabaseWrapper) -> int:
    """One attempt; returns the number of statements run (0: the triggers were already as wanted)."""
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor != "postgresql":
            statements = _sqlite_statements(cursor)
        elif statements := _postgresql_statements(cursor):
            # Local to this transaction (or, inside a migration, to the migration's).
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
        for sql in statements:
            cursor.execute(sql)
        return len(statements)


def uninstall(schema_connection: BaseDatabaseWrapper | None = None) -> None:
    conn = schema_connection or connection
    if conn.vendor == "postgresql":
        statements = ["DROP TRIGGER IF EXISTS network_post_tally ON network_post", "DROP FUNCTION IF EXISTS network_post_tally()"]
    else:
        statements = _sqlite_uninstall()
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def recount(schema_connection: BaseDatabaseWrapper | None = None) -> int:
    """Rebuild every tally row from the posts in one statement (migration, bulk loads, the command)."""
    conn = schema_connection or connection
    fy = fiscal_year_sql("created_at", conn.vendor)
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (patient_id, fiscal_year, posts) "
            f"SELECT patient_id, {fy}, COUNT(*) FROM network_post p WHERE {_counted('p')} GROUP BY 1, 2"
        )
        rows: int = cursor.rowcount  # the DB-API leaves it untyped
        return rows
