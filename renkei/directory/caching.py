"""Brief caching of public directory answers, invalidated by a data version bumped on every write."""
import hashlib

from django.core.cache import cache

from . import conf

CACHE_VERSION_KEY = "directory:data-version"


def data_version():
    """A number that changes whenever directory data changes (part of every cache key)."""
    return cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None)


def bump_data_version():
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, timeout=None)


def cached(name, params, compute):
    """compute() once per data version and parameters, kept DIRECTORY_CACHE_SECONDS."""
    seconds = conf.cache_seconds()
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(repr(sorted(params)).encode()).hexdigest()[:32]
    key = f"directory:{name}:{data_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
