"""Page speed: requests per second and latency of the pages people open most.

Builds a dataset (``--dataset large``: ``seed_large``, which seeds the demo
first, takes minutes; ``--dataset demo``: ``seed_demo``) in a var dir of its own, on
SQLite (default, the file in the var dir) or PostgreSQL (``--database
postgres``: a database ``innoclub_bench_pages``, created and dropped; or
``--database-url`` to build into one that exists). ``--keep`` keeps both and
``--reuse`` takes them again without building. Then it serves the app as
``make serve`` does (collectstatic, migrate, gunicorn ``innoclub.wsgi`` with 2
workers, DEBUG off) on a free port and loads each page with ``wrk`` (Debian's
package, ``make bench-deps``) from a separate process: a short warm-up, then
``--duration`` seconds at ``--connections`` connections (2 threads).

Each page is a row; the bare view ``/livez`` (answers "ok", touches nothing)
is measured in the same run, and every other row gets its share of the bare
view's requests/s. Signed-in rows log in once over HTTP as the demo member and
hand wrk the session cookie. Before loading, one request checks that each page
answers 200 (and that a signed-in page really is the signed-in one). A row
with a response outside 2xx or a socket error fails (exit status 1).

Targets (issue 12), marked ✗ in the table: at least 8 % of the bare view's
requests/s, p95 at most 50 ms, at 8 connections. The API's rate limits are set
to 100000/s for the run, so that the API rows measure answering, not 429s.

After the run: each gunicorn worker's resident memory before and after the
load, and its peak (VmHWM).

``--explain`` renders each page in-process with Django's test client against
the same database instead of loading it, and prints each query with its time
and the database's plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN
(ANALYZE, BUFFERS)), full scans marked, and the query count and time per page.

    .venv/bin/python benchmarks/pages.py                              # large, SQLite
    .venv/bin/python benchmarks/pages.py --dataset demo --duration 3
    .venv/bin/python benchmarks/pages.py --database postgres --keep   # then --reuse URL
    .venv/bin/python benchmarks/pages.py --reuse /tmp/innoclub-bench-pages-xyz --pages idea
    .venv/bin/python benchmarks/pages.py --dataset demo --explain --pages idea,search

Not a test: it prints figures (see docs/performance.md). It never touches any
database but the one it builds or is pointed at, and drops only the one it
created.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlencode, urlsplit

# Run as a script: its folder is on the path.
from serving import (
    ROOT,
    free_port,
    postgres_database,
    run_python,
    serve_env,
    start_gunicorn,
    stop,
    workers_memory,
)

LUA = Path(__file__).resolve().with_name("wrk_report.lua")
BENCH_DB = "innoclub_bench_pages"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
MEMBER_EMAIL = "mitglied@demo.innoclub.de"
DEMO_PASSWORD = "innoclub-demo"  # noqa: S105 - published in PRODUCT.md, demo mode only
LOGIN = "/konto/anmelden/"
SESSION_COOKIE = "innoclub_session"
CSRF_COOKIE = "innoclub_csrf"
SIGNED_IN = 'action="/konto/abmelden/"'  # the sign-out form in the header
SIGNED_OUT = f'href="{LOGIN}"'  # the sign-in link in the header
SEARCH = "/suche/?q=Klimaschutz%20Schule"
ANONYMOUS, MEMBER = "anonymous", "member"
TARGET_SHARE = 8.0  # % of the bare view's requests/s
TARGET_P95_MS = 50.0
# The per-address limit (300/m) would answer 429 after a second of load. Ninja
# keeps a list of call times per window: a window of a second keeps it short.
API_LIMITS = {"API_RATE_PER_ADDRESS": "100000/s", "API_RATE_PER_USER": "100000/s"}
# What the dataset must name: the keys of innoclub.core.large.benchmark_targets().
TARGET_KEYS = ("idea_discussion", "pilot_most_adopted", "next_forum_program", "idea_list_filtered")


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    path: str
    kind: str = "html"  # html, json or text


def all_pages(targets: dict[str, str]) -> list[Page]:
    """The rows, in the order of the table. The bare view comes first."""
    return [
        Page("bare", ANONYMOUS, "/livez", "text"),
        Page("home", ANONYMOUS, "/"),
        Page("directory", MEMBER, "/mitglieder/"),
        Page("program", ANONYMOUS, targets["next_forum_program"]),
        Page("ideas", ANONYMOUS, targets["idea_list_filtered"]),
        Page("ideas", MEMBER, targets["idea_list_filtered"]),
        Page("idea", ANONYMOUS, targets["idea_discussion"]),
        Page("idea", MEMBER, targets["idea_discussion"]),
        Page("pilot", ANONYMOUS, targets["pilot_most_adopted"]),
        Page("transfer", MEMBER, "/transfer/"),
        Page("search", ANONYMOUS, SEARCH),
        Page("search", MEMBER, SEARCH),
        Page("api-ideas", ANONYMOUS, "/api/v1/ideas?limit=20", "json"),
        Page("api-pilots", ANONYMOUS, "/api/v1/pilots", "json"),
    ]


PAGE_HELP = """\
pages (--pages NAME or NAME:PERSONA, comma-separated; bare is always measured):
  bare        /livez, the bare view every row is compared with
  home        /, the start page
  directory   /mitglieder/ (member)
  program     the next forum's page with its program (/foren/<slug>/)
  ideas       /ideen/ filtered by topic (large: and stage) (anonymous, member)
  idea        the idea with the most comments, 200 in the large dataset (anonymous, member)
  pilot       the pilot with the most adoptions
  transfer    /transfer/ (member)
  search      /suche/?q=Klimaschutz%20Schule (anonymous, member)
  api-ideas   /api/v1/ideas?limit=20
  api-pilots  /api/v1/pilots
