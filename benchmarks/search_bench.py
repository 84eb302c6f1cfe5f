"""Search at scale: index build, index size, query latency and relevance on 100,000 documents.

Builds the synthetic corpus of ``search_corpus.py`` (gold documents of the
relevance set plus noise) into a fresh database: SQLite in a temporary var dir
by default, or a dedicated PostgreSQL database ``search_bench`` (created, and
dropped at the end) on the server named by ``--database-url``/``DATABASE_URL``.
Then it prints:

- **build**: generating the documents; writing them into the empty index with
  ``innoclub.search.index.index_documents`` (bulk, the upsert path); and the
  **full rebuild**: ``innoclub.search.index.rebuild()`` itself in one
  transaction, with every source replaced for the run by one that hands it the
  synthetic documents (the corpus has no model objects). So it is ``rebuild()``
  without reading and converting model objects. Also how long the Python
  analysis (``analysis.analyse``) of all documents takes on its own.
- **index size**: SQLite: the file, and per table and index (``dbstat``);
  PostgreSQL: ``pg_total_relation_size`` of the document table, its indexes,
  and the name variants.
- **latency in the database**: wall time of each ``innoclub.search.query.search``
  call (its SQL queries plus the Python analysis, ranking annotations and
  snippets), for 1-3 word queries drawn from the corpus vocabulary, each run as
  an anonymous visitor, a member and the office, every one counting its
  matches (the cache is emptied after the warm-up); then the same calls
  "again", which read what the first kept (the searches that took 10 ms or
  more, per audience; a member's per person).
- **latency over HTTP**: the same queries as ``GET /suche/?q=`` against gunicorn
  started as ``make serve`` does (``innoclub.wsgi``, production settings, 2
  sync workers) on the same database, from one client one request after the
  other (p50/p95/p99, requests/s; warmed up with other queries), then from
  ``--clients`` clients at once (requests/s under load; these repeat the
  queries, so they often find the whole search kept). Gunicorn's sync workers close the connection after
  each response, so each request opens a new local TCP connection (~0.1 ms).
- **relevance**: ``search_relevance.py``'s precision@5 and recall@20 per group.

    .venv/bin/python benchmarks/search_bench.py                          # SQLite
    .venv/bin/python benchmarks/search_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/search_bench    # PostgreSQL
    # options: --docs N (100000), --queries N (300), --clients N (4), --workers N (2),
    #          --no-http, --keep

Not a test: it prints figures (see docs/performance.md, "Search").
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Run as a script: its folder is on the path.
from serving import free_port, postgres_database, serve_env, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SESSION_COOKIE = "innoclub_session"
PERSONAS = ("anonymous", "member", "staff")
TARGETS = {"sqlite": {"db": 10.0, "http": 30.0}, "postgresql": {"db": 25.0, "http": 25.0}}
REBUILD_TARGET = 30.0


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innoclub.settings")
    import django

    django.setup()


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1]}


# --- Inside Django (child processes with the server's environment) -----------------


class _Listed:
    """What ``rebuild()`` asks of a source's queryset, over a list of documents."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def iterator(self, chunk_size: int) -> Any:
        return iter(self.items)


