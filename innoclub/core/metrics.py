"""Metrics for monitoring at ``/metrics``, in the Prometheus text format.

Two kinds:

- Request counts and latencies, counted by ``RequestLogMiddleware`` through
  ``observe_request``, labelled by method and status class (``2xx``…) only, so
  that the number of series stays small whatever addresses are requested.
- Gauges read from the database at scrape time with a handful of cheap
  aggregate queries (``_StateCollector``): accounts by role, ideas by stage,
  pilots and adoptions by state, background tasks by status, whether the
  migrations are applied and whether the database answers.

Several gunicorn workers: each worker counts its own requests. With the
environment variable ``PROMETHEUS_MULTIPROC_DIR`` set (before the workers
start, to an empty folder), prometheus_client keeps the counters in files
there and every scrape adds up all workers' figures (``make serve`` does this
in ``var/prometheus``). Without it the figures are those of the worker that
answered the scrape.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from innoclub.core.access import Rule, access
from innoclub.core.selectors import pending_migrations

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Not in prometheus_client's global registry: each scrape builds its own (below).
REQUESTS = Counter(
    "innoclub_http_requests",
    "HTTP requests answered, by method and status class.",
    ["method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "innoclub_http_request_duration_seconds",
    "Time from the request entering the application to the response leaving it.",
    ["method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)


def observe_request(method: str | None, status: int, seconds: float) -> None:
    """Count one answered request (called by ``RequestLogMiddleware``)."""
    labels = (method if method in _METHODS else "other", f"{status // 100}xx")
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


@access(Rule.MONITORING)
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """The scrape target; the office or the monitoring token only (404 for others)."""
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_PLAIN_0_0_4)


def metrics_text() -> bytes:
    """The exposition text of one scrape."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(_StateCollector())
    return generate_latest(registry)


class _StateCollector:
    """Gauges read from the database when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "innoclub_database_up", "1 if the database answered this scrape, else 0."
        )
        migrated = GaugeMetricFamily(
            "innoclub_migrations_applied",
            "1 if every migration of the code is applied to the database, else 0.",
        )
        try:
            families = list(_state_families())
            pending = pending_migrations()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        migrated.add_metric([], 0 if pending else 1)
        yield up
        yield migrated
        yield from families


def _state_families() -> Iterator[Metric]:
    from django_tasks_db.models import DBTaskResult

    from innoclub.accounts.models import Role, User
    from innoclub.ideas.models import Idea, Stage
    from innoclub.pilots.models import Adoption, AdoptionState, PilotProject, PilotState

    yield _by(
        "innoclub_users_active",
        "Active accounts by role.",
        "role",
        Role.values,
        User.objects.filter(is_active=True),
    )
    yield _by(
        "innoclub_ideas",
        "Ideas by stage of the idea forge.",
        "stage",
        Stage.values,
        Idea.objects.all(),
    )
    yield _by(
        "innoclub_pilots",
        "Pilot projects by state.",
        "state",
        PilotState.values,
        PilotProject.objects.all(),
    )
    yield _by(
        "innoclub_adoptions",
        "Adoptions of pilot projects by state.",
        "state",
        AdoptionState.values,
        Adoption.objects.all(),
    )
    yield _by(
        "innoclub_tasks",
        "Background tasks by status (READY: waiting for the worker; FAILED: gave up).",
        "status",
        ["READY", "RUNNING", "FAILED", "SUCCESSFUL"],
        DBTaskResult.objects.all(),
    )


def _by(
    name: str, documentation: str, label: str, values: list[str], rows: QuerySet[Any]
) -> GaugeMetricFamily:
    """A gauge with one series per value of the field ``label`` of ``rows``
    (counted in one grouped query), zero for values nobody has."""
    found = dict(rows.values_list(label).annotate(n=Count("pk")).order_by())
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for value in values:
        family.add_metric([value], found.get(value, 0))
    return family
