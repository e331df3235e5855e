"""Per-request SQL query counter for the benchmark: adds an `X-Query-Count` response header.

Enabled only when RENKEI_QUERY_COUNT_HEADER=1 (the benchmark sets it); it counts through a
database execute wrapper, so it works with DEBUG off, as in production.
"""
from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Query-Count"] = str(count)
        return response
