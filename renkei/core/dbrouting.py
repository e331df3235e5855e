"""Which database answers a query: the primary, or one of the read replicas (docs/scaling.md).

Everything goes to the primary ("default") unless all of these hold:
- read replicas are configured (DATABASE_REPLICA_URLS; settings.DATABASE_REPLICAS names their aliases);
- the query is a read inside a block marked replica-safe (`replica_reads(scope)`, on the views of the
  public directory, its public API and the annual report figures, and nowhere else);
- the model belongs to that scope: the directory scope holds only the published directory tables; the
  report scope holds the records the figures are counted from (counts only leave the database);
- the model never decides who may see what (accounts, affiliations, tokens, sessions, the audit trail:
  ALWAYS_PRIMARY), nor is it reached through such a row (user.acts_for.all()), so an access check never
  reads a lagging copy;
- no transaction is open on the primary, and the request has not written anything yet: after its first
  write a request reads only the primary (read-your-writes), until it ends.

A replica lags the primary by a moment; the directory's published entries and a year's counts can, a
patient's record cannot, which is why patient pages are never marked and patient rows are never read there.
"""
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"

# Tables of the published directory: what anyone may read on the public pages and API.
DIRECTORY_MODELS = frozenset({
    "core.facility", "core.municipality",
    "directory.organization", "directory.facilityprofile", "directory.service", "directory.schedule",
    "directory.phone", "directory.contact", "directory.servicearea", "directory.facilitycapability",
    "directory.consultationwindow", "directory.capacity",
})
# Never read from a replica, whatever the scope: who someone is and what they may see, and the trail.
ALWAYS_PRIMARY_APPS = frozenset({"auth", "sessions", "admin", "otp_totp", "otp_static", "axes", "contenttypes"})
ALWAYS_PRIMARY_MODELS = frozenset({
    "core.user", "core.affiliation", "core.apitoken", "core.auditevent", "core.idempotencykey",
})
# Writes that do not pin the request to the primary: the append-only trail (no read of the request
# depends on it) and the session (saved after the view has answered).
UNPINNING_WRITES = frozenset({"core.auditevent", "sessions.session"})
SCOPES = ("directory", "reports")


@dataclass
class _State:
    scope: str = ""
    pinned: bool = False


_state: ContextVar[_State | None] = ContextVar("renkei_db_routing", default=None)


def _label(model: Any) -> str:
    return str(model._meta.label_lower)


def _in_scope(scope: str, label: str) -> bool:
    if label in ALWAYS_PRIMARY_MODELS or label.split(".", 1)[0] in ALWAYS_PRIMARY_APPS:
        return False
    if scope == "directory":
        return label in DIRECTORY_MODELS
    return scope == "reports"


def _reached_from_primary_only(hints: dict[str, Any]) -> bool:
    """A read through a relation of an account (user.acts_for.all()) answers an access question."""
    instance = hints.get("instance")
    return instance is not None and not _in_scope("reports", _label(instance))


class ReplicaRouter:
    """Reads of replica-safe blocks to a replica (see the module's docstring); every write to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        replicas = settings.DATABASE_REPLICAS
        state = _state.get()
        if (
            not replicas
            or state is None
            or not state.scope
            or state.pinned
            or connections[PRIMARY].in_atomic_block
            or not _in_scope(state.scope, _label(model))
            or _reached_from_primary_only(hints)
        ):
            return PRIMARY
        return random.choice(replicas)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _state.get()
        if state is not None and _label(model) not in UNPINNING_WRITES:
            state.pinned = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # replicas follow the primary's schema by replication


@contextmanager
def replica_reads(scope: str) -> Iterator[None]:
    """Mark a block whose reads of `scope`'s tables may come from a replica (no-op without replicas)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown replica scope {scope!r}")
    state = _state.get()
    token = _state.set(_State(scope=scope)) if state is None else None
    current = _state.get()
    assert current is not None
    previous, current.scope = current.scope, scope
    try:
        yield
    finally:
        current.scope = previous
        if token is not None:
            _state.reset(token)


def replica_safe(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of replica_reads for a view (put it under the access-checking decorators)."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with replica_reads(scope):
                return view(*args, **kwargs)
        return wrapper
    return decorate


class RoutingMiddleware:
    """One routing state per request, so that a write anywhere in it pins the rest of it to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _state.set(_State())
        try:
            return self.get_response(request)
        finally:
            _state.reset(token)
