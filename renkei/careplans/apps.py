from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "renkei.careplans"
    verbose_name = "ケアプラン連携"