"""


# --- Inside Django (subprocesses with the server's environment) ------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innoclub.settings")
    import django

    django.setup()


def _demo_targets() -> dict[str, str]:
    """The demo data's equivalents of the large dataset's targets, as an
    anonymous visitor sees them (the member rows use the same pages)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from innoclub.events.selectors import event_next
    from innoclub.ideas.selectors import ideas_visible
    from innoclub.network.models import Topic
    from innoclub.pilots.selectors import pilots_visible

    anonymous = AnonymousUser()
    idea = ideas_visible(anonymous).annotate(n=Count("comments")).order_by("-n", "pk").first()
    pilot = pilots_visible(anonymous).annotate(n=Count("adoptions")).order_by("-n", "pk").first()
    event = event_next(anonymous)
    topic = Topic.objects.annotate(n=Count("ideas")).order_by("-n", "pk").first()
    if idea is None or pilot is None or event is None or topic is None:
        raise SystemExit("The demo data lacks a public idea, pilot, forum or topic.")
    return {
        "idea_discussion": f"/ideen/{idea.pk}/",
        "pilot_most_adopted": f"/pilotprojekte/{pilot.slug}/",
        "next_forum_program": f"/foren/{event.slug}/",
        "idea_list_filtered": f"/ideen/?thema={topic.slug}",
    }


def targets(dataset: str) -> dict[str, str]:
    _django()
    if dataset == "large":
        from innoclub.core.large import benchmark_targets

        found = dict(benchmark_targets())
    else:
        found = _demo_targets()
    missing = [key for key in TARGET_KEYS if key not in found]
    if missing:
        raise SystemExit(f"The dataset names no {', '.join(missing)} (it has {sorted(found)}).")
    return {key: found[key] for key in TARGET_KEYS}


def _top_level_from(sql: str) -> int:
    """Where the outermost FROM starts (column lists are long and say little), or -1."""
    depth = 0
    quote = ""
    for index, char in enumerate(sql):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and sql.startswith(" FROM ", index):
            return index
    return -1


def _short_sql(sql: str, chars: int) -> str:
    sql = " ".join(sql.split())
    start = _top_level_from(sql) if sql.startswith("SELECT ") else -1
    if start > 0:
        sql = "SELECT …" + sql[start:]
    return _cut(sql, chars)


def _cut(text: str, chars: int) -> str:
    return text if chars <= 0 or len(text) <= chars else text[: chars - 1] + "…"


def _shape(sql: str) -> str:
    """The query without its values, to find the same query run again and again."""
    return re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", sql)


