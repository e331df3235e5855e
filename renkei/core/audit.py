"""The audit trail: the one function every part calls to record security events and patient-data access."""
import ipaddress

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent, User

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


def _lock_chain() -> None:
    """Serialise appends so that each row chains to the true previous row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


CHAIN_LOCK = 727274

# PostgreSQL appends in ONE round trip: two statements sent together (client-side parameter binding),
# run in one transaction (the caller's, or the implicit one of a multi-statement query). The first takes
# the chain lock; the second, with a snapshot taken after the lock, reads the previous hash through the
# primary key index and computes this row's hash in the database over exactly the bytes that
# AuditEvent.compute_hash() hashes (previous hash + hashed_content()), so verify_chain() checks it.
_APPEND_SQL = """SELECT pg_advisory_xact_lock(%s);
INSERT INTO core_auditevent (created_at, actor_id, actor_username, action, object_type, object_id, patient_id,
                             detail, ip, user_agent, prev_hash, hash)
SELECT %s::timestamptz, %s::bigint, %s::text, %s::text, %s::text, %s::text, %s::text, %s::text, %s::inet, %s::text,
       prev.h, encode(sha256(convert_to(prev.h || %s::text, 'UTF8')), 'hex')
FROM (SELECT COALESCE((SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1), %s::text) AS h) AS prev
RETURNING id, prev_hash, hash"""


def _one_round_trip() -> bool:
    """Whether this connection can send the two statements of _APPEND_SQL at once (psycopg 3, client binding)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3) and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")


def _append_postgresql(event: AuditEvent) -> None:
    params = (
        CHAIN_LOCK, event.created_at, event.actor_id, event.actor_username, event.action, event.object_type,
        event.object_id, event.patient_id, event.detail, event.ip, event.user_agent, event.hashed_content(),
        GENESIS_HASH,
    )
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_SQL, params)
        cursor.nextset()
        event.pk, event.prev_hash, event.hash = cursor.fetchone()
    event._state.adding, event._state.db = False, connection.alias


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
        return event
    # Elsewhere (SQLite in development and tests): lock, read the last hash, insert, in one transaction;
    # inside the caller's transaction no savepoint is needed (a failed append fails the whole write).
    with transaction.atomic(savepoint=False):
        _lock_chain()
        event.prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        event.hash = event.compute_hash()
        event.save()
    return event


def verify_chain() -> tuple[bool, int | None, str]:
    """Walk the chain in order; return (ok, first_bad_id, message)."""
    expected_prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return False, event.id, f"row {event.id}: the row before it was deleted or altered"
        if event.compute_hash() != event.hash:
            return False, event.id, f"row {event.id}: content was altered"
        expected_prev = event.hash
    return True, None, "audit chain intact"
