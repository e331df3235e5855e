"""Enrolment of the second factor by QR code, and single-use backup codes."""
import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory, current_code, totp_device

pytestmark = pytest.mark.django_db

URL = "/accounts/otp/setup/"



@pytest.fixture
def newcomer(client):
    """An approved user without a device, logged in with the password only."""
    user = UserFactory(username="newcomer")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return user


def _enrol(client):
    client.get(URL)
    device = TOTPDevice.objects.get(user__username="newcomer", confirmed=False)
    return client.post(URL, {"otp": current_code(device)})


def test_a_user_without_a_device_is_sent_to_enrolment(client, newcomer):
    r = client.get("/accounts/otp/")
    assert r.status_code == 302 and r["Location"].startswith(URL)


def test_it_shows_a_qr_code_and_the_key(client, newcomer):
    body = client.get(URL).content.decode()
    assert "<svg" in body and re.search(r"<code>[A-Z2-7]{16,}</code>", body)


def test_a_wrong_first_code_is_refused_in_japanese(client, newcomer):
    client.get(URL)
    r = client.post(URL, {"otp": "000000"})
    assert "確認コードが正しくありません" in r.content.decode()


def test_a_wrong_first_code_is_audited(client, newcomer):
    client.get(URL)
    client.post(URL, {"otp": "000000"})
    assert AuditEvent.objects.filter(action="otp.failure", actor=newcomer, detail="enrolment").exists()


def test_the_right_code_confirms_the_device(client, newcomer):
    _enrol(client)
    assert TOTPDevice.objects.get(user=newcomer).confirmed


def test_enrolment_is_audited(client, newcomer):
    _enrol(client)
    assert AuditEvent.objects.filter(action="otp.enrolled", actor=newcomer).exists()


def test_enrolment_shows_ten_backup_codes_once(client, newcomer):
    body = _enrol(client).content.decode()
    assert len(re.findall(r"<li><code>\w+</code></li>", body)) == 10 and StaticToken.objects.count() == 10


def test_a_backup_code_works_once(client, newcomer):
    code = re.findall(r"<li><code>(\w+)</code></li>", _enrol(client).content.decode())[0]
    for _ in range(2):
        client.post("/accounts/logout/")
        client.post("/accounts/login/", {"username": "newcomer", "password": PASSWORD})
        r = client.post("/accounts/otp/", {"otp": code})
    assert "すでに使用されています" in r.content.decode()


def test_adding_a_device_needs_the_existing_factor(client):
    user = UserFactory()
    totp_device(user)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    r = client.get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/?")


def test_a_visitor_is_sent_to_login(client):
    assert client.get(URL)["Location"] == "/accounts/login/"
