from django.apps import AppConfig


class MedicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renkei.medication"
    verbose_name = "お薬"
