"""Counters of anonymous events in the shared cache (REDIS_URL; else each process's memory), for rate limits
that keep strangers from filling the audit trail or the applications list."""
import ipaddress

from django.core.cache import cache
from django.http import HttpRequest

from .audit import client_ip


def client_network(request: HttpRequest) -> str:
    """Where a request comes from, as rate limits see it: the IPv4 address, or the IPv6 /64 network
    (one customer's block, which a client can walk through at will)."""
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return ip


def hit(key: str, *, window_seconds: int) -> int:
    """Count one event under `key` in a window that starts at its first event; returns the count so far."""
    key = f"renkei:throttle:{key}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        counted: int = cache.incr(key)
        return counted
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        return 1


def count(key: str) -> int:
    """The events counted under `key` in its current window (0 when none)."""
    counted: int = cache.get(f"renkei:throttle:{key}", 0)
    return counted
