"""Notification settings (通知設定): which notifications reach the phones, quiet hours, this browser's push."""
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renkei.core.auth import verified_required
from renkei.core.errors import audit_refusal, show_error

from .. import push, selectors, services
from ..forms import NotificationSettingsForm
from ..requests import SignedInRequest
from ..services.devices import PREFERENCE_FIELDS


@verified_required
def notification_settings(request: SignedInRequest) -> HttpResponse:
    """The settings form and the list of the user's devices; the page's script registers this browser."""
    preference = selectors.notification_preference_of(request.user)
    form = NotificationSettingsForm(request.POST or None,
                                    initial={name: getattr(preference, name) for name in PREFERENCE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preferences(user=request.user, request=request, **form.cleaned_data)
        except services.Refused as refused:
            show_error(request, refused, form)
        else:
            messages.success(request, "通知設定を保存しました。")
            return redirect("network:notification_settings")
    context = {
        "form": form,
        "devices": selectors.push_devices_of(request.user),
        "push_enabled": push.is_configured(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY if push.is_configured() else "",
    }
    return render(request, "network/notification_settings.html", context, status=400 if form.errors else 200)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    return body if isinstance(body, dict) else {}


@verified_required
@require_POST
def push_subscribe(request: SignedInRequest) -> HttpResponse:
    """This browser's PushSubscription (JSON as the browser gives it), registered for the signed-in user."""
    body = _json_body(request)
    keys = body["keys"] if isinstance(body.get("keys"), dict) else {}
    try:
        services.subscribe(user=request.user, endpoint=str(body.get("endpoint") or ""),
                           p256dh=str(keys.get("p256dh") or ""), auth=str(keys.get("auth") or ""), request=request)
    except services.Refused as refused:
        audit_refusal(request, status=refused.status, reason=refused.message)
        return JsonResponse({"detail": refused.message}, status=refused.status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"detail": "この端末で通知を受け取ります。"}, status=201, json_dumps_params={"ensure_ascii": False})


@verified_required
@require_POST
def push_unsubscribe(request: SignedInRequest) -> HttpResponse:
    """Forget one of the user's devices: this browser (JSON endpoint, from the script) or one from the list (id)."""
    device_id = request.POST.get("device")
    endpoint = None if device_id else str(_json_body(request).get("endpoint") or "")
    try:
        pk = int(device_id) if device_id else None
    except ValueError:
        pk = 0
    try:
        services.unsubscribe(user=request.user, endpoint=endpoint, pk=pk, request=request)
    except services.Refused as refused:
        if device_id is None:
            audit_refusal(request, status=refused.status, reason=refused.message)
            return JsonResponse({"detail": refused.message}, status=refused.status,
                                json_dumps_params={"ensure_ascii": False})
        show_error(request, refused)
        return redirect("network:notification_settings")
    if device_id is None:
        return JsonResponse({"detail": "この端末の通知を止めました。"}, json_dumps_params={"ensure_ascii": False})
    messages.success(request, "端末の登録を解除しました。")
    return redirect("network:notification_settings")
