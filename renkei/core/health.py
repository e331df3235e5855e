"""Readiness: whether this process can serve requests (the database, and Redis when configured)."""
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .unavailable import DATABASE_ERRORS


def readiness_problem() -> str | None:
    """None when the database (and the Redis cache, if configured) answers; else a Japanese reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        return "データベースに接続できません。"
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        try:
            cache.get("renkei:ready")
        except Exception:  # redis-py raises its own ConnectionError/TimeoutError; any failure is "not ready"
            return "Redis に接続できません。"
    return None
