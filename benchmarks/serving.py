"""What the HTTP benchmarks share: a free port, a benchmark database, the
server's environment as `make serve` sets it, our own interpreter, starting,
waiting for and stopping the server, and its workers' memory."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


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


def run_python(env: dict[str, str], *args: str, capture: bool = True) -> str:
    """Our interpreter with ``args`` (manage.py or a benchmark's Django step); its stdout."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(BIN / "python"), *args], env=env, cwd=ROOT, capture_output=capture, text=True
    )
    if result.returncode:
        if capture:
            sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"{' '.join(args[:2])} failed")
    return result.stdout or ""


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    """The server as `make serve` starts it, up and answering; its output goes to ``log``."""
    command = [str(BIN / "gunicorn"), "innoclub.wsgi", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--graceful-timeout", "10"]
    with log.open("ab") as output:
        server = subprocess.Popen(  # noqa: S603 - our own executable
            command, env=env, cwd=ROOT, stdout=output, stderr=output, start_new_session=True
        )
    try:
        wait_until_up(port)
    except SystemExit:
        sys.stderr.write(log.read_text(errors="replace")[-4000:])
        stop(server)
        raise
    return server


def stop(process: subprocess.Popen[bytes]) -> None:
    """Gunicorn leads a process group of its own: SIGTERM for a graceful stop,
    then SIGKILL to the group if it does not end."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            figures[key] = int(value.split()[0])
    return figures


def _workers(master: int) -> list[int]:
    # Each thread lists the children it forked; the master may fork from any of them.
    listed = [
        int(pid)
        for children in Path(f"/proc/{master}/task").glob("*/children")
        for pid in children.read_text().split()
    ]
    if listed:
        return sorted(listed)
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return sorted(found)


def workers_memory(master: int) -> dict[int, dict[str, int]]:
    """VmRSS and VmHWM (KiB) of each worker of the gunicorn ``master``, by pid."""
    figures = {}
    for pid in _workers(master):
        try:
            figures[pid] = _memory(pid)
        except OSError:
            continue  # ended between the listing and the reading
    return figures
