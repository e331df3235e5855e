"""Core API: bearer-token authentication, the token endpoint, listing and revoking tokens."""
import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from . import selectors, tokens
from .audit import Action, record
from .auth import has_role
from .errors import audit_refusal
from .models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request's user becomes the token's owner."""

    def authenticate(self, request: HttpRequest, token: str):
        user, api_token = tokens.user_for_key(token)
        if user is None:
            record(action=Action.TOKEN_REJECTED, request=request, detail=request.path)
            return None
        request.user = user
        request.api_token = api_token
        return user


token_auth = TokenAuth()
router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str


class TokenOut(Schema):
    token: str
    expires_at: str


class Detail(Schema):
    detail: str


@router.post("/token", response={200: TokenOut, 401: Detail}, auth=None, summary="Issue an API token")
def issue_token(request, payload: TokenIn):
    """Exchange username + password + TOTP code for a bearer token."""
    try:
        key, token = tokens.issue_token(
            request=request, username=payload.username, password=payload.password, otp=payload.otp
        )
    except tokens.TokenRefused as refused:
        return Status(401, {"detail": str(refused)})
    return Status(200, {"token": key, "expires_at": token.expires_at.isoformat()})


@router.delete("/token", response={204: None}, auth=token_auth, summary="Revoke the calling token")
def revoke_token(request):
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


def _item(token):
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }


@router.get("/tokens", response=TokenList, summary="List the caller's tokens")
def list_tokens(request, limit: int = 50, offset: int = 0):
    """The caller's own tokens, newest first (the secret itself is never shown again)."""
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = selectors.tokens_of(request.user)
    return {"count": qs.count(), "items": [_item(t) for t in qs[offset : offset + limit]]}


@router.delete("/tokens/{token_id}", response={204: None, 404: Detail}, summary="Revoke a token")
def revoke_token_by_id(request, token_id: int):
    """Revoke one of the caller's tokens; municipal staff may revoke anyone's. Others get 404."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise Http404
    if token.user_id != request.user.pk and not has_role(request.user, "staff"):
        audit_refusal(request, obj=token, reason="api token revoke")
        raise Http404
    tokens.revoke(token=token, by=request.user, request=request)
    return Status(204, None)
