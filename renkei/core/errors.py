"""One application error type and its one translation to pages (forms, messages) and to the API.

A service refuses a write or an access by raising `AppError` with a Japanese message (or a list of
problems, or {field: message}) and an HTTP status. Pages show it with `show_error`; the API answers
{"detail": ...} with the status (renkei/api.py). Both pass through `audit_refusal`, so every refusal
of a signed-in user leaves an audit row and a new endpoint cannot forget it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, QueryDict

if TYPE_CHECKING:
    from .models import AuditEvent


class AppError(Exception):
    """A write or access refused for reasons the user can act on (Japanese), with its HTTP status.

    `message` is one message, a list of problems, or a {field: message(s)} mapping; `field` names the
    form field a single message belongs to; `summary` leads the one-line message of field problems.
    Status: 400 bad input, 403 role, 404 not visible, 409 state conflict, 422 content that does not validate.
    """

    def __init__(self, message: str | Iterable[object] | Mapping[str, object], *, status: int = 400,
                 field: str | None = None, summary: str = "") -> None:
        if isinstance(message, dict):
            self.fields: dict[str | None, list[str]] = {
                name: [str(m) for m in (v if isinstance(v, (list, tuple)) else [v])] for name, v in message.items()}
        else:
            problems = [message] if isinstance(message, str) else [str(m) for m in message]
            self.fields = {field: problems}
        self.problems = [m for msgs in self.fields.values() for m in msgs]
        self.message = summary + " ".join(self.problems)
        self.field = field
        self.status = status
        super().__init__(self.message)

    @property
    def detail(self) -> str | list[str]:
        """The API's "detail": the message, or the list when there are several problems."""
        return self.problems if len(self.problems) > 1 and None in self.fields else self.message


def audit_refusal(request: HttpRequest, *, status: int = 404, reason: str = "", patient: object = None,
                  obj: Model | None = None) -> AuditEvent | None:
    """The audit row of one refusal (status, method, path, reason), once per request.

    Anonymous callers leave none: their 401s and redirects to the login page are not refusals of an
    account and must not grow the trail without bound.
    """
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False) or getattr(request, "_refusal_audited", False):
        return None
    from .audit import Action, record

    request._refusal_audited = True  # type: ignore[attr-defined]  # a mark on this request only
    # A forged path or id may hold any character; keep only printable ones (PostgreSQL refuses NUL).
    detail = "".join(ch for ch in f"{status} {request.method} {request.path} {reason}" if ch.isprintable())
    return record(action=Action.PERMISSION_DENIED, request=request, patient=patient, obj=obj, detail=detail.strip())


def show_error(request: HttpRequest, error: AppError, form: BaseForm | None = None, *, patient: object = None,
               obj: Model | None = None) -> None:
    """Show an AppError on a page: next to its fields (or above the form), else as messages; audit it."""
    audit_refusal(request, status=error.status, reason=error.message, patient=patient, obj=obj)
    for name, problems in error.fields.items():
        for problem in problems:
            if form is None:
                messages.error(request, problem)
            else:
                form.add_error(name if name in form.fields else None, problem)


def attempt(request: HttpRequest, action: Callable[[], object], success: str, form: BaseForm | None = None, *,
            patient: object = None) -> bool:
    """Run a page's service call: a refusal (AppError) is shown (on `form`, else as messages) and audited,
    else `success` is told; True when it went through."""
    try:
        action()
    except AppError as error:
        show_error(request, error, form, patient=patient)
        return False
    messages.success(request, success)
    return True


def posted(request: HttpRequest, name: str) -> QueryDict | None:
    """The POST data where the page's form `name` was the one posted (its button sends form=name), else None:
    a page with several forms binds only that one."""
    return request.POST if request.POST.get("form") == name else None


def save_posted(request: HttpRequest, forms: Sequence[tuple[BaseForm, Callable[[dict[str, Any]], object], str]], *,
                patient: object = None) -> bool:
    """Of a page's several forms, (form, save, success): save the one posted, if valid, with its service call. A
    refusal is shown on that form and audited, else `success` is told; True when it went through."""
    for form, save, success in forms:
        if form.is_bound and form.is_valid():
            return attempt(request, partial(save, form.cleaned_data), success, form, patient=patient)
    return False


def full_clean(obj: Model) -> None:
    """A model's own validation (Model.full_clean) with its errors as one AppError (422), each on its field."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise AppError(error.message_dict if hasattr(error, "error_dict") else error.messages, status=422) from error
