"""The audit trail: the one function every part calls to record security events and patient-data access."""
import ipaddress

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditAnchor, AuditEvent, User

GENESIS_HASH = "0" * 64


class Action:
    """Audit action names (stable strings, searched and exported by staff)."""

    LOGIN_SUCCESS = "login.success"
    LOGIN_FAILURE = "login.failure"
    LOCKOUT = "login.lockout"
    UNLOCK = "login.unlocked"
    LOGOUT = "logout"
    OTP_SUCCESS = "otp.success"
    OTP_FAILURE = "otp.failure"
    OTP_ENROLLED = "otp.enrolled"
    OTP_THROTTLED = "otp.throttled"
    OTP_RESET = "otp.reset"
    PERMISSION_DENIED = "permission.denied"
    CSRF_FAILURE = "csrf.failure"
    REGISTRATION_APPLIED = "registration.applied"
    REGISTRATION_APPROVED = "registration.approved"
    REGISTRATION_REJECTED = "registration.rejected"
    REGISTRATION_INVALID = "registration.invalid"
    REGISTRATION_DUPLICATE = "registration.duplicate"
    REGISTRATION_THROTTLED = "registration.throttled"
    REGISTRATION_WITHDRAWN = "registration.withdrawn"
    FACILITY_ADMIN_NOMINATED = "facility_admin.nominated"
    FACILITY_ADMIN_APPROVED = "facility_admin.approved"
    FACILITY_ADMIN_REJECTED = "facility_admin.rejected"
    FACILITY_ADMIN_REVOKED = "facility_admin.revoked"
    FACILITY_STAFF_REGISTERED = "facility_staff.registered"
    FACILITY_STAFF_WITHDRAWN = "facility_staff.withdrawn"
    FACILITY_STAFF_IMPORTED = "facility_staff.imported"
    TOKEN_ISSUED = "token.issued"
    TOKEN_REJECTED = "token.rejected"
    TOKEN_REVOKED = "token.revoked"
    PASSWORD_RESET_REQUESTED = "password.reset_requested"
    PASSWORD_RESET = "password.reset"
    PASSWORD_CHANGED = "password.changed"
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    DOWNLOAD = "download"

    @classmethod
    def all(cls) -> list[str]:
        """Every action name, for the search form of the audit trail."""
        return sorted(v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str))


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, read through TRUSTED_PROXY_COUNT reverse proxies (also used by django-axes).

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the entry
    that many places from the end; anything before it could be forged by the client.
    """
    ip = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and forwarded:
        ip = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def _client(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return client_ip(request), (request.META.get("HTTP_USER_AGENT") or "")[:300]


CHAIN_LOCK = 727274

# The trail is AUDIT_CHAINS hash chains rather than one: each append extends one chain under that chain's
# advisory lock, so concurrent writers (workers, servers) do not queue behind one global lock. On
# PostgreSQL an append is ONE round trip of two statements (client-side parameter binding) run in one
# transaction (the caller's, or the implicit one of a multi-statement query). The first takes a free
# chain: renkei_audit_chain() (migration core 0007) tries the chains from this connection's own (its
# backend pid modulo AUDIT_CHAINS) onwards without waiting and waits only when every chain is taken; a
# transaction that already holds a chain gets it again. The second statement, with a snapshot taken
# after the lock, reads that chain's previous hash through the (chain, id) index and computes this row's
# hash in the database over exactly the bytes AuditEvent.compute_hash() hashes (previous hash +
# hashed_content()), so verify_chain() checks it.
_APPEND_SQL = """SELECT set_config('renkei.audit_chain', renkei_audit_chain(%s, %s, %s)::text, true);
INSERT INTO core_auditevent (created_at, actor_id, actor_username, action, object_type, object_id, patient_id,
                             detail, ip, user_agent, chain, prev_hash, hash)
SELECT %s::timestamptz, %s::bigint, %s::text, %s::text, %s::text, %s::text, %s::text, %s::text, %s::inet, %s::text,
       prev.c, prev.h, encode(sha256(convert_to(prev.h || %s::text, 'UTF8')), 'hex')
FROM (SELECT c, COALESCE((SELECT hash FROM core_auditevent WHERE chain = c ORDER BY id DESC LIMIT 1), %s::text) AS h
      FROM (SELECT current_setting('renkei.audit_chain')::smallint AS c) AS chosen) AS prev
RETURNING id, chain, prev_hash, hash"""


def _one_round_trip() -> bool:
    """Whether this connection can send the two statements of _APPEND_SQL at once (psycopg 3, client binding)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3) and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")


def chains() -> int:
    """How many chains the trail has (AUDIT_CHAINS; one on SQLite, whose writers are serialised anyway)."""
    return max(1, int(settings.AUDIT_CHAINS)) if connection.vendor == "postgresql" else 1


def _home_chain() -> int:
    """The chain this connection tries first: spreads the workers' connections over the chains."""
    connection.ensure_connection()  # the append may be the request's first query
    raw = connection.connection
    pid = getattr(getattr(raw, "info", None), "backend_pid", None) or getattr(raw, "get_backend_pid", lambda: 0)()
    return int(pid) % chains()


