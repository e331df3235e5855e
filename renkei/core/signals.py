"""Security events that Django and django-axes announce, written to the audit trail; credential changes
(a new password, a removed second factor) handed to `credentials`."""
from collections.abc import Iterable
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import credentials
from .audit import Action, record
from .models import User


@receiver(user_logged_in)
def _logged_in(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(action=Action.LOGIN_SUCCESS, request=request, actor=user)


@receiver(user_logged_out)
def _logged_out(sender: type, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(action=Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def _login_failed(sender: str, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kwargs: Any) -> None:
    record(action=Action.LOGIN_FAILURE, request=request, detail=f"username={credentials.get('username', '')}")


@receiver(user_locked_out)
def _locked_out(sender: object, request: HttpRequest | None = None, username: str | None = None,
                ip_address: str | None = None, **kwargs: Any) -> None:
    record(action=Action.LOCKOUT, request=request, detail=f"username={username or ''}")


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_password_change(sender: type[User], instance: User, update_fields: Iterable[str] | None = None,
                          **kwargs: Any) -> None:
    instance._password_changing = credentials.password_will_change(instance, update_fields)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _password_changed(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if getattr(instance, "_password_changing", False):
        instance._password_changing = False
        credentials.password_changed(user=instance)


@receiver(post_delete, sender=TOTPDevice)
def _second_factor_removed(sender: type[TOTPDevice], instance: TOTPDevice, **kwargs: Any) -> None:
    # A cascade from deleting the account itself is no reset.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if instance.confirmed and user is not None:
        credentials.second_factor_reset(user=user)
