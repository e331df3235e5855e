"""Observability: the JSON request line (LOG_FORMAT=json), errors mailed to ADMINS, Sentry without
personal data."""
import json
import logging
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from renkei.core import observability
from renkei.core.observability import JsonFormatter
from renkei.settings import env_admins
from tests.core.test_database_unavailable import database_away
from tests.core.test_deploy_settings import _manage, _production_env
from tests.factories import UserFactory
from tests.network.test_api import _auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log(settings, caplog):
    """The request-log middleware on, and its lines as JSON objects."""
    settings.MIDDLEWARE = ["renkei.core.observability.RequestLogMiddleware", *settings.MIDDLEWARE]
    caplog.set_level(logging.INFO, logger="renkei.request")

    def lines():
        return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "renkei.request"]

    return lines


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # as a real server: the answer, not the exception
    return client


def test_each_request_logs_one_line_with_id_user_status_duration_and_sql_count(client, login, request_log):
    user = UserFactory()
    login(user)
    response = client.get("/network/")
    (line,) = request_log()
    assert line["request_id"] == response["X-Request-ID"] and line["user_id"] == user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/network/", 200)
    assert line["sql_count"] > 0 and line["duration_ms"] >= 0


def test_the_path_is_logged_without_its_query_string(client, request_log):
    client.get("/directory/", {"q": "武蔵野 花子"})
    (line,) = request_log()
    assert line["path"] == "/directory/" and "花子" not in json.dumps(line, ensure_ascii=False)


def test_an_api_call_logs_the_token_user(client, request_log):
    user = UserFactory()
    client.get("/api/v1/patients", **_auth(user))
    assert request_log()[0]["user_id"] == user.pk


def test_an_anonymous_request_logs_no_user_and_makes_no_query_for_it(client, request_log):
    client.get("/api/v1/health")
    (line,) = request_log()
    assert (line["user_id"], line["sql_count"]) == (None, 0)


def test_a_sane_request_id_from_the_proxy_is_kept(client, request_log):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert response["X-Request-ID"] == request_log()[0]["request_id"] == "proxy-1234abcd"


def test_a_request_id_with_odd_characters_is_replaced(client, request_log):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert response["X-Request-ID"] != "<script>alert(1)</script>" and len(response["X-Request-ID"]) == 32


def test_the_request_line_is_written_even_when_the_database_is_away(client, request_log):
    with database_away():
        client.get("/directory/")
    assert request_log()[0]["status"] == 503


def test_admins_are_read_from_names_and_plain_addresses(monkeypatch):
    monkeypatch.setenv("ADMINS", "運用 担当 <ops@example.invalid>, dev@example.invalid")
    assert env_admins("ADMINS") == [("運用 担当", "ops@example.invalid"), ("dev@example.invalid", "dev@example.invalid")]


def test_a_malformed_admin_address_stops_start_up(monkeypatch):
    monkeypatch.setenv("ADMINS", "ops at example")
    with pytest.raises(ImproperlyConfigured):
        env_admins("ADMINS")


def test_a_server_error_is_mailed_to_admins(client, settings):
    settings.ADMINS = [("運用", "ops@example.invalid")]
    with mock.patch("renkei.api.readiness_problem", side_effect=ValueError("a bug")):
        client.get("/api/v1/health/ready")
    assert [m.to for m in mail.outbox] == [["ops@example.invalid"]]


def test_a_database_outage_is_not_mailed_request_by_request(client, settings):
    settings.ADMINS = [("運用", "ops@example.invalid")]
    with database_away():
        client.get("/directory/")
    assert mail.outbox == []


def test_sentry_is_initialised_without_personal_data():
    with mock.patch("sentry_sdk.init") as init:
        observability.init_sentry("https://key@sentry.example.invalid/1")
    options = init.call_args.kwargs
    assert not options.get("send_default_pii") and options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never" and options["before_send"] is observability._scrub


def test_sentry_events_lose_query_string_body_and_cookies():
    event = {"request": {"url": "/x", "query_string": "q=花子", "data": {"name": "花子"}, "cookies": {"sessionid": "s"}}}
    assert observability._scrub(event, {})["request"] == {"url": "/x"}


def test_an_unknown_log_format_stops_start_up(tmp_path):
    result = _manage(_production_env(tmp_path, LOG_FORMAT="jsn"), "check")
    assert result.returncode != 0 and "LOG_FORMAT" in result.stderr


def test_an_outage_met_while_loading_the_session_is_not_mailed_either(client, login, settings):
    settings.ADMINS = [("運用", "ops@example.invalid")]
    login(UserFactory())
    with database_away():
        client.get("/network/")
    assert mail.outbox == []
