"""`Idempotency-Key` for the create calls of the API: a retry gets the first answer and stores nothing new.

A phone that lost the answer to a post sends it again; with the same key (from the same user, within
IDEMPOTENCY_KEY_HOURS) it gets the first answer back, byte for byte, with `Idempotent-Replayed: true`.

How: `@idempotent` under `@router.post(...)` runs the whole call, when it carries a key, in one
transaction. The first thing the operation does (after authentication, so the user is known) is to
insert the key's row; the answer is written into that row before the transaction commits, together
with what the call created. So:
- a call that committed after its client gave up is found by the retry;
- a concurrent call with the same key waits on the unique (user, key) index until the first commits,
  then replays its answer (or, if the first failed and left no row, runs itself): never two objects;
- only successful (2xx) answers are kept: after a refusal (4xx) the row is removed and a retry runs
  again (the refusal may not hold any more);
- the same key with another method, path or body is refused with 422.
Rows older than IDEMPOTENCY_KEY_HOURS are ignored and replaced; `manage.py prune_idempotency_keys` deletes them.
"""
import datetime
import hashlib
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def lifetime():
    """How long a key is remembered (IDEMPOTENCY_KEY_HOURS, default 24)."""
    return datetime.timedelta(hours=getattr(settings, "IDEMPOTENCY_KEY_HOURS", 24))


def expired_before():
    """Rows created before this moment are forgotten."""
    return timezone.now() - lifetime()


@dataclass
class _Call:
    """The key of the call in progress and, once claimed, its row."""

    key: str
    method_path: str
    request_hash: str
    row: IdempotencyKey | None = None


def _detail(status, message):
    return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _replay(row):
    response = HttpResponse(bytes(row.response_body), status=row.response_status, content_type="application/json")
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(call, user):
    """The stored answer to replay, a 422 for a reused key, or None once this call holds the key."""
    rows = IdempotencyKey.objects.filter(user=user, key=call.key)
    rows.filter(created_at__lt=expired_before()).delete()
    try:
        with transaction.atomic():  # a savepoint: a duplicate key leaves the outer transaction usable
            call.row = IdempotencyKey.objects.create(
                user=user, key=call.key, method_path=call.method_path, request_hash=call.request_hash
            )
        return None
    except IntegrityError:
        # Another call holds (or held) this key: on PostgreSQL the insert above waited for it to commit.
        first = rows.first()
    if first is None:  # it rolled back after all: this call goes ahead next time, ask to retry now
        return _detail(409, "同じ Idempotency-Key の要求を処理中です。しばらくしてから再送してください。")
    if (first.method_path, first.request_hash) != (call.method_path, call.request_hash):
        return _detail(422, "この Idempotency-Key は別の内容の要求に使われています。新しいキーを使ってください。")
    return _replay(first)


def _run_with_key(run):
    """Wrap the operation's run (authentication, the operation, the answer) in one transaction."""

    @wraps(run)
    def wrapper(request, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return run(request, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            return _detail(400, f"Idempotency-Key は {MAX_KEY_LENGTH} 文字以内の英数字・記号で指定してください。")
        method_path = f"{request.method} {request.path}"[:300]
        digest = hashlib.sha256(method_path.encode() + b"\n" + request.body).hexdigest()
        call = request.idempotency = _Call(key=key, method_path=method_path, request_hash=digest)
        with transaction.atomic():
            response = run(request, **kwargs)
            if call.row is not None:
                if 200 <= response.status_code < 300:
                    call.row.response_status, call.row.response_body = response.status_code, response.content
                    call.row.save(update_fields=["response_status", "response_body"])
                else:
                    call.row.delete()
        return response

    return wrapper


_HEADER_DOC = {
    "name": HEADER, "in": "header", "required": False, "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": "再送しても二重に登録しないためのキー（同じ利用者・24時間以内・同じ内容なら最初の応答を返す。"
                   "別の内容なら 422）。",
}


def _document(operation):
    """Add the header to the operation's OpenAPI parameters (kept with whatever else is there)."""
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), _HEADER_DOC]
    operation.openapi_extra = extra


def idempotent(operation):
    """Make a create operation of the API honour `Idempotency-Key` (put it under `@router.post`)."""

    @wraps(operation)
    def claimed_first(request, *args, **kwargs):
        call = getattr(request, "idempotency", None)
        if call is not None:
            answer = _claim(call, request.user)
            if answer is not None:
                return answer
        return operation(request, *args, **kwargs)

    claimed_first.idempotent = True
    contribute_operation_callback(claimed_first, _document)
    return decorate_view(_run_with_key)(claimed_first)


def prune():
    """Delete the rows of expired keys; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=expired_before()).delete()
    return deleted
