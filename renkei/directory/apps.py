from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    label = "directory"
    verbose_name = "資源マップ"

    def ready(self):
        from . import signals  # noqa: F401
