import pytest
from django_otp.oath import TOTP

from tests.factories import PASSWORD, UserFactory, musashino, totp_device

pytestmark = pytest.mark.django_db(transaction=True)


def _login_password(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="次へ").click()


def test_doctor_logs_in_with_the_totp_code_and_reaches_home(page, live_server):
    doctor = UserFactory(username="doctor", name="往診 一郎")
    device = totp_device(doctor)
    _login_password(page, live_server, doctor)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    page.get_by_label("確認コード").fill(code)
    page.get_by_role("button", name="確認").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "往診 一郎" in page.content()


def test_a_password_alone_does_not_pass_the_second_factor(page, live_server):
    doctor = UserFactory(username="doctor")
    totp_device(doctor)
    _login_password(page, live_server, doctor)
    page.wait_for_url("**/accounts/otp/**")
    page.goto(f"{live_server.url}/accounts/otp/setup/")
    assert "/accounts/otp/" in page.url and "二段階認証" in page.content()


def test_the_demo_doctor_logs_in_with_the_documented_secret(page, live_server, settings):
    import base64

    from django.core.management import call_command

    settings.DEMO = True
    musashino()  # transactional tests flush the seeded municipalities
    call_command("load_demo")
    key = base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("doctor")
    page.get_by_label("パスワード").fill("renkei-demo-2026")
    page.get_by_role("button", name="次へ").click()
    page.get_by_label("確認コード").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="確認").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "往診 一郎" in page.content()
