"""Load and soak: mixed traffic from several people at once, for minutes, against
the server as ``make serve`` runs it.

Seeds the demo dataset (``seed_demo``) into a var dir of its own under
``var/soak-*`` on SQLite (default), or into a PostgreSQL database that it
creates (``--database-url``; it refuses one that exists and drops its own at the
end). ``--keep`` keeps both, ``--reuse`` takes them again without seeding. Before
the run it creates one member account per virtual user through the ORM (the
demo member is the first; the others are ``lasttest-NN@demo.innoclub.de``, all
with the demo password), so that no two users share a registration. Then it
serves the app as ``make serve`` does: collectstatic, migrate, the task worker
(``db_worker``, niced) and gunicorn ``innoclub.wsgi`` with 2 workers, DEBUG off,
demo mode on, on a free port.

``--users`` virtual users (threads with the standard library's HTTP client)
each sign in through the login form and then, until ``--duration`` has passed,
pick an action by its weight (``ACTIONS``), with a pause of up to
``2 × --think`` seconds between actions:

- anonymous browsing: start page, news and an article, the forum archive and the
  upcoming forum's program, the idea list with random filters, an idea, pilots
  and a pilot, transfer, municipalities and a municipality;
- search with German queries (a fixed list plus words of the demo's idea titles);
- signed in: an idea, the members' directory; registering for the upcoming
  forum and cancelling again, commenting on an idea, supporting an idea and
  taking the support back;
- API list calls (ideas, pilots, events, news, municipalities, topics).

Every write goes through the real HTML form: fetch the page, take the form's
fields and CSRF token, POST, check the redirect's address and that the page it
leads to shows the change. Every page is checked too (a whole HTML page; signed
in when it should be; JSON with a count). The API's rate limits are raised for
the run as in pages.py: all users come from one address.

Measures: per request kind the count, problems and p50/p95/p99/max latency
(after the warm-up, the first ``--warmup`` seconds); requests/s; every 5xx and
every other unexpected answer (all of the run); each gunicorn worker's resident
memory every ``--sample-every`` seconds (at the start, after the warm-up, at the
end, the peak) and its growth after the warm-up.

Verdict (exit status 0, else 1): no 5xx, every request answered and as
expected, no worker replaced, and no worker grown by more than
``--max-growth-mib`` after the warm-up.

    .venv/bin/python benchmarks/soak.py                          # 10 minutes, SQLite
    .venv/bin/python benchmarks/soak.py --duration 90 --warmup 20
    .venv/bin/python benchmarks/soak.py --duration 90 \\
        --database-url postgres://postgres@127.0.0.1:5432/innoclub_soak

Not a test: it prints figures (see docs/performance.md). It writes only to the
var dir and database it creates or is pointed at with ``--reuse``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

# Run as a script: its folder is on the path.
from pages import API_LIMITS, CSRF_COOKIE, LOGIN, MEMBER_EMAIL, SESSION_COOKIE, SIGNED_IN
from serving import (
    BIN,
    ROOT,
    free_port,
    run_python,
    serve_env,
    start_gunicorn,
    stop,
    workers_memory,
)

DEMO_PASSWORD = "innoclub-demo"  # noqa: S105 - published in PRODUCT.md, demo mode only
EXTRA_MEMBER = "lasttest-{:02d}@demo.innoclub.de"
# As make serve: the task worker (e-mails) runs at a lower priority than the web server.
TASK_WORKER = ("nice", "-n", "10", str(BIN / "python"), "manage.py", "db_worker")
QUERIES = (
    "Klimaschutz",
    "Klimaschutz Schule",
    "Digitalisierung Verwaltung",
    "Bürgerbeteiligung",
    "Buergerbeteiligung",
    "Mobilität ländlicher Raum",
    "Wärmeplanung",
    "kommunale Wärmeplanung",
    "Fachkräfte",
    "Hitzeschutz",
    "Schulen",
    "Ehrenamt",
    "Starkregen",
    "Bürgerämter",
    "Quartiersmanager:innen",
    "Open Data",
    "Radverkehr",
    "Innenstadt Leerstand",
    "Pflege",
    "Deutschlandforum",
    "Glasfaser",
    "Energie",
    "Jugendbeteiligung",
    "Zwillinge",
)
API_LISTS = (
    "/api/v1/ideas?limit=20",
    "/api/v1/ideas?ordering=-supports&limit=10",
    "/api/v1/pilots",
    "/api/v1/events",
    "/api/v1/news",
    "/api/v1/municipalities?in_network=true",
    "/api/v1/topics",
)
STAGES = ("", "idee", "konzept", "pilot", "transfer")
SORTS = ("neueste", "unterstuetzung", "diskussion")


# --- Inside Django (a subprocess with the server's environment) ----------------------


def prepare(users: int) -> dict[str, Any]:
    """The members the virtual users sign in as, and what they visit."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innoclub.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser

    from innoclub.accounts.models import Role, User
    from innoclub.accounts.services import user_create
    from innoclub.events.selectors import event_next
    from innoclub.events.services import registration_refusal
    from innoclub.ideas.selectors import ideas_visible
    from innoclub.network.models import Municipality, Topic
    from innoclub.news.selectors import article_latest
    from innoclub.pilots.selectors import pilots_visible

    member = User.objects.get(email=MEMBER_EMAIL)
    emails = [MEMBER_EMAIL] + [EXTRA_MEMBER.format(number) for number in range(1, users)]
    places = list(Municipality.objects.filter(users__isnull=False).distinct().order_by("ags"))
    for number, email in enumerate(emails[1:], start=1):
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                password=DEMO_PASSWORD,
                first_name="Lasttest",
                last_name=f"{number:02d}",
                role=Role.MEMBER,
                municipality=places[number % len(places)] if places else None,
            )
    forum = event_next(member)
    if forum is None:
        raise SystemExit("The dataset has no upcoming forum.")
    for email in emails:
        refusal = registration_refusal(event=forum, user=User.objects.get(email=email))
        if refusal is not None:
            raise SystemExit(f"{email} cannot register for {forum.slug}: {refusal}")
    anonymous = AnonymousUser()
    ideas = list(ideas_visible(anonymous).order_by("pk").values_list("pk", "title"))
    words = sorted(
        {word for _pk, title in ideas for word in re.findall(r"\w{8,}", title) if word[0].isupper()}
    )
    found = {
        "forum": forum.slug,
        "accounts": emails,
        "ideas": [pk for pk, _title in ideas],
        "pilots": list(pilots_visible(anonymous).order_by("pk").values_list("slug", flat=True)),
        "articles": [article.slug for article in article_latest(limit=20)],
        "municipalities": [place.ags for place in places],
        "topics": list(Topic.objects.order_by("slug").values_list("slug", flat=True)),
        "queries": [*QUERIES, *random.Random(11).sample(words, min(24, len(words)))],  # noqa: S311
    }
    empty = [key for key, value in found.items() if not value]
    if empty:
        raise SystemExit(f"The dataset has no {', '.join(empty)}.")
    return found


