"""The API against its own OpenAPI document, with inputs generated from it (schemathesis, no server).

Every operation is called anonymously and with the bearer token of a signed-in member of a patient's
care team who is also municipal staff. Each answer must be no server error, carry a documented
status code and content type, and match the documented schema. Bounded (a few examples per
operation, derandomized, no shrinking) so that the module stays well within the suite's time.
"""
import datetime
import secrets
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from renkei.core.models import ApiToken
from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Generated examples only (schemathesis' coverage phase alone took minutes); the malformed requests it
# found are kept as plain tests in tests/core/test_hostile_input.py.
BOUNDED = {"deadline": None, "derandomize": True, "database": None, "phases": [Phase.generate],
           "suppress_health_check": list(HealthCheck)}


django_application = get_wsgi_application()


@contextmanager
def _test_connection_kept():
    # As Django's test client does: closing "old" connections after a request would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def application(environ, start_response):
    """The project's WSGI application, answering within the test's database transaction."""
    with _test_connection_kept():
        response = django_application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()


# The document as served (loading it touches no database); calls go to the same WSGI application.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def bearer(db):
    """The Authorization header of a staff member on a patient's care team (the patient has consent)."""
    user = UserFactory(is_municipal_staff=True)
    patient = PatientFactory()
    CareTeamMemberFactory(patient=patient, user=user, is_manager=True)
    ConsentFactory(patient=patient, obtained_by=user)
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return f"Bearer {key}"


@schema.parametrize()
@settings(max_examples=5, **BOUNDED)  # most operations answer 401 to every anonymous call
def test_anonymous_calls_answer_as_documented(case, db):
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.validate_response(case.call(), checks=CHECKS)


@schema.parametrize()
@settings(max_examples=15, **BOUNDED)
def test_signed_in_calls_answer_as_documented(case, bearer):
    case.validate_response(case.call(headers={"Authorization": bearer}), checks=CHECKS)
