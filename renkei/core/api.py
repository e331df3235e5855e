"""Core API: bearer-token authentication, the token endpoint, listing and revoking tokens."""
import datetime
from typing import cast

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import HttpBearer

from . import selectors, throttle, tokens
from .access import has_role
from .apibase import Detail
from .audit import Action, record
from .auth import SignedInRequest
from .errors import audit_refusal
from .models import ApiToken, User


class TokenRequest(SignedInRequest):
    """A request that passed TokenAuth (django-stubs' way of naming what the auth adds): its user is the
    token's owner and `api_token` the token it was made with."""

    api_token: ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request's user becomes the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user, api_token = tokens.user_for_key(token)
        if user is None or api_token is None:
            _refused(request)
            return None
        authed = cast(TokenRequest, request)
        authed.user = user
        authed.api_token = api_token
        return user


def _refused(request: HttpRequest) -> None:
    """Audit a refused bearer token without letting anonymous traffic grow the trail without bound.

    Per address (IPv6: per /64) and window, the first refusal is recorded, and the one that reaches
    TOKEN_FAILURE_LIMIT with the count; later ones get 429 until the window ends. Across all addresses
    at most TOKEN_FAILURE_AUDIT_ROWS rows are written per window, then one row saying the rest are not.
    """
    window, limit = settings.TOKEN_FAILURE_WINDOW_SECONDS, settings.TOKEN_FAILURE_LIMIT
    where = throttle.client_network(request)
    failures = throttle.hit(f"token-failure:{where}", window_seconds=window)
    if failures in (1, limit):
        rows = throttle.hit("token-failure-rows", window_seconds=window)
        if rows <= settings.TOKEN_FAILURE_AUDIT_ROWS:
            detail = request.path if failures == 1 else f"{request.path} limit reached: {failures} refused from {where}"
            record(action=Action.TOKEN_REJECTED, request=request, detail=detail)
        elif rows == settings.TOKEN_FAILURE_AUDIT_ROWS + 1:
            record(action=Action.TOKEN_REJECTED, detail=f"more refused tokens in this {window} s window not recorded")
    if failures > limit:
        raise HttpError(429, f"無効なトークンが続いたため、この接続元からの要求を{window // 60}分間受け付けません。")


token_auth = TokenAuth()
router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str


class TokenOut(Schema):
    token: str
    expires_at: str


@router.post("/token", response={200: TokenOut, 401: Detail, 429: Detail}, auth=None, summary="Issue an API token")
def issue_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    """Exchange username + password + TOTP code for a bearer token (429 while codes are throttled or the
    account is locked out)."""
    try:
        key, token = tokens.issue_token(
            request=request, username=payload.username, password=payload.password, otp=payload.otp
        )
    except tokens.TokenThrottled as throttled:
        return Status(429, {"detail": str(throttled)})
    except tokens.TokenRefused as refused:
        return Status(401, {"detail": str(refused)})
    return Status(200, {"token": key, "expires_at": token.expires_at.isoformat()})


@router.delete("/token", response={204: None}, auth=token_auth, summary="Revoke the calling token")
def revoke_token(request: TokenRequest) -> Status[None]:
    """Revoke the token this request was made with."""
    tokens.revoke(token=request.api_token, by=request.user, request=request)
    return Status(204, None)


class TokenItem(Schema):
    id: int
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    active: bool


class TokenList(Schema):
    count: int
    items: list[TokenItem]


def _item(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }


@router.get("/tokens", response=TokenList, summary="List the caller's tokens")
def list_tokens(request: TokenRequest, limit: int = 50, offset: int = 0) -> dict[str, object]:
    """The caller's own tokens, newest first (the secret itself is never shown again)."""
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = selectors.tokens_of(request.user)
    return {"count": qs.count(), "items": [_item(t) for t in qs[offset : offset + limit]]}


@router.delete("/tokens/{token_id}", response={204: None, 404: Detail}, summary="Revoke a token")
def revoke_token_by_id(request: TokenRequest, token_id: int) -> Status[None]:
    """Revoke one of the caller's tokens; municipal staff may revoke anyone's. Others get 404."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise Http404
    if token.user_id != request.user.pk and not has_role(request.user, "staff"):
        audit_refusal(request, obj=token, reason="api token revoke")
        raise Http404
    tokens.revoke(token=token, by=request.user, request=request)
    return Status(204, None)
