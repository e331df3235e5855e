"""PostgreSQL's JIT is off on Renkei's connections: it compiled the annual report's heavy counts at every run
(0.45 s of compiling for 0.1 s of work at region scale)."""
import pytest
from django.db import connection


@pytest.mark.django_db
def test_jit_is_off_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
