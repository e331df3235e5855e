"""Production settings: `check --deploy` is clean, cookies and headers are secure."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY = {"RENKEI_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "RENKEI_INSECURE_HTTP", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "RENKEI_DEMO"}


def _production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return env | {
        "DEBUG": "0",
        "RENKEI_DEMO": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "renkei.example.jp",
        "RENKEI_VAR_DIR": str(tmp_path),
    } | extra


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout and "WARNING" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _manage(env, "check")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def _settings_in(tmp_path, *names, **env):
    code = "import django;django.setup();from django.conf import settings as s;" + ";".join(
        f"print(repr(s.{n}))" for n in names
    )
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="renkei.settings", **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [eval(line) for line in result.stdout.splitlines()]  # noqa: S307 (our own reprs)


def test_production_cookies_are_secure_and_http_only(tmp_path):
    assert _settings_in(tmp_path, "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY") == [
        True,
        True,
        True,
    ]


def test_production_forces_https_with_hsts(tmp_path):
    redirect, hsts = _settings_in(tmp_path, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
    assert redirect and hsts >= 31536000


def test_production_serves_only_collected_static_files(tmp_path):
    assert _settings_in(tmp_path, "WHITENOISE_USE_FINDERS") == [False]


def test_the_demo_serves_static_files_without_collectstatic(tmp_path):
    assert _settings_in(tmp_path, "WHITENOISE_USE_FINDERS", RENKEI_DEMO="1") == [True]


def test_the_demo_mails_to_the_console(tmp_path):
    assert _settings_in(tmp_path, "EMAIL_BACKEND", RENKEI_DEMO="1") == ["django.core.mail.backends.console.EmailBackend"]


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client):
    r = client.get("/accounts/login/")
    assert (r["X-Frame-Options"], r["X-Content-Type-Options"], r["Referrer-Policy"]) == ("DENY", "nosniff", "same-origin")


def test_sessions_end_when_the_browser_closes(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_collectstatic_succeeds_with_the_production_manifest_storage(tmp_path):
    result = _manage(_production_env(tmp_path, STATIC_ROOT=str(tmp_path / "static")), "collectstatic", "--noinput")
    assert result.returncode == 0, result.stdout + result.stderr


def test_push_is_off_in_production_without_a_vapid_key_pair(tmp_path):
    assert _settings_in(tmp_path, "VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY") == ["", ""]


def test_the_demo_pushes_with_its_development_key_pair(tmp_path):
    public, private = _settings_in(tmp_path, "VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", RENKEI_DEMO="1",
                                   ALLOWED_HOSTS="127.0.0.1")
    assert public.startswith("B") and private


def test_one_vapid_key_without_the_other_stops_start_up(tmp_path):
    result = _manage(_production_env(tmp_path, VAPID_PUBLIC_KEY="BPublic"), "check")
    assert result.returncode != 0 and "VAPID_PRIVATE_KEY" in result.stderr


def test_the_vapid_private_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "vapid"
    secret.write_text("the-private-key\n")
    assert _settings_in(tmp_path, "VAPID_PRIVATE_KEY", VAPID_PUBLIC_KEY="BPublic",
                        VAPID_PRIVATE_KEY_FILE=str(secret)) == ["the-private-key"]
