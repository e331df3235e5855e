"""Settings of the directory: Django settings win, else the environment, else a safe default."""
from django.conf import settings

from renkei.settings import env_bool, env_int


def auto_approve():
    """DIRECTORY_AUTO_APPROVE: publish facility edits without staff approval (default off)."""
    return getattr(settings, "DIRECTORY_AUTO_APPROVE", None) or env_bool("DIRECTORY_AUTO_APPROVE", False)


def cache_seconds():
    """DIRECTORY_CACHE_SECONDS: how long public directory answers are cached (default 60; 0 turns it off)."""
    value = getattr(settings, "DIRECTORY_CACHE_SECONDS", None)
    return value if value is not None else env_int("DIRECTORY_CACHE_SECONDS", 60)
