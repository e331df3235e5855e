"""One input layer in front of every view: text the database cannot store is refused before any view runs.

PostgreSQL refuses NUL characters in text and Python cannot encode lone surrogates, so a request that
carries either (in its path, query string, headers, form fields or JSON body), or bytes that are not
UTF-8, answers 400 here: JSON `{"detail"}` under /api/, a Japanese page elsewhere. Views, forms and
API endpoints therefore never see such text and need no code of their own for it. So does a request beyond
Django's own limits (DATA_UPLOAD_MAX_NUMBER_FILES, …_NUMBER_FIELDS, …_MEMORY_SIZE), which reading it here
meets first.
"""
import json
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader

API_PREFIX = "/api/"
NUL_MESSAGE = "入力に使えない文字（NUL 文字）が含まれています。入力内容を確認してください。"
MULTIPART_MESSAGE = "送信された本文（multipart/form-data）の形式が正しくありません。"
ENCODING_MESSAGE = "入力の文字コードが UTF-8 ではありません。入力内容を確認してください。"
# Django's AccessAttempt.username (django-axes) is 255 characters long; no Renkei username is longer.
USERNAME_MAX_LENGTH = 255

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# A JSON escape that may decode to NUL or to half of a surrogate pair: only then is the body parsed here.
_SUSPICIOUS_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


class BadInput(ValueError):
    """Input that no view should see; its message is shown to the user."""


def _check(value: str | bytes, nul: str | bytes, convert: Callable[[str], object]) -> None:
    if nul in value:  # type: ignore[operator]  # str in str or bytes in bytes, as the two callers pass them
        raise BadInput(NUL_MESSAGE)
    try:
        convert("utf-8")
    except UnicodeError:
        raise BadInput(ENCODING_MESSAGE)


def check_text(text: str) -> None:
    """Raise BadInput if a decoded string holds NUL or a lone surrogate."""
    _check(text, "\x00", text.encode)


def check_bytes(data: bytes) -> None:
    """Raise BadInput if bytes hold NUL or are not UTF-8."""
    _check(data, b"\x00", data.decode)


def check_urlencoded(raw: bytes) -> None:
    """Raise BadInput if a query string or form body (bytes) decodes to NUL or to bytes that are not UTF-8."""
    if b"%" not in raw and b"\x00" not in raw and raw.isascii():
        return
    check_bytes(unquote_to_bytes(raw.replace(b"+", b" ")))


def _check_json_value(value: object) -> None:
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key)
            _check_json_value(item)
    elif isinstance(value, list):
        for item in value:
            _check_json_value(item)


def check_text_body(raw: bytes) -> None:
    """Raise BadInput for a JSON (or other text) body that is not UTF-8 or whose strings hold NUL or lone surrogates."""
    check_bytes(raw)
    if _SUSPICIOUS_ESCAPE.search(raw):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return  # not JSON: the endpoint's own parser answers it
        _check_json_value(parsed)


def check_request(request: HttpRequest) -> None:
    """Raise BadInput if any part of the request carries text the application must not see, or is beyond
    Django's limits on a request."""
    try:
        _check_request(request)
    except TooManyFilesSent:
        raise BadInput(f"一度に送れるファイルは {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 個までです。")
    except TooManyFieldsSent:
        raise BadInput(f"一度に送れる項目は {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 個までです。")
    except RequestDataTooBig:
        raise BadInput("送信された内容が大きすぎます。")


def _check_request(request: HttpRequest) -> None:
    check_text(request.path_info)
    check_urlencoded(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""))
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            raise BadInput(NUL_MESSAGE)
    if request.method not in BODY_METHODS:
        return
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        # Files may hold any bytes; the form fields may not (Django decodes them with replacement already).
        try:
            fields = request.POST
        except MultiPartParserError:
            raise BadInput(MULTIPART_MESSAGE)
        for _key, values in fields.lists():
            for value in values:
                check_text(value)
    elif content_type == "application/x-www-form-urlencoded":
        check_urlencoded(request.body)
    elif request.body:
        check_text_body(request.body)


class InputGuardMiddleware:
    """Answers 400 for requests carrying NUL characters or text that is not UTF-8 (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except BadInput as bad:
            return refuse(request, str(bad))
        return self.get_response(request)


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """The 400 answer: JSON for the API, the Japanese error page for everything else."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    # Rendered without the request: this runs before the session and user exist (no context processors).
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))


def axes_username(request: HttpRequest | None, credentials: Mapping[str, object] | None) -> str | None:
    """The username django-axes records for a failed login, cut to the length of its column."""
    credentials = credentials or {}
    username = credentials.get("username")
    if username is None and request is not None and request.method == "POST":
        username = request.POST.get("username")
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]
