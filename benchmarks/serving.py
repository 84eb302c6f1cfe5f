"""What the HTTP benchmarks share: a free port, a benchmark database, the
server's environment as `make serve` sets it, and waiting for the server."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_database(url: str, name: str, *, create: bool) -> str:
    """Drop and (re)create the benchmark database; returns its URL."""
    import psycopg

    if "bench" not in name:
        raise SystemExit(f"Refusing to use database {name!r}: its name must contain 'bench'.")
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def serve_env(var: Path, port: int, *, demo: bool) -> dict[str, str]:
    """SERVE_ENV of the Makefile, with a var dir and address of our own."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "INNOCLUB_DEMO_MODE": "true" if demo else "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "INNOCLUB_VAR_DIR": str(var),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    return env


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("The server did not come up.")
