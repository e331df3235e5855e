"""System checks that stop `manage.py check` (and every start-up that runs it) on unsafe settings."""
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@register()
def demo_mode_is_local_only(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Demo mode publishes its TOTP secret and passwords: it may only answer on this machine."""
    if not getattr(settings, "DEMO", False):
        return []
    outside = [host for host in settings.ALLOWED_HOSTS if host.lower() not in LOCAL_HOSTS]
    if not outside:
        return []
    return [
        Error(
            f"RENKEI_DEMO is on but ALLOWED_HOSTS lets in {', '.join(outside)}.",
            hint="Demo accounts share a published password and TOTP secret; allow only "
            "127.0.0.1, localhost or ::1, or turn RENKEI_DEMO off.",
            id="renkei.E001",
        )
    ]
