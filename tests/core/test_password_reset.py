"""Password reset by e-mail, with Japanese pages, audited; the second factor still guards login."""
import re

import pytest
from django.core import mail

from renkei.core.models import AuditEvent, RegistrationStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "atarashii-kagi-2026"


def _link(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    return re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)


def _set(client, link, password=NEW_PASSWORD, confirm=None):
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    return client.post(form_url, {"new_password1": password, "new_password2": confirm or password})


def test_the_login_page_links_to_it(client):
    assert "/accounts/password/reset/" in client.get("/accounts/login/").content.decode()


def test_it_mails_a_link_in_japanese(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1 and "パスワード再設定" in mail.outbox[0].subject


def test_the_request_is_audited(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    assert AuditEvent.objects.filter(action="password.reset_requested", detail__contains=user.email).exists()


def test_an_unknown_address_gets_the_same_page_and_no_mail(client):
    r = client.post("/accounts/password/reset/", {"email": "nobody@example.invalid"})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/sent/" and mail.outbox == []


def test_a_pending_applicant_gets_no_mail(client):
    UserFactory(email="pending@example.invalid", registration_status=RegistrationStatus.PENDING)
    client.post("/accounts/password/reset/", {"email": "pending@example.invalid"})
    assert mail.outbox == []


def test_the_link_sets_a_new_password(client, user):
    r = _set(client, _link(client, user))
    user.refresh_from_db()
    assert r.status_code == 302 and user.check_password(NEW_PASSWORD)


def test_the_change_is_audited(client, user):
    _set(client, _link(client, user))
    assert AuditEvent.objects.filter(action="password.reset", actor=user).exists()


def test_a_weak_new_password_is_refused_in_japanese(client, user):
    r = _set(client, _link(client, user), password="abc")
    assert r.status_code == 200 and "短すぎます" in r.content.decode()


def test_mismatched_new_passwords_are_refused(client, user):
    r = _set(client, _link(client, user), confirm=NEW_PASSWORD + "!")
    assert "確認用のパスワードが一致しません" in r.content.decode()


def test_a_used_link_is_refused(client, user):
    link = _link(client, user)
    _set(client, link)
    r = client.get(link, follow=True)
    assert "このリンクは無効です" in r.content.decode()


def test_a_forged_link_is_refused(client, user):
    r = client.get("/accounts/password/reset/MQ/forged-token/")
    assert r.status_code == 200 and "このリンクは無効です" in r.content.decode()


def test_after_a_reset_login_still_needs_the_second_factor(client, user):
    _set(client, _link(client, user))
    r = client.post("/accounts/login/", {"username": user.username, "password": NEW_PASSWORD})
    assert r["Location"].startswith("/accounts/otp/")
