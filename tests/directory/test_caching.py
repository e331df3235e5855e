"""caching.py: answers cached per data version; with a shared cache, a second layer in each process."""
import pytest
from django.core.cache import cache

from renkei.directory import caching


@pytest.fixture
def shared(monkeypatch):
    """Pretend the default cache is shared between processes (as Redis is), counting its reads."""
    monkeypatch.setattr(caching, "_layered", lambda: True)
    caching._LOCAL.clear()
    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    yield reads
    caching._LOCAL.clear()


def test_without_a_shared_cache_there_is_one_layer(settings):
    settings.DIRECTORY_CACHE_SECONDS = 60
    calls = []
    assert caching.cached("t", [("q", ["a"])], lambda: calls.append(1) or "x") == "x"
    assert caching.cached("t", [("q", ["a"])], lambda: calls.append(1) or "y") == "x"
    assert calls == [1] and not caching._LOCAL._cache


def test_a_cached_answer_is_served_from_the_process_without_asking_the_shared_cache(shared, settings):
    settings.DIRECTORY_CACHE_SECONDS = 60
    caching.cached("t", [("q", ["a"])], lambda: "first")
    shared.clear()
    assert caching.cached("t", [("q", ["a"])], lambda: "second") == "first"
    assert shared == []


def test_a_write_in_this_process_shows_at_once(shared, settings):
    settings.DIRECTORY_CACHE_SECONDS = 60
    caching.cached("t", [], lambda: "old")
    caching.bump_data_version()
    assert caching.cached("t", [], lambda: "new") == "new"


def test_a_write_in_another_process_shows_when_the_local_version_expires(shared, settings, monkeypatch):
    settings.DIRECTORY_CACHE_SECONDS = 60
    caching.cached("t", [], lambda: "old")
    cache.incr(caching.CACHE_VERSION_KEY)  # another worker's write: only the shared version moves
    assert caching.cached("t", [], lambda: "new") == "old"  # within LOCAL_VERSION_SECONDS
    caching._LOCAL.delete(caching.CACHE_VERSION_KEY)  # ...which then runs out
    assert caching.cached("t", [], lambda: "new") == "new"


def test_another_process_finds_the_answer_in_the_shared_cache(shared, settings):
    settings.DIRECTORY_CACHE_SECONDS = 60
    caching.cached("t", [], lambda: "computed once")
    caching._LOCAL.clear()  # a second worker: empty memory, same shared cache
    assert caching.cached("t", [], lambda: "again") == "computed once"
