"""renkei.core.rediscache: one Redis client object per pool, and an increment in one round trip that still
refuses a missing key (the report's data versions rely on that to start a lost key anew).

Needs the Redis server at 127.0.0.1:6379 (its database 15, keys under a prefix of this run); without it the
tests skip, unless RENKEI_REQUIRE_REDIS=1 (CI) makes its absence a failure.
"""
import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from renkei.core.rediscache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_reachable():
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.fixture
def redis_cache(settings):
    if not _redis_reachable():
        if os.environ.get("RENKEI_REQUIRE_REDIS") == "1":
            pytest.fail("RENKEI_REQUIRE_REDIS=1 but no Redis answers at 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"renkei-test-{uuid.uuid4().hex}"
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    yield backend
    backend.delete_many(["n", "missing", "text", "a", "b"])


def _commands(backend):
    """The commands the backend sends from now on (redis-py's MONITOR would need a second connection)."""
    sent = []
    client = backend._cache.get_client(write=True)
    original = client.execute_command

    def counting(*args, **options):
        sent.append(args[0])
        return original(*args, **options)

    client.execute_command = counting
    return sent


def test_settings_use_this_backend_with_redis():
    from renkei import settings as project

    assert "renkei.core.rediscache.RedisCache" in open(project.__file__, encoding="utf-8").read()


def test_one_client_object_per_pool(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client("key", write=True) is client


def test_incr_counts_like_djangos_backend(redis_cache):
    redis_cache.set("n", 10)
    assert redis_cache.incr("n") == 11
    assert redis_cache.incr("n", 5) == 16
    assert redis_cache.decr("n", 6) == 10
    assert redis_cache.get("n") == 10


def test_incr_of_a_missing_key_raises_and_creates_nothing(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("missing")
    assert redis_cache.get("missing") is None
    assert not redis_cache.has_key("missing")
    # Django's own backend answers the same way.
    plain = DjangoRedisCache(REDIS_URL, {"KEY_PREFIX": redis_cache.key_prefix})
    with pytest.raises(ValueError):
        plain.incr("missing")


def test_incr_is_one_command(redis_cache):
    redis_cache.set("n", 1)
    sent = _commands(redis_cache)
    redis_cache.incr("n")
    assert sent[-1] == "EVALSHA"  # the first call may load the script into the server first
    sent.clear()
    redis_cache.incr("n")
    assert sent == ["EVALSHA"]
    assert redis_cache.get("n") == 3


def test_incr_of_a_value_that_is_no_integer_fails(redis_cache):
    redis_cache.set("text", "not a number")
    import redis

    with pytest.raises(redis.ResponseError):
        redis_cache.incr("text")


def test_other_operations_unchanged(redis_cache):
    redis_cache.set_many({"a": {"x": 1}, "b": [1, 2]})
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": [1, 2]}
    assert redis_cache.add("a", 5) is False
    redis_cache.delete("a")
    assert redis_cache.get("a") is None

