from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "renkei.sheets"
    label = "sheets"
    verbose_name = "連携シート"
