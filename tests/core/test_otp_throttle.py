"""Wrong second-factor codes: a capped wait, told plainly, audited; the real user gets in after it."""
import datetime

import pytest
from django.utils import timezone

from renkei.core import otp
from renkei.core.models import AuditEvent
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db



@pytest.fixture
def signed_in(client, user):
    """Past the password, at the second step."""
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client


def _failed(device, times, seconds_ago):
    device.throttling_failure_count = times
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    device.save()


def test_the_wait_doubles_with_each_wrong_code(user):
    _failed(user.device, 4, 0)
    assert otp.wait_seconds(user.device) == 8


def test_the_wait_never_exceeds_the_cap(user, settings):
    _failed(user.device, 40, 0)
    assert otp.wait_seconds(user.device) == settings.OTP_THROTTLE_MAX_SECONDS


def test_six_wrong_codes_then_the_valid_one_after_the_wait_gets_in(signed_in, user):
    for _ in range(6):
        signed_in.post("/accounts/otp/", {"otp": "000000"})
    _failed(user.device, 6, 33)  # the wait after six wrong codes (32 s) has passed
    r = signed_in.post("/accounts/otp/", {"otp": current_code(user.device), "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"


def test_after_many_wrong_codes_the_valid_one_works_after_the_capped_wait(signed_in, user, settings):
    _failed(user.device, 60, settings.OTP_THROTTLE_MAX_SECONDS + 1)
    r = signed_in.post("/accounts/otp/", {"otp": current_code(user.device), "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"


def test_django_otps_own_check_is_capped_too(user, settings):
    """The admin login checks codes through django-otp directly."""
    _failed(user.device, 60, 0)
    locked_until = user.device.verify_is_allowed()[1]["locked_until"]
    assert locked_until <= timezone.now() + datetime.timedelta(seconds=settings.OTP_THROTTLE_MAX_SECONDS)


def test_during_the_wait_the_user_is_told_how_long_in_japanese(signed_in, user):
    _failed(user.device, 60, 10)
    r = signed_in.post("/accounts/otp/", {"otp": current_code(user.device)})
    assert r.status_code == 429 and "あと4分50秒は確認できません" in r.content.decode()


def test_during_the_wait_a_valid_code_is_not_consumed(signed_in, user):
    _failed(user.device, 60, 10)
    code = current_code(user.device)
    signed_in.post("/accounts/otp/", {"otp": code})
    user.device.refresh_from_db()
    assert user.device.last_t == -1 and user.device.throttling_failure_count == 60


def test_a_throttled_attempt_is_audited(signed_in, user):
    _failed(user.device, 60, 10)
    signed_in.post("/accounts/otp/", {"otp": "000000"})
    assert AuditEvent.objects.filter(action="otp.throttled", actor=user, detail="wait=290s").exists()


def test_a_valid_code_clears_the_count_of_the_backup_codes_too(signed_in, user):
    otp.new_backup_codes(user)
    signed_in.post("/accounts/otp/", {"otp": "000000"})  # counted against both devices
    _failed(user.device, 1, 5)
    _failed(user.staticdevice_set.get(), 1, 5)
    signed_in.post("/accounts/otp/", {"otp": current_code(user.device)})
    assert user.staticdevice_set.get().throttling_failure_count == 0


def _issue(client, user, code):
    body = {"username": user.username, "password": PASSWORD, "otp": code}
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def test_the_token_endpoint_answers_429_json_during_the_wait(client, user):
    _failed(user.device, 60, 10)
    r = _issue(client, user, current_code(user.device))
    assert r.status_code == 429 and "確認できません" in r.json()["detail"]


def test_the_token_endpoint_audits_a_throttled_attempt(client, user):
    _failed(user.device, 60, 10)
    _issue(client, user, "000000")
    assert AuditEvent.objects.filter(action="otp.throttled", actor=user, detail__startswith="api token").exists()


def test_the_token_endpoint_issues_after_the_capped_wait(client, user, settings):
    _failed(user.device, 60, settings.OTP_THROTTLE_MAX_SECONDS + 1)
    assert _issue(client, user, current_code(user.device)).status_code == 200
