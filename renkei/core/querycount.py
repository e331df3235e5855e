"""Counting the SQL of one request: `counting_queries()` for the request log and the benchmark's headers.

`QueryCountMiddleware` (only when RENKEI_QUERY_COUNT_HEADER=1, which the benchmark sets) sends the
`X-Query-Count` and `X-Query-Time-Ms` response headers. Both count through a database execute wrapper,
so they work with DEBUG off, as in production. The time is the wall-clock time the request spent
waiting on database calls (round trips included).
"""
import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


@dataclass
class QueryStats:
    count: int = 0
    seconds: float = 0.0


@contextlib.contextmanager
def counting_queries() -> Iterator[QueryStats]:
    """Count and time every SQL statement run on any connection inside the block."""
    stats = QueryStats()

    def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        stats.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            stats.seconds += time.perf_counter() - started

    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(counter))
        yield stats


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with counting_queries() as stats:
            response = self.get_response(request)
        response["X-Query-Count"] = str(stats.count)
        response["X-Query-Time-Ms"] = f"{stats.seconds * 1000:.2f}"
        return response
