"""Run one function in several threads released together, as concurrent requests arrive."""
import threading

from django.db import connections


def at_once(work, threads=4):
    """The results of `work()` called in `threads` threads started together, each closing its database
    connections when done (a thread that raised gives no result)."""
    start, results = threading.Barrier(threads), []

    def run():
        try:
            start.wait()
            results.append(work())
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


def in_threads(work, threads=4):
    """Call `work(n)` for n in 0..threads-1, each in its own thread closing its database connections when
    done, and wait for all of them."""

    def run(n):
        try:
            work(n)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
