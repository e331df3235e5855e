"""Counters of anonymous events in the shared cache (REDIS_URL; else each process's memory), for rate limits
that keep strangers from filling the audit trail or the applications list."""
import ipaddress

from django.core.cache import cache

from .audit import client_ip


def client_network(request):
    """Where a request comes from, as rate limits see it: the IPv4 address, or the IPv6 /64 network
    (one customer's block, which a client can walk through at will)."""
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return ip


def hit(key, *, window_seconds):
    """Count one event under `key` in a window that starts at its first event; returns the count so far."""
    key = f"renkei:throttle:{key}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        return 1


def count(key):
    """The events counted under `key` in its current window (0 when none)."""
    return cache.get(f"renkei:throttle:{key}", 0)
