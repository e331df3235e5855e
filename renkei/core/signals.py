"""Security events that Django and django-axes announce, written to the audit trail."""
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import Action, record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(action=Action.LOGIN_SUCCESS, request=request, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(action=Action.LOGIN_FAILURE, request=request, detail=f"username={credentials.get('username', '')}")


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(action=Action.LOCKOUT, request=request, detail=f"username={username or ''}")
