"""API tokens: issue (username + password + TOTP), authenticate, revoke."""
import datetime
import functools
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connections, router
from django.db.models import QuerySet
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


def _active_token_query(key_hash: str, now: datetime.datetime) -> QuerySet[ApiToken]:
    """The one query of every API request: the unrevoked, unexpired token of a key hash, with its user.
    Filters chained in this order, so the compiled statement takes its parameters as (key_hash, now)."""
    return (
        ApiToken.objects.select_related("user").filter(key_hash=key_hash).filter(expires_at__gt=now)
        .filter(revoked_at__isnull=True).order_by()[:1]
    )


_SAMPLE_HASH = "0" * 64
_SAMPLE_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@functools.cache
def _compiled_token_query(alias: str) -> str | None:
    """The SQL the ORM compiles for _active_token_query, compiled once per process and database: compiling
    it cost the API a fifth of its CPU per request (docs/benchmark.md, "Where the time goes"). None when the
    compiled parameters are not exactly (key_hash, now): the ORM query is then run each time."""
    query = _active_token_query(_SAMPLE_HASH, _SAMPLE_TIME).query
    sql, params = query.get_compiler(alias).as_sql()
    expected = (_SAMPLE_HASH, connections[alias].ops.adapt_datetimefield_value(_SAMPLE_TIME))
    return sql if tuple(params) == expected else None


def _active_token(key_hash: str) -> ApiToken | None:
    """The active token of a key hash with its user attached (token.user needs no further query)."""
    now = timezone.now()
    alias = router.db_for_read(ApiToken)
    sql = _compiled_token_query(alias)
    if sql is None:
        return next(iter(_active_token_query(key_hash, now)), None)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_hash, connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:
        return None
    # The row holds the token's columns, then the user's (select_related), each in concrete-field order;
    # the database backend's converters (SQLite's text timestamps) applied as the ORM would.
    token_fields = [f.attname for f in ApiToken._meta.concrete_fields]
    user_fields = [f.attname for f in User._meta.concrete_fields]
    row = _converted(alias, row)
    token = ApiToken.from_db(alias, token_fields, row[: len(token_fields)])
    user = User.from_db(alias, user_fields, row[len(token_fields): len(token_fields) + len(user_fields)])
    ApiToken.user.field.set_cached_value(token, user)
    return token


@functools.cache
def _row_converters(alias: str) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    """(column index, converters, expression) for the columns of the compiled row that need converting."""
    connection = connections[alias]
    found = []
    fields: list[Any] = [*ApiToken._meta.concrete_fields, *User._meta.concrete_fields]
    for index, field in enumerate(fields):
        expression = field.get_col(field.model._meta.db_table)
        converters = (*connection.ops.get_db_converters(expression), *field.get_db_converters(connection))
        if converters:
            found.append((index, converters, expression))
    return tuple(found)


def _converted(alias: str, row: tuple[Any, ...]) -> list[Any]:
    """The row's values as the ORM would give them to from_db (the backend's and the fields' converters)."""
    values = list(row)
    connection = connections[alias]
    for index, converters, expression in _row_converters(alias):
        for converter in converters:
            values[index] = converter(values[index], expression, connection)
    return values


def user_for_key(key: str) -> tuple[User, ApiToken] | tuple[None, None]:
    """The active token's user for a bearer key, or None (expired, revoked, unknown, unapproved)."""
    token = _active_token(ApiToken.hash_key(key))
    if token is None or not token.user.is_active or not token.user.is_approved:
        return None, None
    return token.user, token


def revoke(*, token: ApiToken, by: User | None, request: HttpRequest | None = None, detail: str = "") -> None:
    """Revoke a token (by its owner, by municipal staff, or by=None when its owner's credentials changed)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(action=Action.TOKEN_REVOKED, request=request, actor=by, obj=token, detail=detail)
