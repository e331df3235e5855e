"""A database that cannot be reached answers 503 with Retry-After (JSON on the API, a Japanese page on
the web), never 500; liveness stays 200 and readiness says 503 until the database is back."""
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection

from tests.factories import UserFactory
from tests.network.test_api import _auth

pytestmark = pytest.mark.django_db


@contextmanager
def database_away():
    """Every new query fails as it does when PostgreSQL is stopped (connect refused)."""
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        yield


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # as a real server: the answer, not the exception
    return client


def test_an_api_call_answers_503_json_with_retry_after(client):
    headers = _auth(UserFactory())
    with database_away():
        response = client.get("/api/v1/patients", **headers)
    assert (response.status_code, response["Retry-After"], list(response.json())) == (503, "30", ["detail"])


def test_an_api_call_answers_503_json_in_debug_mode_too(client, settings):
    settings.DEBUG = True  # ninja's own handler would answer a 500 traceback
    headers = _auth(UserFactory())
    with mock.patch("renkei.network.api.selectors.get_visible_patient_or_404", side_effect=OperationalError("gone")):
        response = client.get("/api/v1/patients/1", **headers)
    assert (response.status_code, response["Retry-After"]) == (503, "30")


def test_a_page_answers_the_japanese_503_page(client):
    with database_away():
        response = client.get("/directory/")
    assert response.status_code == 503 and "一時的に利用できません" in response.content.decode()


def test_a_page_of_a_logged_in_user_answers_503_when_the_session_cannot_be_read(client, login):
    login(UserFactory())
    with database_away():
        response = client.get("/network/")
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "一時的に利用できません" in response.content.decode()


def test_other_errors_still_answer_500(client):
    with mock.patch("renkei.api.readiness_problem", side_effect=ValueError("a bug")):
        response = client.get("/api/v1/health/ready")
    assert response.status_code == 500


def test_liveness_stays_200_while_the_database_is_away(client):
    with database_away():
        response = client.get("/api/v1/health")
    assert response.status_code == 200


def test_readiness_answers_503_while_the_database_is_away(client):
    with database_away():
        response = client.get("/api/v1/health/ready")
    assert response.status_code == 503 and "detail" in response.json()


def test_readiness_answers_200_when_the_database_answers(client):
    response = client.get("/api/v1/health/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_answers_503_when_the_configured_redis_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 503 and "Redis" in response.json()["detail"]


def test_database_connections_are_health_checked(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
