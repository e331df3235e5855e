"""API tokens: issue (username + password + TOTP), authenticate, revoke."""
import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from . import otp as otp_service
from .audit import Action, record
from .errors import AppError
from .models import ApiToken, User

TokenRefused = AppError  # credentials did not give a token (wrong password, wrong or reused code, locked out)


class TokenThrottled(TokenRefused):
    """The right password, but codes are not checked for a while after wrong ones (answered 429)."""


def issue_token(*, request: HttpRequest | None, username: str, password: str, otp: str) -> tuple[str, ApiToken]:
    """Check the three factors and return (plain key, ApiToken). The key is shown only once."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise TokenRefused("ユーザー名、パスワードまたは確認コードが正しくありません。")
    try:
        device = otp_service.match(user, otp)
    except otp_service.Throttled as throttled:
        record(action=Action.OTP_THROTTLED, request=request, actor=user, detail=f"api token wait={throttled.seconds}s")
        raise TokenThrottled(throttled.message) from throttled
    if device is None:
        record(action=Action.OTP_FAILURE, request=request, actor=user, detail="api token")
        raise TokenRefused("ユーザー名、パスワードまたは確認コードが正しくありません。")
    return create_token(request=request, user=user, detail="api")


def create_token(*, request: HttpRequest | None, user: User, detail: str = "") -> tuple[str, ApiToken]:
    """A new token for a user who has proven all factors; returns (plain key, ApiToken)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    record(action=Action.TOKEN_ISSUED, request=request, actor=user, obj=token, detail=detail)
    return key, token


def user_for_key(key: str) -> tuple[User, ApiToken] | tuple[None, None]:
    """The active token's user for a bearer key, or None (expired, revoked, unknown, unapproved)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active or not token.user.is_approved:
        return None, None
    return token.user, token


def revoke(*, token: ApiToken, by: User | None, request: HttpRequest | None = None, detail: str = "") -> None:
    """Revoke a token (by its owner, by municipal staff, or by=None when its owner's credentials changed)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(action=Action.TOKEN_REVOKED, request=request, actor=by, obj=token, detail=detail)
