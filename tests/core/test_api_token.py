import datetime

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

from renkei.core.models import ApiToken, AuditEvent, RegistrationStatus, User
from tests.factories import PASSWORD, UserFactory, totp_device

pytestmark = pytest.mark.django_db


def _code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


@pytest.fixture
def user():
    u = UserFactory()
    u.device = totp_device(u)
    return u


def _issue(client, user, **overrides):
    body = {"username": user.username, "password": PASSWORD, "otp": _code(user.device)} | overrides
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def test_it_issues_a_token_for_three_factors(client, user):
    r = _issue(client, user)
    assert r.status_code == 200 and len(r.json()["token"]) > 30


def test_it_stores_only_a_hash(client, user):
    key = _issue(client, user).json()["token"]
    assert ApiToken.objects.get().key_hash == ApiToken.hash_key(key) != key


def test_wrong_password_gets_401_and_no_token(client, user):
    r = _issue(client, user, password="nope")
    assert r.status_code == 401 and "token" not in r.json()


def test_wrong_code_gets_401(client, user):
    assert _issue(client, user, otp="000000").status_code == 401


def test_a_malformed_body_is_4xx_json(client):
    r = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert 400 <= r.status_code < 500 and "detail" in r.json()


def test_a_missing_field_is_422(client, user):
    r = client.post("/api/v1/auth/token", {"username": user.username}, content_type="application/json")
    assert r.status_code == 422


def test_an_expired_token_is_refused(client, user):
    key = _issue(client, user).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    r = client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 401


def test_a_revoked_token_is_refused(client, user):
    key = _issue(client, user).json()["token"]
    client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {key}")
    r = client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 401


def test_openapi_document_is_served(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Renkei API"


def test_issuing_is_audited(client, user):
    _issue(client, user)
    assert AuditEvent.objects.filter(action="token.issued", actor=user, object_type="core.apitoken").exists()


def test_a_wrong_code_is_audited_as_a_second_factor_failure(client, user):
    _issue(client, user, otp="000000")
    assert AuditEvent.objects.filter(action="otp.failure", actor=user, detail="api token").exists()


def test_a_reused_code_gets_401(client, user):
    code = _code(user.device)
    _issue(client, user, otp=code)
    assert _issue(client, user, otp=code).status_code == 401


def test_revoking_is_audited(client, user):
    key = _issue(client, user).json()["token"]
    client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert AuditEvent.objects.filter(action="token.revoked", actor=user).exists()


def test_an_expired_token_is_audited_as_rejected(client, user):
    key = _issue(client, user).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    r = client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.json()["detail"].startswith("認証が必要です")
    assert AuditEvent.objects.filter(action="token.rejected", detail="/api/v1/auth/token").exists()


def test_an_unknown_token_is_401_json(client):
    r = client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert r.status_code == 401 and "detail" in r.json()


def test_a_withdrawn_members_token_is_refused(client, user):
    key = _issue(client, user).json()["token"]
    User.objects.filter(pk=user.pk).update(registration_status=RegistrationStatus.WITHDRAWN)
    assert client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_pending_applicant_gets_no_token(client):
    pending = UserFactory(registration_status=RegistrationStatus.PENDING)
    pending.device = totp_device(pending)
    assert _issue(client, pending).status_code == 401