def build(docs: int) -> dict[str, Any]:
    """Generate, index, re-index; personas with sessions for the HTTP part."""
    _django()
    import datetime

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from benchmarks.search_corpus import corpus
    from innoclub.accounts.models import Role, User
    from innoclub.search.analysis import analyse
    from innoclub.search.documents import SOURCES, Source
    from innoclub.search.index import index_documents, rebuild
    from innoclub.search.models import Kind, NameVariant, SearchDocument

    figures: dict[str, Any] = {}
    began = time.perf_counter()
    documents = corpus(docs)
    figures["generate_s"] = time.perf_counter() - began

    began = time.perf_counter()
    index_documents(documents)
    figures["build_s"] = time.perf_counter() - began

    # rebuild() itself, with the synthetic documents standing in for the model objects.
    real = dict(SOURCES)
    by_kind: dict[str, list[Any]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    SOURCES.clear()
    for kind, kind_documents in by_kind.items():
        SOURCES[Kind(kind)] = Source(
            kind=Kind(kind),
            model=SearchDocument,
            queryset=lambda found=kind_documents: _Listed(found),  # type: ignore[arg-type,misc]
            document=lambda document: document,
        )
    try:
        began = time.perf_counter()
        with transaction.atomic():
            rebuild()
    finally:
        SOURCES.clear()
        SOURCES.update(real)
    figures["rebuild_s"] = time.perf_counter() - began

    # The analysis alone (its word caches are warm by now, as late in a rebuild).
    began = time.perf_counter()
    for document in documents:
        analyse(document.title)
        analyse(document.summary)
        analyse(document.body)
    figures["analysis_s"] = time.perf_counter() - began
    figures["documents"] = SearchDocument.objects.count()
    figures["name_variants"] = NameVariant.objects.count()
    figures["words"] = sum(len(f"{d.title} {d.summary} {d.body}".split()) for d in documents)

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
            cursor.execute("ANALYZE search_namevariant")

    # The personas, signed in as a login would leave them (staff with a second factor).
    member = User.objects.create_user("mitglied@bench.invalid", role=Role.MEMBER)
    staff = User.objects.create_user("office@bench.invalid", role=Role.STAFF)
    device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
    now = time.time()
    sessions = {}
    for name, user in (("member", member), ("staff", staff)):
        store = SessionStore(session_key=get_random_string(32))
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
            "innoclub_auth_at": now,
            "innoclub_seen_at": now,
        }
        if name == "staff":
            data["otp_device_id"] = device.persistent_id
        store.update(data)
        store.set_expiry(timezone.now() + datetime.timedelta(hours=12))
        store.save(must_create=True)
        sessions[name] = store.session_key
    figures["sessions"] = sessions
    return figures


def index_size() -> dict[str, Any]:
    _django()
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            tables = dict(cursor.fetchall())
            search = {name: size for name, size in tables.items() if "search" in name}
            return {
                "file": Path(settings.DATABASES["default"]["NAME"]).stat().st_size,
                "fts": sum(size for name, size in search.items() if name.startswith("search_fts")),
                "documents": sum(
                    size
                    for name, size in search.items()
                    if "searchdocument" in name or "search_sear" in name or "search_one" in name
                ),
                "variants": sum(size for name, size in search.items() if "variant" in name),
                "search_total": sum(search.values()),
                "parts": dict(sorted(search.items(), key=lambda item: -item[1])),
            }
        cursor.execute(
            "SELECT pg_total_relation_size('search_searchdocument'), "
            "pg_relation_size('search_searchdocument'), "
            "pg_indexes_size('search_searchdocument'), "
            "pg_total_relation_size('search_namevariant'), "
            "COALESCE(pg_total_relation_size(to_regclass('search_searchtext')), 0), "
            "pg_database_size(current_database())"
        )
        total, heap, indexes, variants, texts, database = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes "
            "WHERE relname = 'search_searchdocument' ORDER BY 2 DESC"
        )
        return {
            "documents_total": total,
            "heap": heap,
            "toast_and_fsm": total - heap - indexes,
            "indexes": indexes,
            "variants": variants,
            "texts": texts,
            "database": database,
            "parts": dict(cursor.fetchall()),
        }


