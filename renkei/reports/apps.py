from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "renkei.reports"
    label = "reports"
    verbose_name = "年次報告"

    def ready(self):
        from . import cache

        cache.connect()
