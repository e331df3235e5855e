"""Django's Redis cache backend with two costs of its client removed (CACHES uses it when REDIS_URL is set).

- Django's client builds a new `redis.Redis` object for every cache call; its constructor fills a table of
  about 160 response callbacks, which cost a new timeline post a tenth of its application CPU (two calls,
  docs/benchmark.md "Where the time goes"). Here each connection pool's `Redis` object is built once and
  reused: it holds no state of its own between calls (the pool hands out connections, thread-safely).
- Django's `incr` asks `EXISTS`, then `INCRBY`: two round trips. Here one script does both atomically (the
  key is never created by an increment: a missing key still raises ValueError, as the cache API requires).
"""
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

# INCRBY only when the key exists; nil (None in Python) otherwise.
INCR_EXISTING = """if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return nil"""


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._incr_script: Any = None

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django: Any = self  # Django's private helpers, which django-stubs does not declare
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = django._client(connection_pool=django._get_connection_pool(write))
        return client

    def incr(self, key: Any, delta: int) -> int:
        client = self.get_client(key, write=True)
        if self._incr_script is None:
            self._incr_script = client.register_script(INCR_EXISTING)
        value = self._incr_script(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)


class RedisCache(DjangoRedisCache):
    """settings.CACHES backend: Django's RedisCache with the client above."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