def _plan(cursor: Any, vendor: str, sql: str) -> tuple[list[str], int]:
    """The plan's lines and how many of them read a whole table."""
    if vendor == "sqlite":
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        depth: dict[int, int] = {0: 0}
        lines = []
        for node, parent, _unused, detail in cursor.fetchall():
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        # Scanning a subquery's or CTE's rows reads no table.
        derived = {"subquery"} | {
            match[1]
            for line in lines
            if (match := re.search(r"(?:CO-ROUTINE|MATERIALIZE) (\S+)", line))
        }
        full = [
            i
            for i, line in enumerate(lines)
            if (match := re.fullmatch(r"\s*SCAN (\S+)", line)) and match[1] not in derived
        ]
        for i in full:
            lines[i] = f"{lines[i]}   <-- full scan"
        return lines, len(full)
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
    lines = [row[0] for row in cursor.fetchall()]
    full = [
        i for i, line in enumerate(lines) if "Seq Scan on" in line and "never executed" not in line
    ]
    for i in full:
        lines[i] = f"{lines[i]}   <-- seq scan"
    return lines, len(full)


def explain(pages: list[dict[str, str]], sql_chars: int, plan_lines: int, repeat: int) -> None:
    """Render each page in-process once to warm caches, templates and the
    session clock, then ``repeat`` times; print the median time and the last
    request's queries with their plans.

    A query's time is measured twice: its execute() in the request (SQLite
    reads rows lazily, so that is the first step only) and again right after
    the request with every row fetched. Writes are not run again."""
    _django()
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    host = urlsplit(settings.SITE_URL).hostname or "127.0.0.1"
    clients = {ANONYMOUS: Client(HTTP_HOST=host), MEMBER: Client(HTTP_HOST=host)}
    if any(page["persona"] == MEMBER for page in pages):
        response = clients[MEMBER].post(
            LOGIN, {"username": MEMBER_EMAIL, "password": DEMO_PASSWORD}
        )
        if response.status_code != 302:
            raise SystemExit(f"Signing in as {MEMBER_EMAIL} answered {response.status_code}.")
    vendor = connection.vendor
    planner = "EXPLAIN QUERY PLAN" if vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS)"
    print(f"# Queries and plans ({connection.display_name}, {planner})")
    print("# ms: execute() in the request / run again with every row fetched\n")
    executed: list[float] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executed.append((time.perf_counter() - began) * 1000)

    summary = []
    for page in pages:
        client = clients[page["persona"]]
        client.get(page["path"])
        totals = []
        for _ in range(repeat):
            executed.clear()
            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
                began = time.perf_counter()
                response = client.get(page["path"])
                totals.append((time.perf_counter() - began) * 1000)
        total_ms = statistics.median(totals)
        queries = captured.captured_queries
        body = response.content.decode(errors="replace")
        lines_out: list[str] = []
        query_ms = 0.0
        scans = 0
        with connection.cursor() as cursor:
            for number, query in enumerate(queries, start=1):
                sql = query["sql"]
                in_request = executed[number - 1] if len(executed) == len(queries) else 0.0
                again = ""
                lines: list[str] = []
                if re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE):
                    try:
                        began = time.perf_counter()
                        cursor.execute(sql)
                        cursor.fetchall()
                        fetched = (time.perf_counter() - began) * 1000
                        lines, full = _plan(cursor, vendor, sql)
                    except DatabaseError as error:
                        fetched, full = in_request, 0
                        lines = [f"(not run again: {str(error).splitlines()[0]})"]
                    again = f"{fetched:7.2f}"
                    query_ms += fetched
                    scans += full
                else:
                    query_ms += in_request  # a write (the session's clock): not run again
                    again = f"{'write':>7}"
                lines_out.append(
                    f"{number:3} {in_request:7.2f} /{again} ms  {_short_sql(sql, sql_chars)}"
                )
                shown = lines if plan_lines <= 0 else lines[:plan_lines]
                lines_out += [f"{'':25}{_cut(line, sql_chars)}" for line in shown]
                if len(shown) < len(lines):
                    lines_out.append(f"{'':25}… {len(lines) - len(shown)} more lines")
        signed_in = SIGNED_IN in body
        print(
            f"## {page['name']} ({page['persona']}) {page['path']}: {response.status_code}, "
            f"{len(queries)} queries, {total_ms:.1f} ms in all (median of {repeat}), "
            f"{query_ms:.1f} ms of it in queries, {len(response.content) / 1024:.0f} KiB"
            + (" — NOT SIGNED IN" if page["persona"] == MEMBER and not signed_in else "")
        )
        print("\n".join(lines_out))
        shapes = Counter(_shape(query["sql"]) for query in queries)
        for shape, count in shapes.most_common():
            if count > 2:
                print(f"    the same query {count}×: {_short_sql(shape, sql_chars)}")
        print()
        summary.append((page, response.status_code, len(queries), query_ms, total_ms, scans))
    print("| page | persona | status | queries | ms in queries | ms in all | full scans |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for page, status, count, query_ms, total_ms, scans in summary:
        print(
            f"| {page['name']} | {page['persona']} | {status} | {count} | {query_ms:.1f} "
            f"| {total_ms:.1f} | {scans} |"
        )


# --- Outside Django: the dataset, the server, the load ------------------------------


def _request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: str | None = None,
    timeout: float = 60,
) -> tuple[int, str, SimpleCookie]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, text, cookies
    finally:
        conn.close()


