"""When an account's credentials change (a new password, a reset second factor), what it had proven before
stops counting: its API tokens are revoked and its other sessions end.

One hook serves every path. A new password is noticed on the User row itself (reset link, change page,
admin, `manage.py changepassword`, any code calling set_password() and save()); Django already ends the
other sessions then, because a session's auth hash is derived from the password hash. A second factor is
reset by deleting a confirmed TOTP device (admin, staff); there the sessions are ended here.
"""
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from .audit import Action, record
from .models import User


def password_will_change(user: User, update_fields: Iterable[str] | None = None) -> bool:
    """Whether saving `user` now stores a different password than the database holds (pre_save)."""
    if user._state.adding or user.pk is None:
        return False
    if update_fields is not None and "password" not in update_fields:
        return False
    stored = type(user)._default_manager.filter(pk=user.pk).values_list("password", flat=True).first()
    if stored is None or stored == user.password:
        return False
    return not _is_rehash(user, stored, update_fields)


def _is_rehash(user: User, stored: str, update_fields: Iterable[str] | None) -> bool:
    """check_password() stores the same password again under a newer hasher; that is no change of password."""
    if user._password is not None or update_fields is None or set(update_fields) != {"password"}:  # type: ignore[attr-defined]  # the raw password Django keeps until save()
        return False
    try:
        hasher = identify_hasher(stored)
    except ValueError:
        return False
    return hasher.algorithm != get_hasher().algorithm or hasher.must_update(stored)


def revoke_tokens(*, user: User, reason: str, request: HttpRequest | None = None) -> int:
    """Revoke every active API token of the account; returns how many."""
    from . import tokens
    from .models import ApiToken

    active = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()))
    for token in active:
        tokens.revoke(token=token, by=None, request=request, detail=reason)
    return len(active)


def end_sessions(*, user: User, keep_session_key: str | None = None) -> int:
    """End the account's sessions, except the one named; returns how many.

    The database lists every session (the `db` engine, and `cached_db` with Redis, which writes each session
    through to the database); each is deleted through the session engine, so that with `cached_db` its
    copy in the cache goes too (a deleted row alone would leave it signed in until the cache forgot it).
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.session_key != keep_session_key and session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store().delete(session.session_key)
            ended += 1
    return ended


def password_changed(*, user: User, request: HttpRequest | None = None) -> None:
    """Revoke the tokens of an account whose password has just changed, and audit it."""
    revoked = revoke_tokens(user=user, reason="password changed", request=request)
    record(action=Action.PASSWORD_CHANGED, request=request, actor=user, obj=user, detail=f"tokens revoked={revoked}")


def second_factor_reset(*, user: User, request: HttpRequest | None = None) -> None:
    """Revoke the tokens and end the sessions of an account whose second factor was reset, and audit it."""
    revoked = revoke_tokens(user=user, reason="second factor reset", request=request)
    ended = end_sessions(user=user)
    record(
        action=Action.OTP_RESET, request=request, obj=user, detail=f"tokens revoked={revoked} sessions ended={ended}"
    )