def sample_queries(count: int, seed: int) -> list[str]:
    """1-3 word queries as people type them: topics, compounds and their parts, towns, names."""
    from benchmarks.search_corpus import ADJECTIVES, LAST_NAMES, NOUNS, towns

    rng = random.Random(seed)  # noqa: S311 - reproducible sample, not a secret
    short = (
        "Konzept", "Pumpe", "Beteiligung", "Plan", "Strategie", "Förderung", "Energie",
        "Klimaschutz", "Digitalisierung", "Mobilität", "Radverkehr", "Verwaltung", "Bürger",
        "Kita", "Jugend", "Wohnen", "Ehrenamt", "Daten", "Sensoren", "Wärme", "Glasfaser",
        "Bürger:innen", "Einwohnerinnen", "Strasse", "Rathaus", "Gemeinderat", "Förderprogramm",
    )  # fmt: skip
    town_names = [town.name for town in towns()]

    def word() -> str:
        pick = rng.random()
        if pick < 0.35:
            return rng.choice(NOUNS)[0]
        if pick < 0.45:
            return rng.choice(NOUNS)[1]
        if pick < 0.70:
            return rng.choice(short)
        if pick < 0.88:
            return rng.choice(town_names).split()[0]
        return rng.choice(LAST_NAMES)

    queries = []
    for _ in range(count):
        size = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        words = [word() for _ in range(size)]
        if size > 1 and rng.random() < 0.4:
            words[0] = rng.choice(ADJECTIVES) + rng.choice(("e", "en", "er"))
        queries.append(" ".join(words))
    return queries


def latency(count: int, seed: int) -> dict[str, Any]:
    """search() per call, as each persona; then the relevance set."""
    _django()
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    from benchmarks.search_relevance import evaluate, search_runner
    from innoclub.accounts.models import User
    from innoclub.core.access import AnyUser
    from innoclub.search.query import search

    users: dict[str, AnyUser] = {
        "anonymous": AnonymousUser(),
        "member": User.objects.get(email="mitglied@bench.invalid"),
        "staff": User.objects.get(email="office@bench.invalid"),
    }
    queries = sample_queries(count, seed)
    for text in queries[:20]:  # warm caches and connection
        search(text, user=users["staff"])
    # Every measured call counts its matches: no counts kept from the warm-up.
    cache.clear()
    times: dict[str, list[float]] = {persona: [] for persona in PERSONAS}
    totals: list[int] = []
    slowest: list[tuple[float, str, str, int]] = []
    for text in queries:
        for persona, user in users.items():
            began = time.perf_counter()
            results = search(text, user=user)
            elapsed = (time.perf_counter() - began) * 1000
            times[persona].append(elapsed)
            slowest.append((elapsed, persona, text, results.total))
            if persona == "staff":
                totals.append(results.total)
    every = [value for values in times.values() for value in values]
    # By how many documents match: the engine's work grows with the matches.
    buckets: dict[str, list[float]] = {}
    for elapsed, _, _, total in slowest:
        bucket = next(
            label
            for label, limit in (
                ("<=100", 100),
                ("<=1,000", 1000),
                ("<=10,000", 10_000),
                (">10,000", None),
            )
            if limit is None or total <= limit
        )
        buckets.setdefault(bucket, []).append(elapsed)
    # The same calls again (coming back to a search): each reads what the first
    # pass kept, if that search took long enough to be kept.
    again: dict[str, list[float]] = {persona: [] for persona in PERSONAS}
    for text in queries:
        for persona, user in users.items():
            began = time.perf_counter()
            search(text, user=user)
            again[persona].append((time.perf_counter() - began) * 1000)
    report = evaluate(search_runner(users["staff"]))
    return {
        "db": {persona: _percentiles(values) for persona, values in times.items()}
        | {"all": _percentiles(every)},
        "again": {persona: _percentiles(values) for persona, values in again.items()},
        "by_matches": {label: _percentiles(values) for label, values in buckets.items()},
        "results_median": statistics.median(totals),
        "results_max": max(totals),
        "slowest": sorted(slowest, reverse=True)[:8],
        "relevance": {
            "groups": report.groups(),
            "text": report.text(),
            "misses": [outcome.query.text for outcome in report.misses],
        },
    }


# --- Outside Django: database, server, clients --------------------------------------


