"""System check: demo mode (published password and TOTP secret) answers only on this machine."""
from renkei.core.checks import demo_mode_is_local_only


def test_demo_mode_on_local_hosts_passes(settings):
    settings.DEMO = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
    assert demo_mode_is_local_only(None) == []


def test_demo_mode_with_a_public_host_is_an_error(settings):
    settings.DEMO = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "renkei.example.jp"]
    errors = demo_mode_is_local_only(None)
    assert [e.id for e in errors] == ["renkei.E001"] and "renkei.example.jp" in errors[0].msg


def test_demo_mode_with_a_wildcard_host_is_an_error(settings):
    settings.DEMO = True
    settings.ALLOWED_HOSTS = ["*"]
    assert [e.id for e in demo_mode_is_local_only(None)] == ["renkei.E001"]


def test_a_public_host_without_demo_mode_passes(settings):
    settings.DEMO = False
    settings.ALLOWED_HOSTS = ["renkei.example.jp"]
    assert demo_mode_is_local_only(None) == []


def test_the_check_is_registered(settings):
    from django.core.checks import run_checks

    settings.DEMO = True
    settings.ALLOWED_HOSTS = ["0.0.0.0"]
    assert "renkei.E001" in [e.id for e in run_checks()]
