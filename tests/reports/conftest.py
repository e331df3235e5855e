from tests.records.conftest import staff  # noqa: F401  (the same logged-in staff member)
