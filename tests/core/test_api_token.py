import datetime

import pytest
from django.utils import timezone

from renkei.core.models import ApiToken, AuditEvent, RegistrationStatus, User
from tests.factories import PASSWORD, UserFactory, current_code, totp_device

pytestmark = pytest.mark.django_db



def _issue(client, user, **overrides):
    body = {"username": user.username, "password": PASSWORD, "otp": current_code(user.device)} | overrides
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
    code = current_code(user.device)
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


def _bearer(client, user):
    return {"HTTP_AUTHORIZATION": f"Bearer {_issue(client, user).json()['token']}"}


def test_it_lists_the_callers_tokens_without_secrets(client, user):
    auth = _bearer(client, user)
    body = client.get("/api/v1/auth/tokens", **auth).json()
    assert body["count"] == 1 and set(body["items"][0]) == {"id", "prefix", "created_at", "expires_at", "revoked_at", "active"}


def test_the_token_list_uses_a_fixed_number_of_queries(client, user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    auth = _bearer(client, user)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/auth/tokens", **auth)
    for i in range(20):
        ApiToken.objects.create(user=user, key_hash=f"{i:064d}", prefix=f"p{i}", expires_at=timezone.now())
    with django_assert_num_queries(len(ctx)):
        client.get("/api/v1/auth/tokens", **auth)


def test_a_user_revokes_a_token_by_id(client, user):
    auth = _bearer(client, user)
    other = ApiToken.objects.create(user=user, key_hash="1" * 64, prefix="other",
                                    expires_at=timezone.now() + datetime.timedelta(hours=1))
    r = client.delete(f"/api/v1/auth/tokens/{other.pk}", **auth)
    other.refresh_from_db()
    assert r.status_code == 204 and other.revoked_at is not None


def test_another_users_token_is_404_by_api(client, user):
    auth = _bearer(client, user)
    theirs = ApiToken.objects.create(user=UserFactory(), key_hash="2" * 64, prefix="theirs",
                                     expires_at=timezone.now() + datetime.timedelta(hours=1))
    r = client.delete(f"/api/v1/auth/tokens/{theirs.pk}", **auth)
    theirs.refresh_from_db()
    assert r.status_code == 404 and r.json()["detail"] and theirs.revoked_at is None


def test_staff_revoke_anyones_token_by_api(client):
    staff = UserFactory(is_municipal_staff=True)
    staff.device = totp_device(staff)
    theirs = ApiToken.objects.create(user=UserFactory(), key_hash="3" * 64, prefix="theirs",
                                     expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.delete(f"/api/v1/auth/tokens/{theirs.pk}", **_bearer(client, staff)).status_code == 204


def test_listing_tokens_needs_a_token(client):
    assert client.get("/api/v1/auth/tokens").status_code == 401


def test_the_compiled_token_lookup_gives_what_the_orm_query_gives(user, django_assert_num_queries):
    """The bearer check runs the ORM's own SQL, compiled once: the same token and user, field by field, in one
    query; expired, revoked and unknown keys find nothing."""
    from django.db.models import Model

    from renkei.core import tokens

    key, created = tokens.create_token(request=None, user=user)
    assert tokens._compiled_token_query("default") is not None
    with django_assert_num_queries(1):
        found_user, found = tokens.user_for_key(key)
        assert found_user is found.user  # attached: no second query
    expected = ApiToken.objects.select_related("user").get(pk=created.pk)

    def fields(instance: Model):
        return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}

    assert fields(found) == fields(expected) and fields(found_user) == fields(expected.user)
    assert found.expires_at.tzinfo is not None
    assert tokens.user_for_key(key + "x") == (None, None)
    ApiToken.objects.filter(pk=created.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert tokens.user_for_key(key) == (None, None)
    ApiToken.objects.filter(pk=created.pk).update(expires_at=timezone.now() + datetime.timedelta(hours=1),
                                                 revoked_at=timezone.now())
    assert tokens.user_for_key(key) == (None, None)
