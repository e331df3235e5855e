"""The pages' RefusalMiddleware: a refusal that leaves a view is audited once and answered by its status."""
import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from renkei.core.errors import AppError
from renkei.core.middleware import RefusalMiddleware
from renkei.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_request(user=None):
    request = RequestFactory().post("/sheets/1/send/", HTTP_REFERER="http://testserver/sheets/1/")
    request.user = user or UserFactory()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def handle(request, exception):
    return RefusalMiddleware(lambda r: None).process_exception(request, exception)


def test_a_404_is_audited_and_left_to_django():
    assert handle(page_request(), Http404()) is None and AuditEvent.objects.filter(action="permission.denied").count() == 1


def test_an_app_error_404_becomes_django_s_404():
    with pytest.raises(Http404):
        handle(page_request(), AppError("見つかりません。", status=404))


def test_an_app_error_403_becomes_django_s_403():
    with pytest.raises(PermissionDenied):
        handle(page_request(), AppError("権限がありません。", status=403))


def test_an_uncaught_conflict_goes_back_with_its_message():
    request = page_request()
    response = handle(request, AppError("既に送付済みです。", status=409))
    assert response.url == "http://testserver/sheets/1/" and [str(m) for m in get_messages(request)] == ["既に送付済みです。"]


def test_a_foreign_referer_is_not_followed():
    request = page_request()
    request.META["HTTP_REFERER"] = "https://evil.example/"
    assert handle(request, AppError("既に送付済みです。", status=409)).url == "/"


def test_an_anonymous_refusal_leaves_no_row():
    from django.contrib.auth.models import AnonymousUser

    request = page_request()
    request.user = AnonymousUser()
    handle(request, Http404())
    assert not AuditEvent.objects.filter(action="permission.denied").exists()