def _append_postgresql(event: AuditEvent) -> None:
    params = (
        CHAIN_LOCK, _home_chain(), chains(), event.created_at, event.actor_id, event.actor_username, event.action,
        event.object_type, event.object_id, event.patient_id, event.detail, event.ip, event.user_agent,
        event.hashed_content(), GENESIS_HASH,
    )
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_SQL, params)
        cursor.nextset()
        event.pk, event.chain, event.prev_hash, event.hash = cursor.fetchone()
    event._state.adding, event._state.db = False, connection.alias


def _append_locked(event: AuditEvent) -> None:
    """The portable append (SQLite, or PostgreSQL with server-side binding): lock a chain, read, insert."""
    with transaction.atomic(savepoint=False):
        event.chain = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT renkei_audit_chain(%s, %s, %s)", [CHAIN_LOCK, _home_chain(), chains()])
                event.chain = cursor.fetchone()[0]
        event.prev_hash = (AuditEvent.objects.filter(chain=event.chain).order_by("-id")
                           .values_list("hash", flat=True).first() or GENESIS_HASH)
        event.hash = event.compute_hash()
        event.save()


def record(*, action: str, request: HttpRequest | None = None, actor: User | None = None, obj: Model | None = None,
           object_type: str = "", object_id: object = "", patient: object = None, detail: object = "") -> AuditEvent:
    """Append one row to the audit trail and return it.

    `obj` (any model instance) fills object_type/object_id; `patient` (instance or id) marks
    rows about patient data so they can be searched per patient.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    patient_id = str(getattr(patient, "pk", patient) or "")
    ip, user_agent = _client(request)
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient_id,
        detail=str(detail)[:2000],
        ip=ip,
        user_agent=user_agent,
    )
    if _one_round_trip():
        _append_postgresql(event)
    else:
        # Inside the caller's transaction no savepoint is needed (a failed append fails the whole write).
        _append_locked(event)
    return event


def anchor() -> AuditAnchor:
    """Write an anchor naming every chain's last row; a later deletion of such a row is then detected.

    Reads the heads without taking the chains' locks (each head is a committed row); anchors extend their
    own chain under one lock of their own, taken only here (every minute), never by an ordinary append.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ANCHOR_LOCK])
        heads = {str(chain): [pk, digest] for chain, pk, digest in _heads()}
        previous = AuditAnchor.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        row = AuditAnchor(created_at=timezone.now(), heads=heads, prev_hash=previous)
        row.hash = row.compute_hash()
        row.save()
    return row


ANCHOR_LOCK = 727275


def _heads() -> list[tuple[int, int, str]]:
    """(chain, id, hash) of the last row of every chain, through the (chain, id) index."""
    last_ids = AuditEvent.objects.values("chain").annotate(last=models.Max("id")).values_list("last", flat=True)
    return list(AuditEvent.objects.filter(id__in=list(last_ids)).order_by("chain").values_list("chain", "id", "hash"))


def verify_chain() -> tuple[bool, int | None, str]:
    """Walk every chain in order and check the anchors; return (ok, first_bad_id, message).

    A row altered, inserted into a chain or deleted from inside one breaks that chain's links; a row deleted
    from the end of a chain is caught by any anchor written after it (an anchor names a row that is gone or
    differs). Rows appended after the last anchor are covered by the next one.
    """
    expected: dict[int, str] = {}
    for event in AuditEvent.objects.order_by("chain", "id").iterator(chunk_size=2000):
        if event.prev_hash != expected.get(event.chain, GENESIS_HASH):
            return False, event.id, f"row {event.id}: the row before it was deleted or altered"
        if event.compute_hash() != event.hash:
            return False, event.id, f"row {event.id}: content was altered"
        expected[event.chain] = event.hash
    return _verify_anchors()


def _verify_anchors() -> tuple[bool, int | None, str]:
    # A row that is not the last of its chain is covered by the links; so each chain's row named by the
    # newest anchor is the one to look up (a deleted tail makes it missing, an older named row has successors).
    previous = GENESIS_HASH
    named: dict[str, tuple[int, str, int]] = {}
    for row in AuditAnchor.objects.order_by("id").iterator(chunk_size=500):
        if row.prev_hash != previous or row.compute_hash() != row.hash:
            return False, None, f"anchor {row.id}: an anchor was altered or deleted"
        previous = row.hash
        for chain, (pk, digest) in row.heads.items():
            named[chain] = (pk, digest, row.id)
    stored = dict(AuditEvent.objects.filter(id__in=[pk for pk, _, _ in named.values()]).values_list("id", "hash"))
    for pk, digest, anchor_id in sorted(named.values()):
        if stored.get(pk) != digest:
            return False, pk, f"row {pk}: named by anchor {anchor_id}, but deleted or altered"
    return True, None, "audit chain intact"
