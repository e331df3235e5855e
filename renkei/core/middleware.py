"""Idle session timeout: a session unused for SESSION_IDLE_TIMEOUT_MINUTES is logged out."""
import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_KEY = "_renkei_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
