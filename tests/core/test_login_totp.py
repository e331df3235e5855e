import pytest

from renkei.core.models import AuditEvent, RegistrationStatus
from tests.factories import PASSWORD, UserFactory, current_code

pytestmark = pytest.mark.django_db



def test_password_login_leads_to_the_second_factor(client, user):
    r = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")


def test_it_rejects_a_wrong_password_in_japanese(client, user):
    r = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert "ユーザー名またはパスワードが正しくありません" in r.content.decode()


def test_a_wrong_password_is_audited(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert AuditEvent.objects.filter(action="login.failure").exists()


def test_an_unapproved_account_cannot_log_in(client):
    pending = UserFactory(registration_status=RegistrationStatus.PENDING)
    r = client.post("/accounts/login/", {"username": pending.username, "password": PASSWORD})
    assert r.status_code == 200 and "_auth_user_id" not in client.session


def test_a_valid_code_verifies_the_session(client, user):
    device = user.totpdevice_set.get()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    r = client.post("/accounts/otp/", {"otp": current_code(device), "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"


def _log_in_twice_with_one_code(client, user):
    """Log in, out, and in again offering the same TOTP code; returns the second answer."""
    code = current_code(user.totpdevice_set.get())
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    client.post("/accounts/otp/", {"otp": code})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client.post("/accounts/otp/", {"otp": code})


def test_it_rejects_a_reused_code(client, user):
    r = _log_in_twice_with_one_code(client, user)
    assert "すでに使用されています" in r.content.decode()


def test_a_wrong_code_is_audited(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    client.post("/accounts/otp/", {"otp": "000000"})
    assert AuditEvent.objects.filter(action="otp.failure", actor=user).exists()


def test_it_locks_out_after_repeated_failures(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    r = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 429 and AuditEvent.objects.filter(action="login.lockout").exists()


def test_a_reused_code_is_audited(client, user):
    _log_in_twice_with_one_code(client, user)
    assert AuditEvent.objects.filter(action="otp.failure", actor=user).count() == 1


def test_a_withdrawn_member_cannot_log_in(client):
    gone = UserFactory(registration_status=RegistrationStatus.WITHDRAWN)
    r = client.post("/accounts/login/", {"username": gone.username, "password": PASSWORD})
    assert r.status_code == 200 and "_auth_user_id" not in client.session


def test_a_withdrawn_members_open_session_ends(login):
    member = UserFactory()
    client = login(member)
    type(member).objects.filter(pk=member.pk).update(registration_status=RegistrationStatus.WITHDRAWN)
    r = client.get("/accounts/tokens/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_a_pending_applicant_with_the_right_password_is_told_to_wait(client):
    pending = UserFactory(registration_status=RegistrationStatus.PENDING)
    r = client.post("/accounts/login/", {"username": pending.username, "password": PASSWORD})
    assert "審査中です" in r.content.decode()


def test_a_pending_applicant_with_a_wrong_password_learns_nothing(client):
    pending = UserFactory(registration_status=RegistrationStatus.PENDING)
    r = client.post("/accounts/login/", {"username": pending.username, "password": "wrong"})
    body = r.content.decode()
    assert "審査中" not in body and "ユーザー名またはパスワードが正しくありません" in body


def test_a_withdrawn_member_is_told_so(client):
    gone = UserFactory(registration_status=RegistrationStatus.WITHDRAWN)
    r = client.post("/accounts/login/", {"username": gone.username, "password": PASSWORD})
    assert "退会済み" in r.content.decode()
