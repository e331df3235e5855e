"""Brief caching of public directory answers, invalidated by a data version bumped on every write.

With a shared cache (Redis, several workers) each worker also keeps the answers and the data version
in its own memory, so a cached answer costs no round trip to Redis: a write bumps the shared version
and this process's copy at once; other workers see the new version within LOCAL_VERSION_SECONDS.
Without Redis the default cache already is each process's memory, and there is no second layer.
"""
import hashlib

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from . import conf

CACHE_VERSION_KEY = "directory:data-version"
LOCAL_VERSION_SECONDS = 5
_LOCAL = LocMemCache("renkei-directory-local", {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 500}})


def _layered():
    """Whether the default cache is shared between processes (then this process keeps a copy too)."""
    return not isinstance(caches["default"], LocMemCache)


def data_version():
    """A number that changes whenever directory data changes (part of every cache key)."""
    if not _layered():
        return cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None)
    version = _LOCAL.get(CACHE_VERSION_KEY)
    if version is None:
        version = cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None)
        _LOCAL.set(CACHE_VERSION_KEY, version, LOCAL_VERSION_SECONDS)
    return version


def bump_data_version():
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, timeout=None)
    _LOCAL.delete(CACHE_VERSION_KEY)


def cached(name, params, compute):
    """compute() once per data version and parameters, kept DIRECTORY_CACHE_SECONDS."""
    seconds = conf.cache_seconds()
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(repr(sorted(params)).encode()).hexdigest()[:32]
    key = f"directory:{name}:{data_version()}:{digest}"
    layered = _layered()
    value = _LOCAL.get(key) if layered else None
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    if layered:
        _LOCAL.set(key, value, seconds)
    return value
