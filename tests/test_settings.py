"""Start-up refuses bad configuration with a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(env_changes: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env.update({"INNOCLUB_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "innoclub.settings"})
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "true", "DATABASE_URL": "postgres//nohost"}, "DATABASE_URL"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"DEBUG": "true", "DATABASE_URL": "postgres://u@localhost:5432/"}, "DATABASE_URL"),
        ({"DEBUG": "true", "SITE_URL": "innoclub.example"}, "SITE_URL"),
        ({"DEBUG": "true", "SESSION_IDLE_TIMEOUT_MINUTES": "soon"}, "SESSION_IDLE_TIMEOUT_MINUTES"),
        ({"DEBUG": "true", "AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT"),
        # Shorter than the database keeps entries (audit/triggers.KEPT_AT_LEAST_DAYS).
        ({"DEBUG": "true", "INNOCLUB_AUDIT_RETENTION_DAYS": "89"}, "INNOCLUB_AUDIT_RETENTION_DAYS"),
        ({"DEBUG": "true", "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
    ],
)
def test_bad_setting_stops_start_up_naming_the_variable(env, named, tmp_path):
    result = start(env, tmp_path)

    assert result.returncode != 0
    assert named in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_development_generates_a_secret_key_once_into_the_var_dir(tmp_path):
    first = start({"DEBUG": "true"}, tmp_path)
    key = (tmp_path / "secret_key").read_text()
    second = start({"DEBUG": "true"}, tmp_path)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "n7Q!x2-production-like-secret-key-with-enough-entropy-0123456789abcdef",
            "SITE_URL": "https://innoclub.example",
            "INNOCLUB_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "innoclub.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_connections_are_tuned_for_concurrent_writers(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper
    from django.db.utils import ConnectionHandler

    from innoclub.env import sqlite_database

    config = ConnectionHandler({"default": sqlite_database(tmp_path / "probe.sqlite3")}).settings
    wrapper = DatabaseWrapper(config["default"], alias="probe")
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            busy_timeout = cursor.fetchone()[0]
        wrapper.close()

    assert journal_mode == "wal"
    assert synchronous == 1  # NORMAL
    assert busy_timeout >= 5000
    assert config["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgresql_connections_compile_no_plans_just_in_time(monkeypatch, django_db_blocker):
    """JIT spent 700 of 750 ms of a member's search on the large dataset."""
    from django.db.backends.postgresql.base import DatabaseWrapper
    from django.db.utils import ConnectionHandler

    from innoclub.env import database_from_env

    # The machine's PostgreSQL server, whichever database the suite runs on.
    monkeypatch.setenv("PROBE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    config = database_from_env("PROBE_DATABASE_URL", default_sqlite_path=Path("unused"))
    settings = ConnectionHandler({"default": config}).settings
    wrapper = DatabaseWrapper(settings["default"], alias="probe")
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
        wrapper.close()

    assert jit == "off"