def _child(env: dict[str, str], *args: str) -> Any:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(BIN / "python"), __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"{args[0]} failed")
    return json.loads(result.stdout.splitlines()[-1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter
        [str(BIN / "python"), "manage.py", *args], env=env, cwd=ROOT, check=True
    )


def _get(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[float, int]:
    headers = {"Cookie": cookie} if cookie else {}
    began = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - began) * 1000, response.status


def http_latency(
    port: int, queries: list[str], warm_up: list[str], sessions: dict[str, str], clients: int
) -> dict[str, Any]:
    cookies = {"anonymous": ""} | {
        name: f"{SESSION_COOKIE}={key}" for name, key in sessions.items()
    }
    requests = [(persona, f"/suche/?q={quote(text)}") for text in queries for persona in PERSONAS]
    connections = {
        persona: http.client.HTTPConnection("127.0.0.1", port, timeout=60) for persona in PERSONAS
    }
    # Every worker loads its templates, with other queries than those measured:
    # their counts are not kept yet.
    for text in warm_up:
        for persona in PERSONAS:
            _get(connections[persona], f"/suche/?q={quote(text)}", cookies[persona])
    times: dict[str, list[float]] = {persona: [] for persona in PERSONAS}
    statuses: dict[int, int] = {}
    began = time.perf_counter()
    for persona, path in requests:
        elapsed, status = _get(connections[persona], path, cookies[persona])
        times[persona].append(elapsed)
        statuses[status] = statuses.get(status, 0) + 1
    sequential = time.perf_counter() - began

    # Several clients at once: throughput.
    loaded: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for persona, path in requests[number::clients]:
            elapsed, status = _get(conn, path, cookies[persona])
            mine.append(elapsed)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        with lock:
            loaded.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    concurrent = time.perf_counter() - began
    every = [value for values in times.values() for value in values]
    return {
        "http": {persona: _percentiles(values) for persona, values in times.items()}
        | {"all": _percentiles(every)},
        "rps": len(requests) / sequential,
        "loaded": _percentiles(loaded),
        "loaded_rps": len(requests) / concurrent,
        "statuses": statuses,
    }


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300, help="sampled queries (x3 personas)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--clients", type=int, default=4, help="clients at once (throughput)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make serve: 2)")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--bench-db", default="search_bench", help="PostgreSQL database name")
    parser.add_argument("--keep", action="store_true", help="keep the database and var dir")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="innoclub-search-bench-"))
    port = free_port()
    env = serve_env(var, port, demo=False)
    vendor = "sqlite"
    if args.database_url:
        env["DATABASE_URL"] = postgres_database(args.database_url, args.bench_db, create=True)
        vendor = "postgresql"
    server: subprocess.Popen[bytes] | None = None
    try:
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "collectstatic", "--no-input", "-v", "0")
        print(f"Building {args.docs:,} documents on {vendor} …", flush=True)
        built = _child(env, "_build", str(args.docs))
        size = _child(env, "_size")
        print("Measuring search() …", flush=True)
        measured = _child(env, "_latency", str(args.queries), str(args.seed))
        served: dict[str, Any] = {}
        if not args.no_http:
            print("Measuring over HTTP …", flush=True)
            command = [str(BIN / "gunicorn"), "innoclub.wsgi", "--workers", str(args.workers)]
            command += ["--bind", f"127.0.0.1:{port}", "--graceful-timeout", "10"]
            server = subprocess.Popen(  # noqa: S603 - our own executable
                command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            wait_until_up(port)
            sys.path.insert(0, str(ROOT))
            from benchmarks.search_corpus import towns  # noqa: F401 - geonames loads once

            queries = sample_queries(args.queries, args.seed)
            warm_up = [text for text in sample_queries(30, args.seed + 1) if text not in queries]
            served = http_latency(port, queries, warm_up[:10], built["sessions"], args.clients)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
            if args.database_url:
                postgres_database(args.database_url, args.bench_db, create=False)
        else:
            print(f"Kept: {var}" + (f", database {args.bench_db}" if args.database_url else ""))

    _print(vendor, args, built, size, measured, served)


def _print(
    vendor: str,
    args: argparse.Namespace,
    built: dict[str, Any],
    size: dict[str, Any],
    measured: dict[str, Any],
    served: dict[str, Any],
) -> None:
    target = TARGETS[vendor]
    print()
    print(f"== Search benchmark: {vendor}, {built['documents']:,} documents ==")
    print(
        f"corpus: {built['words']:,} words; {built['name_variants']:,} name variants; "
        f"generated in {built['generate_s']:.1f} s"
    )
    print(f"index build (empty index, index_documents): {built['build_s']:.1f} s")
    print(
        f"full rebuild (index.rebuild() over the documents, one transaction): "
        f"{built['rebuild_s']:.1f} s (target <= {REBUILD_TARGET:.0f} s); "
        f"of that the Python analysis alone: {built['analysis_s']:.1f} s"
    )
    if vendor == "sqlite":
        print(
            f"index size: file {_mb(size['file'])}; search tables {_mb(size['search_total'])} "
            f"(FTS5 {_mb(size['fts'])}, document rows + indexes {_mb(size['documents'])}, "
            f"name variants {_mb(size['variants'])})"
        )
    else:
        print(
            f"index size: search_searchdocument {_mb(size['documents_total'])} "
            f"(heap {_mb(size['heap'])}, TOAST {_mb(size['toast_and_fsm'])}, "
            f"indexes {_mb(size['indexes'])}); texts (search_searchtext) {_mb(size['texts'])}; "
            f"name variants {_mb(size['variants'])}; "
            f"database {_mb(size['database'])}"
        )
    print("  " + ", ".join(f"{name} {_mb(value)}" for name, value in size["parts"].items()))
    print(
        f"queries: {args.queries} sampled 1-3 word queries x {len(PERSONAS)} personas; "
        f"results per query (office): median {measured['results_median']:,}, "
        f"max {measured['results_max']:,}"
    )
    print()
    print(f"{'latency ms':<28} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  target p95")
    rows: list[tuple[str, dict[str, float], float | None]] = [
        (f"search() {p}", measured["db"][p], target["db"]) for p in (*PERSONAS, "all")
    ]
    rows += [(f"search() {p} again", measured["again"][p], None) for p in PERSONAS]
    if served:
        rows += [(f"HTTP {p}", served["http"][p], target["http"]) for p in (*PERSONAS, "all")]
        rows.append((f"HTTP {args.clients} clients at once", served["loaded"], None))
    for label, stats, goal in rows:
        verdict = (
            "" if goal is None else f"<= {goal:.0f}  {'met' if stats['p95'] <= goal else 'MISSED'}"
        )
        print(
            f"{label:<28} {stats['n']:>5} {stats['p50']:>7.1f} {stats['p95']:>7.1f} "
            f"{stats['p99']:>7.1f} {stats['max']:>7.1f}  {verdict}"
        )
    for label in ("<=100", "<=1,000", "<=10,000", ">10,000"):
        if label in measured["by_matches"]:
            stats = measured["by_matches"][label]
            print(
                f"{'search(), ' + label + ' matches':<28} {stats['n']:>5} {stats['p50']:>7.1f} "
                f"{stats['p95']:>7.1f} {stats['p99']:>7.1f} {stats['max']:>7.1f}"
            )
    if served:
        print(
            f"requests/s: {served['rps']:.0f} one client, {served['loaded_rps']:.0f} with "
            f"{args.clients} clients; statuses {served['statuses']}"
        )
    print("slowest search() calls (ms, persona, query, results):")
    for elapsed, persona, text, total in measured["slowest"]:
        print(f"  {elapsed:7.1f}  {persona:<9} {text!r}  {total:,}")
    print()
    print("relevance (precision@5, recall@20 = first result page; as the office):")
    print(measured["relevance"]["text"])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        command, *rest = sys.argv[1:]
        if command == "_build":
            output = build(int(rest[0]))
        elif command == "_size":
            output = index_size()
        else:
            output = latency(int(rest[0]), int(rest[1]))
        print(json.dumps(output, default=str))
    else:
        main()
