from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "renkei.records"
    label = "records"
    verbose_name = "事業記録"
