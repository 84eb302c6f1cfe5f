"""Health check and structured request logs."""

from __future__ import annotations

import json
import logging
import time

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations(anon_client):
    response = anon_client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as if the database server were gone."""
    from django.db import DatabaseError

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_livez_answers_while_the_database_is_unreachable(anon_client, database_down):
    response = anon_client.get("/livez")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_unhealthy_while_migrations_are_pending(anon_client):
    from django.db.migrations.loader import MigrationLoader

    core = sorted(name for app, name in MigrationLoader(None).disk_migrations if app == "core")
    call_command("migrate", "core", core[-2], verbosity=0)  # the latest one undone
    try:
        response = anon_client.get("/healthz")
    finally:
        call_command("migrate", "core", verbosity=0)

    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["checks"]["migrations"] == "1 pending"


def test_healthz_is_unhealthy_when_the_database_is_unreachable(anon_client, database_down):
    response = anon_client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unreachable"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_every_request_logs_one_json_line_with_its_request_id(anon_client):
    from innoclub.core.logging import JsonFormatter, RequestIdFilter

    handler = _Capture()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("innoclub.request")
    logger.addHandler(handler)
    try:
        response = anon_client.get("/impressum/", HTTP_X_REQUEST_ID="proxy-abc-12345")
        second = anon_client.get("/nicht-da/")
    finally:
        logger.removeHandler(handler)

    first_line, second_line = (json.loads(line) for line in handler.lines)
    assert response["X-Request-ID"] == "proxy-abc-12345"
    assert first_line["request_id"] == "proxy-abc-12345"
    assert first_line["path"] == "/impressum/"
    assert first_line["status"] == 200
    assert isinstance(first_line["duration_ms"], float)
    assert second_line["status"] == 404
    assert len(second_line["request_id"]) == 32
    assert second["X-Request-ID"] == second_line["request_id"]


def test_a_strange_incoming_request_id_is_replaced(anon_client):
    response = anon_client.get("/", HTTP_X_REQUEST_ID="<script>\n")

    assert response["X-Request-ID"] != "<script>\n"
    assert len(response["X-Request-ID"]) == 32


def test_secret_links_are_masked_in_the_request_log(anon_client):
    from innoclub.core.logging import JsonFormatter, RequestIdFilter

    handler = _Capture()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("innoclub.request")
    logger.addHandler(handler)
    try:
        anon_client.get("/einladung/GeheimesToken1234567890/")
        anon_client.get("/konto/passwort-neu/MQ/abc123-geheim/")
    finally:
        logger.removeHandler(handler)

    text = "\n".join(handler.lines)
    assert "GeheimesToken1234567890" not in text
    assert "abc123-geheim" not in text
    assert "/einladung/[verborgen]/" in text


def test_sqlite_gets_planner_statistics_after_migrate_and_refreshes_them_hourly(
    monkeypatch, member
):
    """Without statistics SQLite sorted every profile for a directory page."""
    from django.test.utils import CaptureQueriesContext

    from innoclub.core import planner

    with CaptureQueriesContext(connection) as analyzed:
        planner.analyze_after_migrate(using="default")
    an_hour_ago = time.monotonic() - planner.OPTIMIZE_EVERY_SECONDS - 1
    monkeypatch.setattr(planner, "_last_optimized", an_hour_ago)
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as first:
        planner.optimize_now_and_then()
    with CaptureQueriesContext(connection) as again:
        planner.optimize_now_and_then()

    if connection.vendor == "sqlite":
        assert [q["sql"] for q in analyzed.captured_queries] == ["ANALYZE"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analyzed_tables = {row[0] for row in cursor.fetchall()}
        assert "accounts_user" in analyzed_tables
        assert [q["sql"] for q in first.captured_queries] == ["PRAGMA optimize"]
    else:  # PostgreSQL's autovacuum analyses by itself
        assert analyzed.captured_queries == first.captured_queries == []
    assert again.captured_queries == []  # not again within the hour
