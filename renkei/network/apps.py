from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_post_tally(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """After every migrate: bring the post-tally triggers to their wanted definition (nothing to do when
    they already are). SQLite drops a table's triggers when a migration rebuilds the table, so they are
    put back here; on PostgreSQL a changed definition is replaced in place, in one transaction."""
    from django.db import connections

    from . import tally

    connection = connections[using]
    if tally.TABLE in connection.introspection.table_names():
        tally.install(connection)


class NetworkConfig(AppConfig):
    name = "renkei.network"
    label = "network"
    verbose_name = "ケアチーム"

    def ready(self) -> None:
        post_migrate.connect(_install_post_tally, sender=self)
