from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renkei.core"
    label = "core"
    verbose_name = "基盤"

    def ready(self) -> None:
        from . import checks, otp, signals  # noqa: F401  (system checks; audit of security events, credential changes)

        otp.cap_throttling()

        from django.db.backends.signals import connection_created

        from . import pgtypes

        connection_created.connect(pgtypes.install, dispatch_uid="renkei-c-timestamptz")
