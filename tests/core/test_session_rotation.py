"""The session key changes when the second factor is given (a key seen before it must not carry it)."""
import pytest

from tests.factories import PASSWORD, UserFactory, current_code, totp_device

pytestmark = pytest.mark.django_db



def test_the_session_key_changes_at_the_second_factor(client):
    user = UserFactory()
    device = totp_device(user)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    before = client.session.session_key
    client.post("/accounts/otp/", {"otp": current_code(device), "next": "/"})
    assert client.session.session_key != before


def test_the_login_survives_the_new_session_key(client):
    user = UserFactory()
    device = totp_device(user)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    client.post("/accounts/otp/", {"otp": current_code(device), "next": "/"})
    assert client.get("/").wsgi_request.user.is_verified()


def test_the_session_key_changes_when_a_first_device_is_enrolled(client):
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    client.get("/accounts/otp/setup/")
    before = client.session.session_key
    device = user.totpdevice_set.get()
    client.post("/accounts/otp/setup/", {"otp": current_code(device)})
    assert client.session.session_key != before
