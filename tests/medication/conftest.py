import pytest

from tests.factories import api_key


@pytest.fixture
def bearer():
    """bearer(user) -> the Authorization header value of a fresh API token."""

    def _bearer(user):
        return f"Bearer {api_key(user)}"

    return _bearer


@pytest.fixture
def audit_queries():
    """Queries one audit row costs: one round trip on PostgreSQL, the chain read and the INSERT elsewhere."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 2
