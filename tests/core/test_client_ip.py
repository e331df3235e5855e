"""The client address in the audit trail and the lock-out, read through trusted reverse proxies only."""
import pytest
from django.test import RequestFactory

from renkei.core.audit import client_ip

rf = RequestFactory()


def _request(xff=None, remote="10.0.0.1"):
    extra = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": xff} if xff else {})
    return rf.get("/", **extra)


def test_without_proxies_it_uses_the_socket_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9")) == "10.0.0.1"


def test_behind_one_proxy_it_uses_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("198.51.100.7, 203.0.113.9")) == "203.0.113.9"


def test_a_forged_header_entry_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("1.2.3.4, 203.0.113.9")) != "1.2.3.4"


def test_behind_two_proxies_it_skips_the_inner_one(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_garbage_in_the_header_gives_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("not-an-ip")) is None


@pytest.mark.django_db
def test_the_audit_row_records_the_client_behind_the_proxy(client, settings):
    from renkei.core.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1
    client.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AuditEvent.objects.get(action="login.failure").ip == "203.0.113.9"
