"""Core API: bearer-token authentication and the token endpoint."""
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from . import tokens
from .audit import Action, record


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
