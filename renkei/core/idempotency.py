"""`Idempotency-Key` for the create calls of the API: a retry gets the first answer and stores nothing new.

A phone that lost the answer to a post sends it again; with the same key (from the same user, within
24 hours) it gets the first answer back, byte for byte, with `Idempotent-Replayed: true`.

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
Rows older than 24 h are ignored and replaced; `manage.py prune_idempotency_keys` deletes them.

Web forms use the same rows: `{% submission_token %}` puts a one-time token in the form, and
`@once_per_submission` on the create view makes a double tap or a resubmission redirect to what
the first submission created (key "form:<token>", the redirect kept as the answer).
"""
import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
SUBMISSION_FIELD = "submission_token"
LIFETIME = datetime.timedelta(hours=24)


def expired_before() -> datetime.datetime:
    """Rows created before this moment (LIFETIME ago) are forgotten."""
    return timezone.now() - LIFETIME


@dataclass
class _Call:
    """The key of the call in progress and, once claimed, its row."""

    key: str
    method_path: str
    request_hash: str
    row: IdempotencyKey | None = None


def _detail(status, message):
    # A 422 of the API always carries a list of problems (renkei.core.apibase.ValidationErrors).
    detail = [{"loc": ["header", "Idempotency-Key"], "msg": message, "type": "value_error"}] if status == 422 else message
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _replay(row):
    response = HttpResponse(bytes(row.response_body), status=row.response_status, content_type="application/json")
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(*, user, key, method_path, request_hash=""):
    """(row, None) once this call holds the key; (None, first) when another call holds or held it;
    (None, None) in the unlikely case the key is taken and freed twice while this call tries."""
    rows = IdempotencyKey.objects.filter(user=user, key=key)
    rows.filter(created_at__lt=expired_before()).delete()
    for _attempt in range(2):  # the second only if the row that blocked the first vanished meanwhile
        try:
            with transaction.atomic():  # a savepoint: a duplicate key leaves the outer transaction usable
                return IdempotencyKey.objects.create(
                    user=user, key=key, method_path=method_path, request_hash=request_hash
                ), None
        except IntegrityError:
            # Another call holds (or held) this key: on PostgreSQL the insert above waited for it to commit.
            first = rows.first()
            if first is not None:
                return None, first
    return None, None


def _claim_for_api(call, user):
    """The stored answer to replay, a 4xx, or None once this call holds the key."""
    call.row, first = _claim(user=user, key=call.key, method_path=call.method_path, request_hash=call.request_hash)
    if call.row is not None:
        return None
    if first is None:
        return _detail(409, "同じ Idempotency-Key の要求を処理中です。しばらくしてから再送してください。")
    if (first.method_path, first.request_hash) != (call.method_path, call.request_hash):
        return _detail(422, "この Idempotency-Key は別の内容の要求に使われています。新しいキーを使ってください。")
    return _replay(first)


def _request_digest(request, method_path):
    """What makes two calls "the same": method, path and body. A multipart body (files) is streamed to the
    upload handlers and its boundary differs on each send, so its fields and files' contents count instead."""
    digest = hashlib.sha256(method_path.encode() + b"\n")
    if request.content_type != "multipart/form-data":
        digest.update(request.body)
        return digest.hexdigest()
    for name, values in sorted(request.POST.lists()):
        digest.update(f"{name}={values!r}\n".encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


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
        call = request.idempotency = _Call(key=key, method_path=method_path,
                                           request_hash=_request_digest(request, method_path))
        with transaction.atomic():
            response = run(request, **kwargs)
            if response.status_code >= 500:
                # Nothing of a failed call is kept (the database may be away: no further query).
                transaction.set_rollback(True)
            elif call.row is not None and response.status_code >= 300:
                call.row.delete()  # a refusal keeps what it recorded (the audit), not the key
            elif call.row is not None:
                call.row.response_status, call.row.response_body = response.status_code, response.content
                call.row.save(update_fields=["response_status", "response_body"])
        return response

    return wrapper


_HEADER_DOC = {
    "name": HEADER, "in": "header", "required": False, "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": "再送しても二重に登録しないためのキー（同じアカウント・24時間以内・同じ内容なら最初の応答を返す。"
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
            answer = _claim_for_api(call, request.user)
            if answer is not None:
                return answer
        return operation(request, *args, **kwargs)

    claimed_first.idempotent = True
    contribute_operation_callback(claimed_first, _document)
    return decorate_view(_run_with_key)(claimed_first)


_TAGGABLE = re.compile(r"[A-Za-z0-9_-]{1,100}")


def submission_tag(request):
    """The message tag that tells a page's script its form was taken ("sent-<token>"; "" without a usable token).

    The post form keeps a draft on the device under the token it sends (static/network/draft.js): it forgets the
    draft once the page after the submission carries this tag, on the first answer or on a replay.
    """
    token = request.POST.get(SUBMISSION_FIELD, "") if request.method == "POST" else ""
    return f"sent-{token}" if _TAGGABLE.fullmatch(token) else ""


def new_submission_token() -> str:
    """A fresh one-time token for a rendered form (the {% submission_token %} tag puts it in a hidden field)."""
    return secrets.token_urlsafe(18)


def once_per_submission(view):
    """Make a create page's POST count once per rendered form: a double tap or a resubmission of the
    same form (same SUBMISSION_FIELD token) redirects to what the first submission created.

    The token's row is written in the same transaction as the created object, with the redirect the
    first submission answered; a concurrent second submission waits for it. A submission answered
    with the form again (errors) keeps no row. Put it under the access decorators (the user is known).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(SUBMISSION_FIELD, "") if request.method == "POST" else ""
        if not token or len(token) > MAX_KEY_LENGTH - 5 or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        method_path = f"POST {request.path}"[:300]
        with transaction.atomic():
            row, first = _claim(user=request.user, key=f"form:{token}", method_path=method_path)
            if first is not None and first.method_path == method_path and first.response_status:
                messages.info(request, "同じ内容は既に送信済みです（二重に登録していません）。",
                              extra_tags=submission_tag(request))
                return redirect(bytes(first.response_body).decode())
            refused = response = None
            try:
                response = view(request, *args, **kwargs)
            except DatabaseError:
                raise  # the atomic block rolls everything back (the database may be away: no further query)
            except Exception as error:
                # A refusal (404, 403) commits what it recorded (the audit), exactly as without a token.
                refused = error
            if row is not None:
                if refused is None and response.status_code in (301, 302, 303):
                    row.response_status, row.response_body = response.status_code, response["Location"].encode()
                    row.save(update_fields=["response_status", "response_body"])
                else:
                    row.delete()
        if refused is not None:
            raise refused
        return response

    return wrapper


def prune() -> int:
    """Delete the rows of expired keys; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=expired_before()).delete()
    return deleted
