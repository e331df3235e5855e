"""Migration operations shared by the apps."""
from typing import Any

from django.db import migrations, models


def add_index_concurrently(app_label: str, model_name: str, index: models.Index) -> migrations.SeparateDatabaseAndState:
    """AddIndex that does not stop writes on PostgreSQL: the index is built with CREATE INDEX CONCURRENTLY, so a
    large table (the audit trail every request appends to, the posts) keeps taking rows while it is built. An
    index left invalid by an interrupted build is dropped and built again. Elsewhere a plain AddIndex.
    The migration using it must set `atomic = False` (PostgreSQL builds such an index outside a transaction)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.add_index(model, index)
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
                           "WHERE c.relname = %s", [index.name])
            found = cursor.fetchone()
        if found is not None and found[0]:
            return
        if found is not None:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(index.name)}")
        schema_editor.add_index(model, index, concurrently=True)

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(index.name)}")
        else:
            schema_editor.remove_index(model, index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model_name, index=index)],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )
