"""A database that cannot be reached answers 503 with Retry-After, never 500.

Two hooks share one answer: the middleware's process_exception catches what a view (or the API's
token check) raises; `server_error` (the project's handler500) catches what the middleware chain
raises before or after the view — loading the session or the user — which Django turns into a
response at the failing layer, out of reach of any outer middleware. The API answers JSON
{"detail"}; pages answer a standalone Japanese page that needs no database (base.html does: the
navigation and the bell query it).

Django logs every 5xx answer as an error (mailed to ADMINS): during an outage that is a mail per
request, so these answers are marked as logged and one warning is written instead; the readiness
check (/api/v1/health/ready) is what tells operators the database is away.
"""
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.deprecation import MiddlewareMixin
from django.views import defaults

logger = logging.getLogger("renkei.unavailable")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
API_DETAIL = "データベースに一時的に接続できません。しばらくしてからもう一度お試しください。"


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 answer for a request that could not reach the database."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    logger.warning("database unavailable on %s %s: %s", request.method, request.path, reason)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": API_DETAIL}, status=503)
    else:
        # No request in the context: context processors (navigation, bell) would query the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own error log (and its mail) would fire per request
    return response


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Turns a database error raised by a view into 503 + Retry-After."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable_response(request, exception)
        return None


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: a database error raised in the middleware chain answers 503; anything else 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return unavailable_response(request, exc)
    return defaults.server_error(request, template_name)
