"""ORM queries of every request compiled to SQL once per process, run with each request's values.

Django compiles a queryset to SQL anew on every evaluation; for the few small queries every API request runs
(the access check of one patient) that compilation cost more CPU than PostgreSQL spent answering them
(docs/benchmark.md, "Where the time goes"). `CompiledQuery` builds the queryset once with sample values,
keeps the SQL and the compiler's column mapping, and on each run swaps in the request's values and lets the
ORM's own iterable turn the rows into instances — same SQL, same instances (select_related and annotations
included) as the queryset built anew would give.
"""
import copy
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet


class CompiledQuery:
    """`build(*values)` → QuerySet of `model`, compiled once per database with `samples` standing for the values.

    Each sample must appear exactly once among the compiled parameters (choose values no constant of the
    query can equal, e.g. negative ids); otherwise, or when the query compiles to nothing, every run builds
    the queryset anew (the same answer, without the saving).
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any]], *samples: Any) -> None:
        self.model = model
        self.build = build
        self.samples = samples
        self._compiled: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> Any:
        with self._lock:
            if alias not in self._compiled:
                queryset = self.build(*self.samples)
                compiler = queryset.query.get_compiler(using=alias)
                try:
                    sql, params = compiler.as_sql()
                except Exception:  # EmptyResultSet, FullResultSet: nothing to keep
                    self._compiled[alias] = None
                    return None
                connection = connections[alias]
                adapted = [_adapted(connection, sample) for sample in self.samples]
                slots = [params.index(value) if list(params).count(value) == 1 else None for value in adapted]
                self._compiled[alias] = None if None in slots or not sql else (queryset, compiler, sql, list(params), slots)
            return self._compiled[alias]

    def run(self, *values: Any) -> list[Any]:
        """The queryset's rows for these values, as model instances."""
        alias = router.db_for_read(self.model)
        compiled = self._compile(alias)
        if compiled is None:
            return list(self.build(*values))
        sample_queryset, base, sql, params, slots = compiled
        params = list(params)
        connection = connections[alias]
        for slot, value in zip(slots, values, strict=True):
            params[slot] = _adapted(connection, value)
        compiler = copy.copy(base)
        compiler.connection = connection
        # The ORM's iterable runs this compiler: the kept SQL with this run's values, the kept column mapping.
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        fresh = sample_queryset._chain()
        fresh.query.get_compiler = lambda *args, **kwargs: compiler
        return list(fresh)


def _adapted(connection: Any, value: Any) -> Any:
    """A parameter value as the compiled SQL carries it (datetimes as the backend adapts them)."""
    import datetime

    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
