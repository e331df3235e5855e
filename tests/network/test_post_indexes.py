"""The posts' partial indexes for the annual report's first replies (migration network 0012) exist in the
database with the columns the report's query reads, so PostgreSQL can answer it from the indexes alone."""
import pytest
from django.db import connection

from renkei.network.models import Post

pytestmark = pytest.mark.django_db


def _indexes():
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Post._meta.db_table)


@pytest.mark.parametrize(("name", "columns"), [
    ("post_open_important_idx", ["patient_id", "created_at", "id", "author_id"]),
    ("post_open_reply_idx", ["parent_id", "created_at", "author_id"]),
    ("post_important_idx", ["patient_id", "created_at"]),  # kept: the inbox's important posts use it
])
def test_the_first_reply_indexes_exist(name, columns):
    index = _indexes().get(name)
    assert index is not None and index["index"], name
    assert index["columns"] == columns


def test_the_indexes_are_partial():
    if connection.vendor != "postgresql":
        pytest.skip("the index predicate is read from PostgreSQL's catalogue")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_expr(indpred, indrelid) FROM pg_index "
                       "WHERE indexrelid::regclass::text IN ('post_open_important_idx', 'post_open_reply_idx')")
        predicates = dict(cursor.fetchall())
    assert "important" in predicates["post_open_important_idx"] and "retracted_at IS NULL" in predicates[
        "post_open_important_idx"] and "'team'" in predicates["post_open_important_idx"]
    assert "parent_id IS NOT NULL" in predicates["post_open_reply_idx"]
