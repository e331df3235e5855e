"""Security events that Django and django-axes announce, written to the audit trail; credential changes
(a new password, a removed second factor) handed to `credentials`."""
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import credentials
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


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_password_change(sender, instance, update_fields=None, **kwargs):
    instance._password_changing = credentials.password_will_change(instance, update_fields)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _password_changed(sender, instance, created, **kwargs):
    if getattr(instance, "_password_changing", False):
        instance._password_changing = False
        credentials.password_changed(user=instance)


@receiver(post_delete, sender=TOTPDevice)
def _second_factor_removed(sender, instance, **kwargs):
    # A cascade from deleting the account itself is no reset.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if instance.confirmed and user is not None:
        credentials.second_factor_reset(user=user)
