"""ORM queries of every request compiled to SQL once per process, run with each request's values.

Django compiles a queryset to SQL anew on every evaluation; for the queries every API request runs (the access
check of one patient, the patient list, a timeline page, its receipts and files) that compilation cost more CPU
than PostgreSQL spent answering them (docs/benchmark.md, "Where the time goes"). `CompiledQuery` builds the
queryset once with sample values, keeps the SQL and the compiler's column mapping, and on each run swaps in the
request's values and lets the ORM's own iterable turn the rows into instances — same SQL, same instances
(select_related, annotations and values_list included) as the queryset built anew would give.
"""
import copy
import datetime
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet


class Sample(tuple[int, ...]):
    """A list value (`field__in=ids`): the query is compiled once per length, with these distinct stand-ins."""


def ids_sample(base: int) -> Callable[[int], Sample]:
    """Stand-ins for a list of `n` ids: distinct negative numbers no real id or constant equals."""
    return lambda n: Sample(base - i for i in range(n))


class CompiledQuery:
    """`build(*values)` → QuerySet of `model`, compiled once per database (and list length) with `samples`
    standing for the values.

    A sample is a scalar that must appear among the compiled parameters (choose values no constant of the query
    can equal, e.g. negative ids; it may appear several times, each place takes the run's value), or a
    `ids_sample(base)` for a list. `run(..., limit=, offset=)` pages the query with bound LIMIT/OFFSET parameters,
    as the ORM's slice would. `build` must put each value into the query as it is: a value computed from one
    (a LIKE pattern, a negation) would be compiled as a constant of the sample. When a sample cannot be found,
    or the query compiles to nothing (an empty list), the run builds the queryset anew: the same answer,
    without the saving.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any]], *samples: Any) -> None:
        self.model = model
        self.build = build
        self.samples = samples
        self._compiled: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()

    def _stand_ins(self, values: Sequence[Any]) -> list[Any]:
        return [sample(len(value)) if callable(sample) else sample for sample, value in zip(self.samples, values, strict=True)]

    def _compile(self, alias: str, values: Sequence[Any]) -> Any:
        shape = tuple(len(value) if callable(sample) else None for sample, value in zip(self.samples, values, strict=True))
        key = (alias, shape)
        with self._lock:
            if key not in self._compiled:
                self._compiled[key] = self._compile_now(alias, self._stand_ins(values))
            return self._compiled[key]

    def _compile_now(self, alias: str, stand_ins: list[Any]) -> Any:
        if any(isinstance(s, Sample) and not s for s in stand_ins):
            return None  # an empty list: the ORM knows the answer without a query
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except Exception:  # EmptyResultSet, FullResultSet: nothing to keep
            return None
        connection = connections[alias]
        params = list(params)
        slots: list[list[list[int]]] = []  # per value: per element (one for a scalar): the parameter positions
        claimed: set[int] = set()
        for stand_in in stand_ins:
            elements = list(stand_in) if isinstance(stand_in, Sample) else [stand_in]
            places = []
            for element in elements:
                adapted = _adapted(connection, element)
                found = [i for i, param in enumerate(params) if type(param) is type(adapted) and param == adapted]
                if not found or claimed & set(found):
                    return None
                claimed.update(found)
                places.append(found)
            slots.append(places)
        if not sql:
            return None
        return queryset, compiler, sql, params, slots

    def run(self, *values: Any, limit: int | None = None, offset: int = 0) -> list[Any]:
        """The queryset's rows for these values (model instances, or what values_list gives)."""
        alias = router.db_for_read(self.model)
        compiled = self._compile(alias, values)
        if compiled is None:
            queryset = self.build(*values)
            return list(queryset[offset: offset + limit] if limit is not None else queryset[offset:] if offset else queryset)
        sample_queryset, base, sql, params, slots = compiled
        params = list(params)
        connection = connections[alias]
        for sample, places, value in zip(self.samples, slots, values, strict=True):
            elements = list(value) if callable(sample) else [value]
            for positions, element in zip(places, elements, strict=True):
                for position in positions:
                    params[position] = _adapted(connection, element)
        if limit is not None:
            if sample_queryset.query.is_sliced:
                raise ValueError("the compiled query is sliced already")
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [limit, offset]
        elif offset:
            raise ValueError("an offset needs a limit")
        compiler = copy.copy(base)
        compiler.connection = connection
        # The ORM's iterable runs this compiler: the kept SQL with this run's values, the kept column mapping.
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        fresh = sample_queryset._chain()
        fresh.query.get_compiler = lambda *args, **kwargs: compiler
        return list(fresh)


def _adapted(connection: Any, value: Any) -> Any:
    """A parameter value as the compiled SQL carries it (datetimes as the backend adapts them)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
