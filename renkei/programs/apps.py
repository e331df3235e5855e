from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "renkei.programs"
    label = "programs"
    verbose_name = "市の事業"
