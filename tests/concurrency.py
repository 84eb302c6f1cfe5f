"""Running the same work in several threads at once, for race tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def at_once(
    work: Callable[[int], object], *, threads: int
) -> tuple[list[object], list[BaseException]]:
    """Run ``work(n)`` in ``threads`` threads that start together, each on its own
    connection; return what they returned and what they raised."""
    results: list[object] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def run(number: int) -> None:
        try:
            barrier.wait()
            results.append(work(number))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    started = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results, errors
