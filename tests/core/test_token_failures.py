"""Refused bearer tokens: anonymous traffic cannot grow the audit trail without bound."""
import pytest

from renkei.core import tokens
from renkei.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _bad(client, ip="203.0.113.7", n=1):
    r = None
    for i in range(n):
        r = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer bad-{i}", REMOTE_ADDR=ip)
    return r


def _rejections():
    return AuditEvent.objects.filter(action="token.rejected")


def test_a_first_refused_token_is_audited(client):
    _bad(client)
    assert _rejections().get().detail == "/api/v1/auth/tokens"


def test_a_thousand_bad_tokens_from_one_address_write_two_rows(client):
    _bad(client, n=1000)
    assert _rejections().count() == 2


def test_the_row_at_the_limit_gives_the_count(client, settings):
    _bad(client, n=settings.TOKEN_FAILURE_LIMIT)
    assert _rejections().last().detail.endswith(f"{settings.TOKEN_FAILURE_LIMIT} refused from 203.0.113.7")


def test_refusals_up_to_the_limit_are_401(client, settings):
    assert _bad(client, n=settings.TOKEN_FAILURE_LIMIT).status_code == 401


def test_refusals_past_the_limit_are_429_json(client, settings):
    r = _bad(client, n=settings.TOKEN_FAILURE_LIMIT + 1)
    assert r.status_code == 429 and "受け付けません" in r.json()["detail"]


def test_another_address_is_not_limited(client, settings):
    _bad(client, n=settings.TOKEN_FAILURE_LIMIT + 1)
    assert _bad(client, ip="198.51.100.9").status_code == 401


def test_a_valid_token_from_a_limited_address_still_works(client, settings):
    _bad(client, n=settings.TOKEN_FAILURE_LIMIT + 1)
    key, _ = tokens.create_token(request=None, user=UserFactory())
    r = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 200


def test_addresses_of_one_ipv6_64_count_together(client, settings):
    for i in range(settings.TOKEN_FAILURE_LIMIT + 1):
        r = _bad(client, ip=f"2001:db8:1:2::{i + 1:x}")
    assert r.status_code == 429


def test_many_addresses_write_a_bounded_number_of_rows(client, settings):
    settings.TOKEN_FAILURE_AUDIT_ROWS = 5
    for i in range(30):
        _bad(client, ip=f"192.0.2.{i + 1}")
    assert _rejections().count() == 6 and "not recorded" in _rejections().last().detail
