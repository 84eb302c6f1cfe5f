"""Small readers for environment variables that fail loudly.

Every setting that comes from the environment goes through one of these, so a
bad value (``DEBUG=maybe``, a malformed ``DATABASE_URL``) stops start-up with a
message that names the variable instead of running with a silent default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_required(name: str, why: str) -> str:
    value = _raw(name)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required: {why}")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use true/false, 1/0, yes/no or on/off."
    )


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default).upper()
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not one of {allowed}."
        )
    return value


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a whole number."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(
            f"Environment variable {name}={number} is too small; the minimum is {minimum}."
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    """An absolute http(s) URL without a trailing slash."""
    value = env_str(name, default)
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not an absolute http(s) URL."
        )
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} must not contain a query or fragment."
        )
    return value.rstrip("/")


def database_from_env(name: str, *, default_sqlite_path: Path) -> dict[str, Any]:
    """Build ``DATABASES["default"]`` from ``DATABASE_URL`` or the SQLite default.

    SQLite is tuned for concurrent use by several threads or processes: WAL
    lets readers run beside one writer, ``IMMEDIATE`` transactions take the
    write lock up front (otherwise two transactions that both read and then
    write fail with "database is locked" instead of waiting), and the busy
    timeout makes a writer wait for the lock rather than fail.
    """
    import dj_database_url

    value = _raw(name)
    if value is None:
        return sqlite_database(default_sqlite_path)
    scheme = urlsplit(value).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"Environment variable {name} has an unsupported scheme {scheme!r}; "
            "use postgres://user:password@host:port/name or sqlite:///path."
        )
    try:
        config = dj_database_url.parse(value)
    except Exception as exc:  # dj_database_url raises several types for bad input
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from None
    if scheme == "sqlite":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ImproperlyConfigured(f"Environment variable {name} needs a SQLite file path.")
        return sqlite_database(Path(config["NAME"]))
    if not config.get("NAME"):
        raise ImproperlyConfigured(
            f"Environment variable {name} names no database (postgres://user@host:port/NAME)."
        )
    config["CONN_MAX_AGE"] = 60
    config["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: it pays off for long analytical queries only. For a
    # search over the large dataset it spent 700 of 750 ms compiling a plan the
    # estimate called expensive (docs/performance.md).
    config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return dict(config)


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Tests use a file too: an in-memory database shares one cache between
        # threads and fails concurrent writers at once instead of letting them
        # wait, so the tests of simultaneous requests could not run on SQLite.
        "TEST": {"NAME": str(path.with_name(f"{path.stem}-test{path.suffix}"))},
        # Keep connections open: opening one and running the PRAGMAs below cost
        # about a millisecond per request.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=10000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


def development_secret_key(path: Path) -> str:
    """Generate a secret key once and keep it in an ignored file (development only)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
