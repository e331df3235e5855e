"""Registration tells nobody which usernames and addresses exist (the mail does), and is rate-limited."""
import pytest
from django.core import mail

from renkei.core.models import AuditEvent, RegistrationStatus, User
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/register/"
GOOD_PASSWORD = "kyou-mo-houmon-2026"


@pytest.fixture
def application():
    facility = FacilityFactory()
    return {
        "name": "申請 次郎", "name_kana": "シンセイ ジロウ", "profession": "physician", "facility": facility.pk,
        "phone": "0422-11-2233", "email": "jiro@example.invalid", "username": "shinsei",
        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "agree": "on",
    }


def _apply(client, data, ip="203.0.113.20", **overrides):
    return client.post(URL, data | overrides, REMOTE_ADDR=ip)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """sent(client, data, **overrides) applies and returns the mails sent once the application committed."""

    def _sent(client, data, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            _apply(client, data, **overrides)
        return mail.outbox

    return _sent


def _same(r1, r2):
    return (r1.status_code, r1.get("Location")) == (r2.status_code, r2.get("Location"))


def test_a_taken_username_gets_the_same_answer_as_a_new_one(client, application):
    UserFactory(username="Shinsei")
    taken = _apply(client, application)
    assert _same(taken, _apply(client, application, username="atarashii", email="new@example.invalid"))


def test_a_taken_address_gets_the_same_answer_as_a_new_one(client, application):
    UserFactory(email="Jiro@example.invalid")
    taken = _apply(client, application)
    assert _same(taken, _apply(client, application, username="atarashii", email="new@example.invalid"))


def test_a_taken_username_creates_no_account(client, application):
    UserFactory(username="shinsei", email="first@example.invalid")
    _apply(client, application)
    assert not User.objects.filter(email="jiro@example.invalid").exists()


def test_a_taken_address_creates_no_account(client, application):
    UserFactory(email="jiro@example.invalid")
    _apply(client, application)
    assert not User.objects.filter(username="shinsei").exists()


def test_the_owner_of_a_taken_address_is_told_by_mail(client, application, sent):
    UserFactory(email="jiro@example.invalid")
    [message] = sent(client, application)
    assert message.to == ["jiro@example.invalid"] and "このメールアドレス" in message.subject


def test_the_mail_to_the_owner_links_to_the_password_reset(client, application, sent):
    UserFactory(email="jiro@example.invalid")
    assert "/accounts/password/reset/" in sent(client, application)[0].body


def test_the_applicant_of_a_taken_username_is_told_at_their_address(client, application, sent):
    UserFactory(username="shinsei")
    [message] = sent(client, application)
    assert message.to == ["jiro@example.invalid"] and "別のユーザー名" in message.body


def test_a_new_application_sends_no_such_mail(client, application, sent):
    assert sent(client, application) == []


def test_an_address_of_a_rejected_application_may_apply_again(client, application):
    UserFactory(email="jiro@example.invalid", registration_status=RegistrationStatus.REJECTED)
    _apply(client, application)
    assert User.objects.filter(username="shinsei", registration_status=RegistrationStatus.PENDING).exists()


def test_a_taken_username_or_address_is_audited(client, application):
    existing = UserFactory(email="jiro@example.invalid")
    _apply(client, application)
    assert AuditEvent.objects.filter(action="registration.duplicate", object_id=str(existing.pk)).exists()


def _race(monkeypatch):
    """The same username saved by another application a moment before this one."""
    from django.db import IntegrityError

    def save(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(User, "save", save)


def test_a_username_taken_at_the_same_moment_gets_the_same_answer(client, application, monkeypatch):
    _race(monkeypatch)
    r = _apply(client, application)
    assert r.status_code == 302 and r["Location"] == "/accounts/register/done/"


def test_a_username_taken_at_the_same_moment_is_told_by_mail(client, application, monkeypatch, sent):
    _race(monkeypatch)
    assert "別のユーザー名" in sent(client, application)[0].body


def test_it_answers_429_in_japanese_past_the_limit(client, application, settings):
    for i in range(settings.REGISTRATION_RATE_LIMIT):
        _apply(client, application, username=f"shinsei{i}", email=f"jiro{i}@example.invalid")
    r = _apply(client, application)
    assert r.status_code == 429 and "時間をおいてから" in r.content.decode()


def test_past_the_limit_nothing_is_created(client, application, settings):
    for i in range(settings.REGISTRATION_RATE_LIMIT):
        _apply(client, application, username=f"shinsei{i}", email=f"jiro{i}@example.invalid")
    _apply(client, application)
    assert not User.objects.filter(username="shinsei").exists()


def test_the_limit_counts_invalid_forms_too(client, application, settings):
    for _ in range(settings.REGISTRATION_RATE_LIMIT):
        _apply(client, application, agree="")
    assert _apply(client, application).status_code == 429


def test_the_limit_is_per_address(client, application, settings):
    for _ in range(settings.REGISTRATION_RATE_LIMIT):
        _apply(client, application, agree="")
    assert _apply(client, application, ip="198.51.100.20").status_code == 302


def test_passing_the_limit_is_audited_once(client, application, settings):
    for _ in range(settings.REGISTRATION_RATE_LIMIT + 3):
        _apply(client, application, agree="")
    assert AuditEvent.objects.filter(action="registration.throttled").count() == 1


def test_the_form_itself_is_still_shown_past_the_limit(client, application, settings):
    for _ in range(settings.REGISTRATION_RATE_LIMIT + 1):
        _apply(client, application, agree="")
    assert client.get(URL, REMOTE_ADDR="203.0.113.20").status_code == 200
