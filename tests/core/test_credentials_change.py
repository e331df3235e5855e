"""A new password or a reset second factor, by any path, revokes the account's API tokens and ends its
other sessions."""
import datetime
import re
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from renkei.core import tokens
from renkei.core.models import ApiToken, AuditEvent, User
from tests.factories import PASSWORD, UserFactory, verify_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "atarashii-kagi-2026"


@pytest.fixture
def key(user):
    return tokens.create_token(request=None, user=user)[0]


@pytest.fixture
def other_session(user):
    """The account signed in on another device."""
    return verify_client(Client(), user)


def _token_works(client, key):
    return client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def _signed_in(other):
    return other.get("/accounts/tokens/").status_code == 200


def test_a_token_and_another_session_work_before_any_change(client, key, other_session):
    assert _token_works(client, key) and _signed_in(other_session)


def test_code_that_saves_a_new_password_revokes_the_tokens(client, user, key):
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not _token_works(client, key)


def test_code_that_saves_a_new_password_ends_other_sessions(user, other_session):
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not _signed_in(other_session)


def test_saving_the_account_without_a_new_password_keeps_the_tokens(client, user, key):
    user.name = "改名 花子"
    user.save()
    assert _token_works(client, key)


def test_a_rehash_of_the_same_password_at_login_keeps_the_tokens(client, user, key, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher", *settings.PASSWORD_HASHERS]
    assert user.check_password(PASSWORD)  # stored again under the newer hasher
    assert user.password.startswith("pbkdf2_sha1$") and _token_works(client, key)


def _reset_link(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    return client.get(link)["Location"]


def test_the_reset_link_revokes_the_tokens(client, user, key):
    anonymous = Client()
    form_url = _reset_link(anonymous, user)
    anonymous.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not _token_works(client, key)


def test_the_reset_link_ends_other_sessions(user, key, other_session):
    anonymous = Client()
    form_url = _reset_link(anonymous, user)
    anonymous.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not _signed_in(other_session)


def _change(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        "/accounts/password/change/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_the_change_page_is_in_the_account_menu(login, user):
    assert "/accounts/password/change/" in login(user).get("/").content.decode()


def test_the_change_page_needs_the_second_factor(login, user):
    r = login(user, verified=False).get("/accounts/password/change/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")


def test_the_change_page_sets_the_new_password(login, user):
    r = _change(login(user))
    user.refresh_from_db()
    assert r.status_code == 302 and user.check_password(NEW_PASSWORD)


def test_the_change_page_refuses_a_wrong_current_password_in_japanese(login, user):
    r = _change(login(user), old="not-my-password")
    assert r.status_code == 400 and "現在のパスワードが正しくありません" in r.content.decode()


def test_the_change_page_refuses_a_weak_new_password(login, user):
    r = _change(login(user), new="abc")
    assert r.status_code == 400 and "短すぎます" in r.content.decode()


def test_the_change_page_keeps_this_session_signed_in(login, user):
    client = login(user)
    _change(client)
    assert _signed_in(client)


def test_the_change_page_revokes_the_tokens(login, client, user, key):
    _change(login(user))
    assert not _token_works(Client(), key)


def test_the_change_page_ends_other_sessions(login, user, other_session):
    _change(login(user))
    assert not _signed_in(other_session)


@pytest.fixture
def admin_client():
    admin = UserFactory(username="kanri", is_staff=True, is_superuser=True)
    return verify_client(Client(), admin)


def test_the_admin_password_form_revokes_the_tokens(client, admin_client, user, key):
    r = admin_client.post(
        f"/admin/core/user/{user.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert r.status_code == 302 and not _token_works(client, key)


def test_the_admin_password_form_ends_other_sessions(admin_client, user, other_session):
    admin_client.post(f"/admin/core/user/{user.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not _signed_in(other_session)


def test_manage_py_changepassword_revokes_the_tokens(client, user, key):
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", user.username, stdout=mock.Mock())
    assert not _token_works(client, key)


def test_manage_py_changepassword_ends_other_sessions(user, other_session):
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", user.username, stdout=mock.Mock())
    assert not _signed_in(other_session)


def test_a_new_password_is_audited_with_the_revoked_tokens(user, key):
    user.set_password(NEW_PASSWORD)
    user.save()
    assert AuditEvent.objects.filter(action="password.changed", actor=user, detail="tokens revoked=1").exists()


def test_each_revoked_token_is_audited(user, key):
    user.set_password(NEW_PASSWORD)
    user.save()
    assert AuditEvent.objects.filter(action="token.revoked", detail="password changed").count() == 1


def test_removing_the_second_factor_revokes_the_tokens(client, user, key):
    user.totpdevice_set.get().delete()
    assert not _token_works(client, key)


def test_removing_the_second_factor_ends_the_sessions(user, other_session):
    user.totpdevice_set.get().delete()
    assert not Session.objects.exists() and not _signed_in(other_session)


def test_removing_the_second_factor_in_the_admin_revokes_the_tokens(client, admin_client, user, key):
    device = user.totpdevice_set.get()
    r = admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not _token_works(client, key)


def test_removing_the_second_factor_keeps_other_accounts_sessions(user):
    bystander = verify_client(Client(), UserFactory())
    user.totpdevice_set.get().delete()
    assert _signed_in(bystander)


def test_removing_the_second_factor_is_audited(user, key):
    user.totpdevice_set.get().delete()
    assert AuditEvent.objects.filter(action="otp.reset", object_id=str(user.pk)).exists()


def test_an_unconfirmed_device_abandoned_at_enrolment_revokes_nothing(client, user, key):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="pending", confirmed=False).delete()
    assert _token_works(client, key)


def test_deleting_the_account_does_not_fail_on_its_devices(user, key):
    pk = user.pk
    user.delete()
    assert not User.objects.filter(pk=pk).exists() and not ApiToken.objects.exists()


def test_an_already_expired_token_is_left_as_it_was(user):
    expired = ApiToken.objects.create(user=user, key_hash="9" * 64, prefix="old",
                                      expires_at=timezone.now() - datetime.timedelta(hours=1))
    user.set_password(NEW_PASSWORD)
    user.save()
    expired.refresh_from_db()
    assert expired.revoked_at is None
