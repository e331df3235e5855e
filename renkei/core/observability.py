"""Observability: one JSON log line per request (LOG_FORMAT=json) and Sentry when SENTRY_DSN is set
(server errors reach ADMINS by mail through Django's own logging, see settings).

Renkei carries medical personal data, so what leaves the process is chosen here: the request line has
the path without its query string (searches carry names), the user id but no name; Sentry gets no
request bodies, cookies, query strings or local variables.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from .querycount import counting_queries

if TYPE_CHECKING:
    from sentry_sdk.types import Event

request_logger = logging.getLogger("renkei.request")
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_REQUEST_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms", "sql_count")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for field in _REQUEST_FIELDS[1:]:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already loaded the user; never a query just for the log."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    pk: int | None = user.pk if user.is_authenticated else None
    return pk


class RequestLogMiddleware:
    """Gives each request an id (a sane X-Request-ID from the proxy, else a new one), returns it in the
    X-Request-ID header and logs one line: id, user id, method, path, status, duration, SQL count."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            with counting_queries() as stats:
                response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        fields = {
            "request_id": request_id,
            "user_id": _user_id(request),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "sql_count": stats.count,
        }
        request_logger.info("%s %s %s", request.method, request.path, response.status_code, extra=fields)
        return response


def _scrub(event: Event, hint: dict[str, Any]) -> Event:
    """Drop what may carry personal data from a Sentry event: body, cookies, query string, headers."""
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string", "headers"):
        request.pop(key, None)
    return event


def init_sentry(dsn: str, environment: str | None = None) -> None:
    """Send errors to Sentry (sentry-sdk's Django integration), without personal data."""
    import sentry_sdk

    # No send_default_pii: off is sentry-sdk's default (newer releases deprecate the option for
    # data_collection, whose defaults send no user data either); passing it would only warn.
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        include_local_variables=False,  # a frame's locals can hold a patient's record
        max_request_body_size="never",
        before_send=_scrub,
        traces_sample_rate=0,
    )
