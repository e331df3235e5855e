"""A forged or missing CSRF token gets a Japanese 403 page and an audit row."""
import pytest
from django.test import Client

from renkei.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def test_a_login_without_the_token_is_refused_in_japanese(strict):
    r = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert r.status_code == 403 and "送信できませんでした" in r.content.decode()


def test_a_forged_token_is_refused(strict):
    strict.get("/accounts/login/")
    r = strict.post("/accounts/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": "forged" * 8})
    assert r.status_code == 403


def test_the_refusal_is_audited(strict):
    strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert AuditEvent.objects.filter(action="csrf.failure", detail__startswith="/accounts/login/").exists()


def test_a_forged_post_does_not_log_anyone_in(strict):
    user = UserFactory()
    strict.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" not in strict.session


def test_a_genuine_token_is_accepted(strict):
    user = UserFactory()
    strict.get("/accounts/login/")
    token = strict.cookies["csrftoken"].value
    r = strict.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert r.status_code == 302