def login(port: int) -> str:
    """Sign in as the demo member through the form; returns the Cookie header."""
    status, body, cookies = _request(port, "GET", LOGIN, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or CSRF_COOKIE not in cookies:
        raise SystemExit(f"The sign-in page answered {status} without a CSRF token.")
    form = urlencode(
        {"csrfmiddlewaretoken": token[1], "username": MEMBER_EMAIL, "password": DEMO_PASSWORD}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{CSRF_COOKIE}={cookies[CSRF_COOKIE].value}",
    }
    status, _body, cookies = _request(port, "POST", LOGIN, headers, form)
    if status != 302 or SESSION_COOKIE not in cookies:
        raise SystemExit(f"Signing in as {MEMBER_EMAIL} answered {status} without a session.")
    return f"{SESSION_COOKIE}={cookies[SESSION_COOKIE].value}"


def check(port: int, page: Page, cookie: str) -> str:
    """One request before the load: what is wrong with the page, or ''."""
    try:
        status, body, _cookies = _request(
            port, "GET", page.path, {"Cookie": cookie} if cookie else {}
        )
    except (OSError, http.client.HTTPException) as error:
        return f"no answer ({error.__class__.__name__})"
    if status != 200:
        return f"answers {status}"
    if page.kind == "text":
        return "" if body == "ok" else "does not answer 'ok'"
    if page.kind == "json":
        try:
            json.loads(body)
        except ValueError:
            return "does not answer JSON"
        return ""
    if page.persona == MEMBER and SIGNED_IN not in body:
        return "is not the signed-in page"
    if page.persona == ANONYMOUS and SIGNED_OUT not in body:
        return "is not the anonymous page"
    return ""


def load(port: int, page: Page, cookie: str, seconds: float, connections: int) -> dict[str, Any]:
    """One wrk run; the figures of wrk_report.lua."""
    command = ["wrk", f"--threads={min(2, connections)}", f"--connections={connections}"]
    command += [f"--duration={max(1, round(seconds))}s", "--timeout=10s", f"--script={LUA}"]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page.path}")
    result = subprocess.run(  # noqa: S603 - Debian's wrk with our arguments
        command, capture_output=True, text=True, timeout=seconds + 120
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return dict(json.loads(line.removeprefix("WRK_JSON ")))
    raise SystemExit(f"wrk printed no figures:\n{result.stdout}{result.stderr}")


def drain(port: int, connections: int) -> None:
    """Wait until the server has worked off what a wrk run left behind: the
    requests in flight when wrk stopped go on after it closed their
    connections. As many requests to the bare view, sent at once, are answered
    only after those (the listen queue is first come, first served)."""

    def livez(_number: int) -> None:
        # A worker killed by gunicorn's timeout resets the connection: its backlog is gone too.
        with contextlib.suppress(OSError, http.client.HTTPException):
            _request(port, "GET", "/livez", {}, timeout=600)

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(livez, range(connections)))


def _mark(text: str, miss: bool) -> str:
    return f"{text} ✗" if miss else text


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| page | persona | req/s | requests | % of bare | p50 ms | p95 ms | p99 ms | non-2xx "
        "| socket errors | path |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        if "problem" in row:
            cells = ["–"] * 8 + [f"✗ {row['problem']}: `{row['path']}`"]
        else:
            latency = row["latency_ms"]
            share = row.get("share_of_bare")
            page = row["name"] != "bare"  # the reference, not a page: no targets
            cells = [
                f"{row['rps']:.0f}",
                str(row["requests"]),
                "–" if share is None else _mark(f"{share:.1f}", share < TARGET_SHARE),
                f"{latency['p50']:.1f}",
                _mark(f"{latency['p95']:.1f}", page and latency["p95"] > TARGET_P95_MS),
                f"{latency['p99']:.1f}",
                _mark(str(row["non_2xx"]), row["non_2xx"] > 0),
                _mark(str(row["socket_error_count"]), row["socket_error_count"] > 0),
                f"`{row['path']}`",
            ]
        lines.append(f"| {row['name']} | {row['persona']} | {' | '.join(cells)} |")
    return "\n".join(lines)


