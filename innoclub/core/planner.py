"""Statistics for SQLite's query planner.

PostgreSQL's autovacuum keeps its statistics current by itself. SQLite keeps
none until ``ANALYZE`` runs, and without them it guesses: on the large dataset
the directory sorted all 9,000 profiles (23 ms) instead of reading the name
index in order (0.3 ms). So on SQLite

- every ``migrate`` ends with ``ANALYZE`` (a fraction of a second, even on the
  large dataset), and
- every worker runs ``PRAGMA optimize`` once an hour, after a request, which
  re-analyses only the tables whose size has changed a lot since (SQLite's
  recommendation for long-lived connections).
"""

from __future__ import annotations

import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

OPTIMIZE_EVERY_SECONDS = 3600
_last_optimized = time.monotonic()


def analyze(using: str = DEFAULT_DB_ALIAS) -> None:
    """Renew the statistics of every table, on either database (after a bulk load).

    On PostgreSQL also VACUUM where it may run (outside a transaction): after a
    bulk load, only that marks the pages all-visible, which lets counts read
    an index alone (counting 40,000 public ideas: 16 ms before, 5 ms after).
    """
    connection = connections[using]
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def analyze_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if connections[using].vendor == "sqlite":
        analyze(using)


def optimize_now_and_then(**kwargs: Any) -> None:
    global _last_optimized
    now = time.monotonic()
    if now - _last_optimized < OPTIMIZE_EVERY_SECONDS:
        return
    _last_optimized = now
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
