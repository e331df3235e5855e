"""Settings of the directory, read from Django's settings (renkei/settings.py reads the environment)."""
from django.conf import settings


def auto_approve():
    """DIRECTORY_AUTO_APPROVE: publish facility edits without staff approval (default off)."""
    return bool(settings.DIRECTORY_AUTO_APPROVE)


def cache_seconds():
    """DIRECTORY_CACHE_SECONDS: how long public directory answers are cached (default 60; 0 turns it off)."""
    return settings.DIRECTORY_CACHE_SECONDS
