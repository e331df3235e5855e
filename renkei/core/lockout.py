"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): JSON for API callers, a page
that says how long to wait for people."""
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _minutes() -> int:
    minutes: int = math.ceil(settings.AXES_COOLOFF_TIME * 60)
    return minutes


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: object = None) -> HttpResponse:
    """429 with {"detail"} under /api/, else the Japanese lock-out page; both say how long the lock lasts."""
    message = (
        f"ログインの失敗が続いたため、このアカウントは{_minutes()}分間ログインできません。"
        "時間をおいて再度お試しいただくか、市の担当者に解除を依頼してください。"
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "core/locked_out.html", {"message": message}, status=429)
