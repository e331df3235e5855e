"""Idle session timeout, and the audit of every refusal a page answers."""
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import AppError, audit_refusal, show_error

SESSION_KEY = "_renkei_last_seen"


class IdleTimeoutMiddleware:
    """A session unused for SESSION_IDLE_TIMEOUT_MINUTES is logged out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - last > limit:
                logout(request)
                request.session["idle_logged_out"] = True
            else:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class RefusalMiddleware(MiddlewareMixin):
    """Pages: every refusal that leaves a view (Http404, PermissionDenied, AppError) is audited here.

    An AppError no view caught becomes the page answer of its status: 404 and 403 as Django's own
    pages, any other status as its messages on the page the user came from.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            audit_refusal(request, status=404, reason="not found")
        elif isinstance(exception, PermissionDenied):
            audit_refusal(request, status=403, reason=str(exception))
        elif isinstance(exception, AppError):
            if exception.status == 404:
                audit_refusal(request, status=404, reason=exception.message)
                raise Http404(exception.message)
            if exception.status == 403:
                audit_refusal(request, status=403, reason=exception.message)
                raise PermissionDenied(exception.message)
            show_error(request, exception)
            back = request.META.get("HTTP_REFERER", "")
            safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure())
            return redirect(back if safe and back else "/")
        return None
