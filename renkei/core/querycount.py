"""Per-request SQL counter for the benchmark: `X-Query-Count` and `X-Query-Time-Ms` response headers.

Enabled only when RENKEI_QUERY_COUNT_HEADER=1 (the benchmark sets it); it counts and times through a
database execute wrapper, so it works with DEBUG off, as in production. The time is the wall-clock
time the request spent waiting on database calls (round trips included).
"""
import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0
        seconds = 0.0

        def counter(execute, sql, params, many, context):
            nonlocal count, seconds
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seconds += time.perf_counter() - started

        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Query-Count"] = str(count)
        response["X-Query-Time-Ms"] = f"{seconds * 1000:.2f}"
        return response