# --- The virtual users' HTTP ------------------------------------------------------------


@dataclass
class Sample:
    label: str
    at: float  # seconds since the run began
    seconds: float
    status: int  # 0: no answer
    problem: str = ""


@dataclass
class Recorder:
    began: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Unexpected(Exception):
    """An answer that was not the one expected; the action stops, the user goes on."""


@dataclass
class Answer:
    status: int
    location: str
    body: str


class FormFields(HTMLParser):
    """The fields a browser would send with the POST form whose action is ``action``,
    and the options of its radio buttons that nobody has chosen yet."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.found = False
        self.fields: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self.textarea = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and not self.found and attr.get("action") == self.action:
            self.inside = self.found = True
        elif not self.inside or "name" not in attr:
            return
        elif tag == "input" and attr.get("type", "text") not in {"checkbox", "radio", "submit"}:
            self.fields[attr["name"]] = attr.get("value", "")
        elif tag == "input" and "checked" in attr:
            self.fields[attr["name"]] = attr.get("value", "on")
        elif tag == "input" and attr.get("type") == "radio":
            self.choices.setdefault(attr["name"], []).append(attr.get("value", "on"))
        elif tag == "textarea":
            self.textarea = attr["name"]
            self.fields[attr["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = ""
        elif tag == "form":
            self.inside = False


def form_fields(
    body: str, action: str, pick: Callable[[list[str]], str] = lambda options: options[0]
) -> dict[str, str] | None:
    """What the form sends, with ``pick`` choosing among radio buttons none of which is on."""
    parser = FormFields(action)
    parser.feed(body)
    if not parser.found:
        return None
    chosen = {name: pick(options) for name, options in parser.choices.items()}
    return {**chosen, **parser.fields}


class Browser:
    """One person's browser: cookies, and each request timed and checked."""

    def __init__(self, port: int, recorder: Recorder, timeout: float) -> None:
        self.port = port
        self.recorder = recorder
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.signed_in = False

    def _send(self, method: str, path: str, body: str | None) -> Answer:
        headers = {"Accept-Language": "de"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Answer(response.status, response.headers.get("Location", ""), text)

    def request(
        self,
        label: str,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        expect: int = 200,
        location: str = "",
        check: Callable[[str], str] | None = None,
    ) -> Answer:
        """One request; raises Unexpected (after recording it) when the answer is not
        ``expect`` (with a Location starting with ``location``) or ``check`` objects."""
        at = time.monotonic()
        problem = ""
        try:
            answer = self._send(method, path, None if form is None else urlencode(form))
        except (OSError, http.client.HTTPException) as error:
            answer = Answer(0, "", "")
            problem = f"no answer ({error.__class__.__name__})"
        seconds = time.monotonic() - at
        if problem:
            pass
        elif answer.status != expect:
            problem = f"answered {answer.status}, expected {expect}"
        elif location and not answer.location.startswith(location):
            problem = f"redirected to {answer.location!r}, expected {location!r}…"
        elif check is not None:
            problem = check(answer.body)
        self.recorder.add(Sample(label, at - self.recorder.began, seconds, answer.status, problem))
        if problem:
            raise Unexpected(f"{label}: {method} {path} {problem}")
        return answer

    def page(self, label: str, path: str, check: Callable[[str], str] | None = None) -> Answer:
        """A whole HTML page, signed in or not as this browser is."""

        def whole(body: str) -> str:
            if not body.rstrip().endswith("</html>"):
                return "not a whole HTML page"
            if (SIGNED_IN in body) != self.signed_in:
                return "signed in" if not self.signed_in else "not signed in (session lost)"
            return check(body) if check else ""

        return self.request(label, "GET", path, check=whole)

    def submit(
        self,
        label: str,
        page: Answer,
        action: str,
        changes: dict[str, str],
        location: str,
        pick: Callable[[list[str]], str] = lambda options: options[0],
    ) -> Answer:
        """POST the form of ``page`` whose action is ``action``, with ``changes``;
        expects a redirect to ``location`` and returns the page it leads to."""
        fields = form_fields(page.body, action, pick)
        if fields is None:  # the page was checked for it: see has_form
            raise Unexpected(f"{label}: no form with action {action}")
        answer = self.request(
            f"{label}: post",
            "POST",
            action,
            form={**fields, **changes},
            expect=302,
            location=location,
        )
        target = urlunsplit(urlsplit(answer.location)._replace(scheme="", netloc="", fragment=""))
        return self.page(f"{label}: result", target)

    def sign_in(self, email: str) -> None:
        form = self.page("login: form", LOGIN, has_form(LOGIN))
        fields = {"username": email, "password": DEMO_PASSWORD}
        self.signed_in = True  # for the page the login leads to
        self.submit("login", form, LOGIN, fields, "/konto/")
        if SESSION_COOKIE not in self.cookies or CSRF_COOKIE not in self.cookies:
            raise SystemExit(f"Signing in as {email} left no session.")


# --- What the people do -------------------------------------------------------------------


@dataclass
class Person:
    """A virtual user: a browser without an account and one signed in as a member."""

    visitor: Browser
    member: Browser
    rng: random.Random
    site: dict[str, Any]

    def pick(self, key: str) -> Any:
        return self.rng.choice(self.site[key])


def has_form(action: str) -> Callable[[str], str]:
    marker = f'action="{action}"'
    return lambda body: "" if marker in body else f"has no form {marker}"


def _json_list(body: str) -> str:
    try:
        return "" if "count" in json.loads(body) else "JSON without a count"
    except ValueError:
        return "not JSON"


def browse_start(p: Person) -> None:
    p.visitor.page("start", "/")


def browse_news(p: Person) -> None:
    p.visitor.page("news", "/aktuelles/")
    p.visitor.page("news article", f"/aktuelles/{p.pick('articles')}/")


def browse_forum(p: Person) -> None:
    if p.rng.random() < 0.3:
        p.visitor.page("forum archive", "/foren/")
    p.visitor.page("forum program", f"/foren/{p.site['forum']}/")


def browse_ideas(p: Person) -> None:
    query = {
        "thema": p.pick("topics"),
        "phase": p.rng.choice(STAGES),
        "sortierung": p.rng.choice(SORTS),
    }
    filters = {key: value for key, value in query.items() if value and p.rng.random() < 0.7}
    p.visitor.page("ideas filtered", f"/ideen/?{urlencode(filters)}")


def browse_idea(p: Person) -> None:
    p.visitor.page("idea", f"/ideen/{p.pick('ideas')}/")


def browse_pilots(p: Person) -> None:
    if p.rng.random() < 0.4:
        p.visitor.page("pilots", "/pilotprojekte/")
    p.visitor.page("pilot", f"/pilotprojekte/{p.pick('pilots')}/")


def browse_transfer(p: Person) -> None:
    p.visitor.page("transfer", "/transfer/")


def browse_municipalities(p: Person) -> None:
    if p.rng.random() < 0.3:
        p.visitor.page("municipalities", "/kommunen/")
    p.visitor.page("municipality", f"/kommunen/{p.pick('municipalities')}/")


def search(p: Person) -> None:
    browser = p.member if p.rng.random() < 0.3 else p.visitor
    browser.page("search", f"/suche/?q={quote(p.pick('queries'))}")


def api_list(p: Person) -> None:
    p.visitor.request("api list", "GET", p.rng.choice(API_LISTS), check=_json_list)


def member_browse(p: Person) -> None:
    if p.rng.random() < 0.4:
        p.member.page("member: directory", "/mitglieder/")
    else:
        p.member.page("member: idea", f"/ideen/{p.pick('ideas')}/")


def forum_registration(p: Person) -> None:
    """Register for the upcoming forum, or cancel the registration, whichever is due."""
    forum = f"/foren/{p.site['forum']}/"
    register = f"{forum}anmeldung/"
    cancel = f'href="{register}stornieren/"'
    page = p.member.page("registration: page", register, has_form(register))
    if cancel in page.body:
        confirm = p.member.page("cancel: page", f"{register}stornieren/")
        result = p.member.submit("cancel", confirm, f"{register}stornieren/", {}, forum)
        if cancel in result.body:
            raise Unexpected("cancel: the forum's page still shows the registration")
    else:
        changes = {"dietary_needs": p.rng.choice(["", "vegetarisch", "vegan"])}
        # A hybrid forum asks how one takes part: on site or online, by chance.
        result = p.member.submit("register", page, register, changes, register, p.rng.choice)
        if cancel not in result.body:
            raise Unexpected("register: the registration page shows no registration")


def comment(p: Person) -> None:
    idea = p.pick("ideas")
    action = f"/ideen/{idea}/kommentare/"
    page = p.member.page("comment: idea", f"/ideen/{idea}/", has_form(action))
    text = f"Lasttest {p.rng.randrange(10**9)}: Wie haben Sie die Kosten aufgeteilt?"
    result = p.member.submit("comment", page, action, {"body": text}, f"/ideen/{idea}/")
    if text not in result.body:
        raise Unexpected("comment: the page it leads to does not show the comment")


def support(p: Person) -> None:
    """Support an idea, or take the support back when given already."""
    idea = p.pick("ideas")
    action = f"/ideen/{idea}/unterstuetzen/"
    page = p.member.page("support: idea", f"/ideen/{idea}/", has_form(action))
    fields = form_fields(page.body, action) or {}
    after = "hinzufuegen" if fields.get("aktion") == "entfernen" else "entfernen"
    result = p.member.submit("support", page, action, {}, f"/ideen/{idea}/")
    if (form_fields(result.body, action) or {}).get("aktion") != after:
        raise Unexpected("support: the idea's page does not show the change")


# Name, weight, what the person does. Reads outweigh writes as on a real site.
ACTIONS: tuple[tuple[str, int, Callable[[Person], None]], ...] = (
    ("start", 8, browse_start),
    ("news", 4, browse_news),
    ("forum", 6, browse_forum),
    ("ideas", 8, browse_ideas),
    ("idea", 10, browse_idea),
    ("pilots", 5, browse_pilots),
    ("transfer", 3, browse_transfer),
    ("municipalities", 4, browse_municipalities),
    ("search", 10, search),
    ("api", 6, api_list),
    ("member", 6, member_browse),
    ("registration", 4, forum_registration),
    ("comment", 3, comment),
    ("support", 4, support),
)


def act(person: Person, deadline: float, think: float, failures: Counter[str]) -> Counter[str]:
    """One virtual user's actions until ``deadline``; the count of each action."""
    done: Counter[str] = Counter()
    weights = [weight for _name, weight, _do in ACTIONS]
    while time.monotonic() < deadline:
        name, _weight, do = person.rng.choices(ACTIONS, weights)[0]
        try:
            do(person)
        except Unexpected as error:
            failures[str(error)[:300]] += 1
        done[name] += 1
        time.sleep(person.rng.uniform(0, 2 * think))
    return done


# --- Memory --------------------------------------------------------------------------------

# (seconds since the run began, {worker pid: {"VmRSS": KiB, "VmHWM": KiB}})
MemorySamples = list[tuple[float, dict[int, dict[str, int]]]]


def sample_memory(
    master: int, every: float, stop_at: threading.Event, began: float, out: MemorySamples
) -> None:
    """Each worker's VmRSS and VmHWM (KiB) every ``every`` seconds, until ``stop_at``."""
    while True:
        out.append((time.monotonic() - began, workers_memory(master)))
        if stop_at.wait(every):
            out.append((time.monotonic() - began, workers_memory(master)))
            return


def memory_report(samples: MemorySamples, warmup: float) -> dict[int, dict[str, float]]:
    """Per worker (MiB): RSS at its first sample, after the warm-up, at the end, the
    peak, the growth after the warm-up, and whether it lived to the end."""
    last = samples[-1][1]
    report: dict[int, dict[str, float]] = {}
    for pid in sorted({pid for _at, figures in samples for pid in figures}):
        mine = [(at, figures[pid]) for at, figures in samples if pid in figures]
        warm = next((f for at, f in mine if at >= warmup), mine[-1][1])
        end = mine[-1][1]
        report[pid] = {
            "start": mine[0][1]["VmRSS"] / 1024,
            "after_warmup": warm["VmRSS"] / 1024,
            "end": end["VmRSS"] / 1024,
            "peak": max(f.get("VmHWM", f["VmRSS"]) for _at, f in mine) / 1024,
            "growth": (end["VmRSS"] - warm["VmRSS"]) / 1024,
            "alive_at_end": float(pid in last),
        }
    return report


# --- The figures -------------------------------------------------------------------------


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def statistics_of(samples: list[Sample], warmup: float) -> list[dict[str, Any]]:
    """Per kind of request: count and problems over the whole run; latency after the warm-up."""
    rows = []
    for label in dict.fromkeys(s.label for s in sorted(samples, key=lambda s: s.label)):
        mine = [s for s in samples if s.label == label]
        measured = sorted(s.seconds * 1000 for s in mine if s.at >= warmup)
        rows.append(
            {
                "label": label,
                "requests": len(mine),
                "measured": len(measured),
                "problems": sum(1 for s in mine if s.problem),
                "server_errors": sum(1 for s in mine if s.status >= 500),
                "statuses": dict(Counter(s.status for s in mine)),
                "p50_ms": _percentile(measured, 0.50),
                "p95_ms": _percentile(measured, 0.95),
                "p99_ms": _percentile(measured, 0.99),
                "max_ms": measured[-1] if measured else 0.0,
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| request | count | measured | problems | 5xx | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['requests']} | {row['measured']} | {row['problems']} "
            f"| {row['server_errors']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} "
            f"| {row['p99_ms']:.0f} | {row['max_ms']:.0f} |"
        )
    return "\n".join(lines)


# --- The run -------------------------------------------------------------------------------


def _postgres(url: str, *, create: bool) -> None:
    """Create the database of ``url`` (never one that exists), or drop it."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not create:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            raise SystemExit(f"The database {name} exists: drop it, or run with --reuse {url}.")
        else:
            conn.execute(f'CREATE DATABASE "{name}"')


def _terminated(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--duration", type=float, default=600, help="seconds of traffic, warm-up included (600)")
    add("--warmup", type=float, help="seconds before measuring (60, or a fifth of a shorter run)")
    add("--users", type=int, default=8, help="virtual users at once (8)")
    add("--think", type=float, default=0.25, help="mean pause between actions, s (0.25)")
    add("--database-url", default="", help="a PostgreSQL database to create, seed and drop")
    add(
        "--reuse",
        default="",
        metavar="VAR_DIR_OR_URL",
        help="a var dir (SQLite) or database URL that holds the demo dataset: no seeding",
    )
    add("--keep", action="store_true", help="keep the var dir and database for --reuse")
    add("--workers", type=int, default=2, help="gunicorn workers (make serve: 2)")
    add("--sample-every", type=float, default=5, help="seconds between memory samples (5)")
    add("--max-growth-mib", type=float, default=50, help="allowed growth per worker (50)")
    add("--timeout", type=float, default=60, help="seconds a request may take (60)")
    add("--seed", type=int, default=1, help="random seed of the users' choices (1)")
    add("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = min(60.0, args.duration / 5)
    if args.users < 1 or args.duration <= args.warmup:
        parser.error("--users must be at least 1 and --duration longer than --warmup")
    return args


def main() -> None:
    args = _arguments()
    signal.signal(signal.SIGTERM, _terminated)
    port = free_port()
    reuse_url = "://" in args.reuse
    own_var = not args.reuse or reuse_url
    if own_var:
        (ROOT / "var").mkdir(exist_ok=True)
        var = Path(tempfile.mkdtemp(prefix="soak-", dir=ROOT / "var"))
    else:
        var = Path(args.reuse).resolve()
        if not (var / "innoclub.sqlite3").exists():
            raise SystemExit(f"{var} holds no innoclub.sqlite3.")
    env = {**serve_env(var, port, demo=True), **API_LIMITS}
    url = args.reuse if reuse_url else args.database_url
    created_db = ""
    if url:
        env["DATABASE_URL"] = url
    database = f"PostgreSQL ({urlsplit(url).path.lstrip('/')})" if url else "SQLite"

    processes: list[subprocess.Popen[bytes]] = []
    server: subprocess.Popen[bytes] | None = None
    recorder = Recorder()
    memory: MemorySamples = []
    failures: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    elapsed = 0.0
    try:
        if args.database_url and not args.reuse:
            _postgres(args.database_url, create=True)
            created_db = args.database_url
        began = time.monotonic()
        run_python(env, "manage.py", "collectstatic", "--no-input", "-v", "0")
        run_python(env, "manage.py", "migrate", "--no-input", "-v", "0")
        if not args.reuse:
            print(f"Seeding the demo dataset into {database} …", file=sys.stderr)
            run_python(env, "manage.py", "seed_demo")
        site = json.loads(run_python(env, __file__, "_prepare", str(args.users)).splitlines()[-1])
        print(f"Dataset ready in {time.monotonic() - began:.0f} s.", file=sys.stderr)

        with (var / "db_worker.log").open("ab") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter
                    [*TASK_WORKER, "--queue-name", "*", "-v", "0"],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                )
            )
        server = start_gunicorn(env, port, args.workers, var / "gunicorn.log")

        rng = random.Random(args.seed)  # noqa: S311 - reproducible choices, not a secret
        people = []
        for email in site["accounts"]:
            person = Person(
                Browser(port, recorder, args.timeout),
                Browser(port, recorder, args.timeout),
                random.Random(rng.random()),  # noqa: S311
                site,
            )
            person.member.sign_in(email)
            people.append(person)

        stop_sampling = threading.Event()
        recorder.began = time.monotonic()
        deadline = recorder.began + args.duration
        sampler = threading.Thread(
            target=sample_memory,
            args=(server.pid, args.sample_every, stop_sampling, recorder.began, memory),
        )
        sampler.start()
        print(
            f"{args.users} users for {args.duration:g} s ({args.warmup:g} s warm-up) …",
            file=sys.stderr,
        )
        results: list[Counter[str]] = []
        threads = [
            threading.Thread(
                target=lambda p=p: results.append(act(p, deadline, args.think, failures))
            )
            for p in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - recorder.began
        stop_sampling.set()
        sampler.join()
        for counted in results:
            actions.update(counted)
    finally:
        if server is not None:
            stop(server)
        for process in processes:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            if process.poll() is None:
                process.kill()
        samples = recorder.samples
        if any(s.status >= 500 for s in samples) and (var / "gunicorn.log").exists():
            print("\nThe server's log, its end:", file=sys.stderr)
            sys.stderr.write((var / "gunicorn.log").read_text(errors="replace")[-8000:])
        if args.keep:
            print(f"Kept. Run again with --reuse {url or var}", file=sys.stderr)
        else:
            if own_var:
                shutil.rmtree(var, ignore_errors=True)
            if created_db:
                _postgres(created_db, create=False)

    report(args, database, recorder.samples, memory, actions, failures, elapsed)


def report(
    args: argparse.Namespace,
    database: str,
    samples: list[Sample],
    memory: MemorySamples,
    actions: Counter[str],
    failures: Counter[str],
    elapsed: float,
) -> NoReturn:
    rows = statistics_of(samples, args.warmup)
    measured = [s for s in samples if s.at >= args.warmup]
    server_errors = sum(row["server_errors"] for row in rows)
    problems = sum(row["problems"] for row in rows)
    statuses = Counter(s.status for s in samples)
    workers = memory_report(memory, args.warmup) if memory else {}
    grown = [pid for pid, w in workers.items() if w["growth"] > args.max_growth_mib]
    replaced = [pid for pid, w in workers.items() if not w["alive_at_end"]]
    rate = len(measured) / (elapsed - args.warmup) if elapsed > args.warmup else 0.0
    load_average = os.getloadavg()[0]

    print(
        f"\nDemo dataset, {database}, gunicorn {args.workers} sync workers, DEBUG off; "
        f"{args.users} users, {args.think:g} s mean pause; {elapsed:.0f} s of traffic "
        f"({args.warmup:g} s warm-up); {os.cpu_count()} cores, load average "
        f"{load_average:.1f} at the end.\n"
    )
    print(table(rows))
    print(
        f"\n{len(samples)} requests, {rate:.1f} requests/s after the warm-up; statuses "
        f"{dict(sorted(statuses.items()))}; 5xx: {server_errors}; problems: {problems}"
    )
    print("actions: " + ", ".join(f"{name} {count}" for name, count in actions.most_common()))
    for text, count in failures.most_common(10):
        print(f"  ✗ {count}× {text}")
    print(
        "\nworker memory (MiB): RSS at the start → after the warm-up → at the end, peak "
        "(VmHWM); growth after the warm-up"
    )
    for pid, w in workers.items():
        print(
            f"  pid {pid}: {w['start']:.0f} → {w['after_warmup']:.0f} → {w['end']:.0f}, "
            f"peak {w['peak']:.0f}; growth {w['growth']:+.1f}"
            + ("" if w["alive_at_end"] else " (replaced before the end)")
        )
    reasons = []
    if server_errors:
        reasons.append(f"{server_errors} 5xx")
    if problems - server_errors:
        reasons.append(f"{problems - server_errors} other unexpected answers")
    if grown:
        reasons.append(f"{len(grown)} worker(s) grew more than {args.max_growth_mib:g} MiB")
    if replaced:
        reasons.append(f"{len(replaced)} worker(s) replaced")
    if not workers:
        reasons.append("no memory figures")
    verdict = "PASS" if not reasons else "FAIL: " + "; ".join(reasons)
    print(
        f"\nverdict: {verdict} (bound: zero 5xx, every answer as expected, "
        f"growth ≤ {args.max_growth_mib:g} MiB per worker after the warm-up)"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "database": database,
                    "workers": args.workers,
                    "users": args.users,
                    "think_s": args.think,
                    "duration_s": elapsed,
                    "warmup_s": args.warmup,
                    "requests": len(samples),
                    "requests_per_s": rate,
                    "statuses": {str(k): v for k, v in sorted(statuses.items())},
                    "server_errors": server_errors,
                    "problems": problems,
                    "failures": dict(failures.most_common()),
                    "actions": dict(actions.most_common()),
                    "rows": rows,
                    "worker_memory_mib": {str(pid): w for pid, w in workers.items()},
                    "memory_samples_kib": [
                        {
                            "at_s": round(at, 1),
                            "rss": {str(pid): f["VmRSS"] for pid, f in w.items()},
                        }
                        for at, w in memory
                    ],
                    "max_growth_mib": args.max_growth_mib,
                    "passed": not reasons,
                    "verdict": verdict,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    sys.exit(0 if not reasons else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    else:
        try:
            main()
        except KeyboardInterrupt:
            sys.exit("Interrupted; the server is stopped.")
