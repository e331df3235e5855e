"""Migration tests: move the test database to a state of the migration graph and back (transactional tests
only, as the executor runs the real migrations)."""
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> Apps:
    """Migrate to `targets` ((app, migration) pairs) and give the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def migrate_to_latest() -> Apps:
    """Back to the latest state of every app (what the rest of the suite expects)."""
    return migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
