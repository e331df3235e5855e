import base64

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP


def test_it_prints_the_current_demo_code(settings, capsys):
    settings.DEMO = True
    call_command("demo_totp")
    key = base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET)
    assert capsys.readouterr().out.strip() == f"{TOTP(key).token():06d}"


def test_it_refuses_outside_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(CommandError):
        call_command("demo_totp")