def _select(pages: list[Page], wanted: str) -> list[Page]:
    if not wanted:
        return pages
    chosen = []
    names = {page.name for page in pages}
    for item in (part.strip() for part in wanted.split(",") if part.strip()):
        name, _, persona = item.partition(":")
        if name not in names or persona not in {"", ANONYMOUS, MEMBER}:
            raise SystemExit(f"Unknown page {item!r}; see --help.")
        chosen += [p for p in pages if p.name == name and persona in {"", p.persona}]
    bare = [p for p in pages if p.name == "bare"]
    return bare + [p for p in pages if p in chosen and p.name != "bare"]


def _terminated(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog=PAGE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--dataset", choices=["large", "demo"], default="large", help="what to seed (large)")
    add("--database", choices=["sqlite", "postgres"], default="sqlite", help="(sqlite)")
    add(
        "--postgres-server",
        default=POSTGRES_SERVER,
        help=f"where --database postgres creates {BENCH_DB} ({POSTGRES_SERVER})",
    )
    add("--database-url", default="", help="build into this PostgreSQL database; never dropped")
    add(
        "--reuse",
        default="",
        metavar="VAR_DIR_OR_URL",
        help="a var dir (SQLite) or database URL that already holds the dataset: skip building",
    )
    add("--scale", type=float, default=1.0, help="seed_large --scale (1.0)")
    add("--keep", action="store_true", help="keep the var dir and database for --reuse")
    add("--pages", default="", help="a subset, e.g. idea,search:member (see below)")
    add("--duration", type=float, default=10, help="seconds of load per page (10)")
    add("--warmup", type=float, default=2, help="seconds of load before each page (2)")
    add("--connections", type=int, default=8, help="wrk connections (8)")
    add("--workers", type=int, default=2, help="gunicorn workers (make serve: 2)")
    add("--json", type=Path, help="also write the figures to this file")
    add("--explain", action="store_true", help="print queries and plans instead of loading")
    add("--explain-first", action="store_true", help="print queries and plans, then load")
    add("--sql-chars", type=int, default=160, help="--explain: cut SQL here (0: whole)")
    add("--explain-repeat", type=int, default=5, help="--explain: renders per page (5)")
    add("--plan-lines", type=int, default=12, help="--explain: plan lines per query (0: all)")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    loading = not args.explain
    if loading and shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: make bench-deps (Debian's package wrk).")
    signal.signal(signal.SIGTERM, _terminated)
    _select(all_pages(dict.fromkeys(TARGET_KEYS, "")), args.pages)  # fail before building

    port = free_port()
    reuse_url = "://" in args.reuse
    own_var = not args.reuse or reuse_url
    if not own_var:
        var = Path(args.reuse).resolve()
        if not (var / "innoclub.sqlite3").exists():
            raise SystemExit(f"{var} holds no innoclub.sqlite3.")
    else:
        var = Path(tempfile.mkdtemp(prefix="innoclub-bench-pages-"))
    env = {**serve_env(var, port, demo=True), **API_LIMITS}
    created_db = ""
    if reuse_url:
        env["DATABASE_URL"] = args.reuse
    elif args.database_url:
        env["DATABASE_URL"] = args.database_url
    elif args.database == "postgres" and not args.reuse:
        env["DATABASE_URL"] = created_db = postgres_database(
            args.postgres_server, BENCH_DB, create=True
        )
    database = "SQLite"
    if "DATABASE_URL" in env:
        database = f"PostgreSQL ({urlsplit(env['DATABASE_URL']).path.lstrip('/')})"

    server: subprocess.Popen[bytes] | None = None
    results: list[dict[str, Any]] = []
    memory: dict[str, Any] = {}
    try:
        began = time.monotonic()
        run_python(env, "manage.py", "collectstatic", "--no-input", "-v", "0")
        run_python(env, "manage.py", "migrate", "--no-input", "-v", "0")
        if not args.reuse:
            print(f"Seeding the {args.dataset} dataset into {database} …", file=sys.stderr)
            if args.dataset == "large":  # seeds the demo first
                run_python(env, "manage.py", "seed_large", "--scale", str(args.scale))
            else:
                run_python(env, "manage.py", "seed_demo")
        built_s = time.monotonic() - began
        found = json.loads(run_python(env, __file__, "_targets", args.dataset).splitlines()[-1])
        pages = _select(all_pages(found), args.pages)

        if args.explain or args.explain_first:
            rows = json.dumps([asdict(page) for page in pages if page.name != "bare"])
            sys.stdout.flush()
            run_python(
                env,
                __file__,
                "_explain",
                rows,
                str(args.sql_chars),
                str(args.plan_lines),
                str(args.explain_repeat),
                capture=False,
            )
            print()
        if not loading:
            return

        server = start_gunicorn(env, port, args.workers, var / "gunicorn.log")
        cookies = {ANONYMOUS: ""}
        if any(page.persona == MEMBER for page in pages):
            cookies[MEMBER] = login(port)
        problems = {page: check(port, page, cookies[page.persona]) for page in pages}
        if any(problems.values()):
            sys.stderr.write((var / "gunicorn.log").read_text(errors="replace")[-3000:])
        memory["before"] = workers_memory(server.pid)

        for page in pages:
            row: dict[str, Any] = asdict(page)
            if problems[page]:
                row["problem"] = problems[page]
                print(f"{page.name} ({page.persona}) {problems[page]}", file=sys.stderr)
                results.append(row)
                continue
            cookie = cookies[page.persona]
            if args.warmup > 0:
                load(port, page, cookie, args.warmup, args.connections)
                drain(port, args.connections)
            row.update(load(port, page, cookie, args.duration, args.connections))
            drain(port, args.connections)
            row["socket_error_count"] = sum(row["socket_errors"].values())
            if not row["requests"]:
                row["problem"] = f"no answer within {args.duration:g} s"
            print(
                f"{page.name} ({page.persona}): {row['rps']:.0f} req/s, "
                f"p95 {row['latency_ms']['p95']:.1f} ms",
                file=sys.stderr,
            )
            results.append(row)
        memory["after"] = workers_memory(server.pid)
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            again = env.get("DATABASE_URL", str(var))
            print(f"Kept. Run again with --reuse {again}", file=sys.stderr)
        else:
            if own_var:
                shutil.rmtree(var, ignore_errors=True)
            if created_db:
                postgres_database(args.postgres_server, BENCH_DB, create=False)

    bare = next((r for r in results if r["name"] == "bare" and "rps" in r), None)
    for row in results:
        if bare is not None and "rps" in row and row is not bare:
            row["share_of_bare"] = 100 * row["rps"] / bare["rps"]
        row["failed"] = bool(
            row.get("problem") or row.get("non_2xx") or row.get("socket_error_count")
        )
    load_average = os.getloadavg()
    print(
        f"\n{args.dataset} dataset ({'reused' if args.reuse else f'built in {built_s:.0f} s'}), "
        f"{database}, gunicorn {args.workers} sync workers, DEBUG off; wrk "
        f"{min(2, args.connections)} threads, {args.connections} connections, "
        f"{args.warmup:g} s warm-up + {args.duration:g} s per page; "
        f"{os.cpu_count()} cores, load average {load_average[0]:.1f} after the run.\n"
    )
    print(table(results))
    print(
        f"\n✗ misses a target: ≥ {TARGET_SHARE:g} % of bare req/s, p95 ≤ {TARGET_P95_MS:g} ms; "
        "a response outside 2xx or a socket error fails the row."
    )
    print(
        "\nworker memory (MiB): RSS before the load (after one request per page) → after it, "
        "peak (VmHWM)"
    )
    for pid, after in memory.get("after", {}).items():
        before = memory["before"].get(pid, {}).get("VmRSS")
        print(
            f"  pid {pid}: {'(new)' if before is None else f'{before / 1024:.0f}'} → "
            f"{after['VmRSS'] / 1024:.0f}, peak {after['VmHWM'] / 1024:.0f}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "dataset": args.dataset,
                    "database": database,
                    "workers": args.workers,
                    "connections": args.connections,
                    "duration_s": args.duration,
                    "warmup_s": args.warmup,
                    "targets": {"share_of_bare": TARGET_SHARE, "p95_ms": TARGET_P95_MS},
                    "pages": results,
                    "worker_memory_kib": memory,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    sys.exit(1 if any(row["failed"] for row in results) else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_targets":
        print(json.dumps(targets(sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == "_explain":
        explain(json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        try:
            main()
        except KeyboardInterrupt:
            sys.exit("Interrupted; the server is stopped.")
