"""Registration burst: many people register for one event at the same moment.

Prepares a fresh database (SQLite in a temporary var dir, or a dedicated
PostgreSQL database ``innoclub_bench`` on the server named by
``--database-url``/``DATABASE_URL``), one event with 200 on-site places and
1,000 signed-in members, starts the production server the way ``make serve``
does (gunicorn ``innoclub.wsgi``, DEBUG off, plus the e-mail worker), fires
the registration POSTs from concurrent clients, then checks the database and
prints throughput and latencies.

    .venv/bin/python benchmarks/registration_burst.py
    .venv/bin/python benchmarks/registration_burst.py --clients 100
    .venv/bin/python benchmarks/registration_burst.py \
        --database-url postgres://postgres@127.0.0.1:5432/innoclub_bench

Not a test: it prints figures (see docs/performance.md). It never touches
any database but the one it creates, and drops that one at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script: its folder is on the path.
from serving import free_port, postgres_database, serve_env, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SLUG = "lastprobe"
SESSION_COOKIE = "innoclub_session"
CSRF_COOKIE = "innoclub_csrf"


# --- Inside Django (run as subprocesses with the server's environment) ----------


# As make serve: the e-mail worker runs at a lower priority than the web server.
WORKER_COMMAND = ("nice", "-n", "10")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innoclub.settings")
    import django

    django.setup()


def prepare(people: int, places: int) -> dict[str, Any]:
    """One event, ``people`` members with a signed-in session each. Returns the session keys."""
    _django()
    import datetime
    import time as clock
    from zoneinfo import ZoneInfo

    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as DjangoSession
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from innoclub.accounts.models import Role, User
    from innoclub.core.access import Visibility
    from innoclub.events.models import Event, EventMode, EventState, Session, SessionKind

    day = timezone.localdate() + datetime.timedelta(days=60)
    event = Event.objects.create(
        title="Lastprobe Deutschlandforum",
        slug=SLUG,
        leitgedanke="Alle auf einmal",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=1),
        mode=EventMode.ONSITE,
        state=EventState.OPEN,
        visibility=Visibility.MEMBERS,
        capacity=places,
        venue_name="Großer Saal",
        city="Berlin",
    )
    # A program as long as a real forum's: the confirmation e-mail carries it as .ics.
    berlin = ZoneInfo("Europe/Berlin")
    Session.objects.bulk_create(
        Session(
            event=event,
            kind=SessionKind.WORKSHOP if index % 3 else SessionKind.TALK,
            title=f"Programmpunkt {index + 1}",
            slug=f"programmpunkt-{index + 1}",
            starts_at=datetime.datetime.combine(
                day + datetime.timedelta(days=index // 8), datetime.time(9 + index % 8), berlin
            ),
            ends_at=datetime.datetime.combine(
                day + datetime.timedelta(days=index // 8), datetime.time(9 + index % 8, 50), berlin
            ),
            room="Saal",
        )
        for index in range(16)
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"person{index:04d}@lastprobe.invalid",
            first_name="Person",
            last_name=f"{index:04d}",
            role=Role.MEMBER,
            password=unusable,
        )
        for index in range(people)
    )
    # Sessions as a login would leave them, written directly: the benchmark
    # measures registering, not signing in.
    store = SessionStore()
    now = clock.time()
    expire = timezone.now() + datetime.timedelta(hours=12)
    keys = [get_random_string(32) for _ in users]
    DjangoSession.objects.bulk_create(
        DjangoSession(
            session_key=key,
            session_data=store.encode(
                {
                    "_auth_user_id": str(user.pk),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash(),
                    "innoclub_auth_at": now,
                    "innoclub_seen_at": now,
                }
            ),
            expire_date=expire,
        )
        for key, user in zip(keys, users, strict=True)
    )
    return {"slug": event.slug, "sessions": keys}


def verify(attempts: int, places: int) -> dict[str, Any]:
    """What the burst left in the database."""
    _django()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from innoclub.events.models import Event, Registration, RegistrationStatus
    from innoclub.events.services import waitlist_position

    event = Event.objects.get(slug=SLUG)
    rows = list(
        Registration.objects.filter(event=event)
        .order_by("queued_at", "id")
        .values_list("id", "status", "user_id")
    )
    confirmed = [r for r in rows if r[1] == RegistrationStatus.CONFIRMED]
    waiting = [r for r in rows if r[1] == RegistrationStatus.WAITLISTED]
    order = [r[1] for r in rows]
    # Arrival order: everybody confirmed came before everybody waiting.
    in_order = order == sorted(order, key=lambda s: s != RegistrationStatus.CONFIRMED)
    positions = [
        waitlist_position(registration)
        for registration in Registration.objects.filter(pk__in=[r[0] for r in waiting])
    ]
    positions_ok = sorted(p or 0 for p in positions) == list(range(1, len(waiting) + 1))
    per_person = Registration.objects.filter(event=event).values("user").annotate(n=Count("id"))
    return {
        "registrations": len(rows),
        "confirmed": len(confirmed),
        "waitlisted": len(waiting),
        "people": len(per_person),
        "twice": sum(1 for p in per_person if p["n"] > 1),
        "seats_taken": event.seats_taken,
        "state": event.state,
        "arrival_order_kept": in_order,
        "positions_ok": positions_ok,
        "emails_queued": DBTaskResult.objects.count(),
        "ok": (
            len(rows) == attempts
            and len(confirmed) == min(places, attempts)
            and len(waiting) == max(attempts - places, 0)
            and event.seats_taken == len(confirmed)
            and in_order
            and positions_ok
        ),
    }


# --- Outside Django: the database, the server, the clients ------------------------


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(BIN / "python"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"{' '.join(args[:2])} failed")
    return result.stdout


async def _post(port: int, path: str, session: str) -> tuple[float, int]:
    """One registration as a raw HTTP/1.1 request: the client should cost the
    two cores as little as possible, so that the figures describe the server."""
    csrf = secrets.token_hex(16)  # 32 characters, as Django's own secret
    body = b"attendance=onsite&dietary_needs=&accessibility_needs=&list_consent=on"
    request = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {SESSION_COOKIE}={session}; {CSRF_COOKIE}={csrf}\r\n"
        f"X-CSRFToken: {csrf}\r\n"
        f"Referer: http://127.0.0.1:{port}{path}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body
    began = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # until the server closes
        writer.close()
        status = int(status_line.split()[1])
    except (OSError, IndexError, ValueError):
        status = 0  # refused, reset or garbled: counted as a failure
    return time.perf_counter() - began, status


async def _burst(
    port: int, path: str, sessions: list[str], clients: int
) -> list[tuple[float, int]]:
    """Fire every registration, at most ``clients`` at the same moment."""
    limit = asyncio.Semaphore(clients)

    async def one(session: str) -> tuple[float, int]:
        async with limit:
            return await _post(port, path, session)

    return await asyncio.gather(*(one(session) for session in sessions))


def _warm_up(port: int, path: str, session: str, requests: int) -> None:
    """Let every worker load its templates and open its database connection first."""
    for _ in range(requests):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Cookie": f"{SESSION_COOKIE}={session}"})
        if conn.getresponse().status != 200:
            raise SystemExit("The registration page does not answer 200.")
        conn.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=1000, help="registrations (people)")
    parser.add_argument("--places", type=int, default=200, help="on-site places of the event")
    parser.add_argument("--clients", type=int, default=1000, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make serve: 2)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--no-worker", action="store_true", help="without the e-mail worker")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--bench-db", default="innoclub_bench", help="PostgreSQL database name")
    parser.add_argument("--keep", action="store_true", help="keep the database and var dir")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="innoclub-bench-"))
    port = free_port()
    env = serve_env(var, port, demo=True)
    database = "SQLite (WAL, BEGIN IMMEDIATE)"
    if args.database_url:
        env["DATABASE_URL"] = postgres_database(args.database_url, args.bench_db, create=True)
        database = f"PostgreSQL ({args.bench_db})"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        _run(env, "manage.py", "migrate", "--no-input", "-v", "0")
        _run(env, "manage.py", "collectstatic", "--no-input", "-v", "0")
        prepared = json.loads(
            _run(env, __file__, "_prepare", str(args.attempts), str(args.places)).splitlines()[-1]
        )
        if not args.no_worker:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own executables
                    [
                        *WORKER_COMMAND,
                        str(BIN / "python"),
                        "manage.py",
                        "db_worker",
                        "--queue-name",
                        "*",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        server = [str(BIN / "gunicorn"), "innoclub.wsgi", "--workers", str(args.workers)]
        server += ["--threads", str(args.threads), "--bind", f"127.0.0.1:{port}"]
        server += ["--graceful-timeout", "10", "--backlog", "2048"]
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own executables
                server, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        wait_until_up(port)

        path = f"/foren/{prepared['slug']}/anmeldung/"
        _warm_up(port, path, prepared["sessions"][0], args.workers * args.threads * 3)
        clients = min(args.clients, args.attempts)
        began = time.perf_counter()
        results = asyncio.run(_burst(port, path, prepared["sessions"], clients))
        elapsed = time.perf_counter() - began
        checks = json.loads(
            _run(env, __file__, "_verify", str(args.attempts), str(args.places)).splitlines()[-1]
        )
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
            if args.database_url:
                postgres_database(args.database_url, args.bench_db, create=False)

    latencies = [r[0] for r in results]
    statuses: dict[int, int] = {}
    for _latency, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    server_errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    ok = checks["ok"] and server_errors == 0 and set(statuses) == {302}
    print(f"database        {database}")
    print(f"server          gunicorn, {args.workers} workers × {args.threads} threads, DEBUG off")
    print(f"e-mail worker   {'off' if args.no_worker else 'on (db_worker, as make serve)'}")
    print(f"machine         {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"attempts        {args.attempts} for {args.places} places, {clients} clients at once")
    print(f"HTTP statuses   {dict(sorted(statuses.items()))}  (5xx or failed: {server_errors})")
    print(f"duration        {elapsed:.2f} s")
    print(f"throughput      {args.attempts / elapsed:.0f} registrations/s")
    print(
        f"latency         p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {_percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"p99 {_percentile(latencies, 0.99) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"database        {checks['confirmed']} confirmed, {checks['waitlisted']} waitlisted, "
        f"{checks['registrations']} registrations of {checks['people']} people "
        f"({checks['twice']} twice), seats_taken {checks['seats_taken']}, state {checks['state']}"
    )
    print(f"arrival order   {'kept' if checks['arrival_order_kept'] else 'BROKEN'}")
    print(
        f"waitlist        positions 1..{checks['waitlisted']} {'without gaps' if checks['positions_ok'] else 'BROKEN'}"
    )
    print(f"e-mails queued  {checks['emails_queued']}")
    print(f"result          {'OK' if ok else 'FAILED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"_prepare", "_verify"}:
        step = prepare if sys.argv[1] == "_prepare" else verify
        print(json.dumps(step(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        main()
