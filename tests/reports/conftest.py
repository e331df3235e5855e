"""Fixtures shared by the report tests."""
import pytest
from django.core.cache import cache


@pytest.fixture
def cached(settings):
    """The API's report cache on (REPORT_API_CACHE_SECONDS = 30), empty before and after the test."""
    settings.REPORT_API_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()
