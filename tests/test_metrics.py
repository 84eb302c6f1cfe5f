"""/metrics: who may read it, what it says, and what a scrape costs."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from innoclub.ideas.models import Stage
from innoclub.pilots.models import AdoptionState, PilotState
from tests.factories import MemberFactory
from tests.ideas_factories import IdeaFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db

TOKEN = "monitoring-token-for-tests-0123456789"


@pytest.fixture(autouse=True)
def _metrics_token(settings):
    settings.INNOCLUB_METRICS_TOKEN = TOKEN


def scrape(client: Client | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of one scrape with the token, by name and labels."""
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


# --- Access ---------------------------------------------------------------------


def test_anonymous_visitors_get_404_not_the_login(anon_client):
    assert anon_client.get("/metrics").status_code == 404


def test_members_get_404(member_client):
    assert member_client.get("/metrics").status_code == 404


def test_the_office_reads_the_metrics_in_its_session(staff_client):
    response = staff_client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]


def test_a_scraper_with_the_token_reads_the_metrics(anon_client):
    response = anon_client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert b"innoclub_database_up 1.0" in response.content


@pytest.mark.parametrize(
    "header",
    [
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        "Bearer ",
        f"Basic {TOKEN}",
        f"Token {TOKEN}",
        "Bearer ünicode-tökén",
    ],
)
def test_a_wrong_token_gets_404(anon_client, header):
    assert anon_client.get("/metrics", HTTP_AUTHORIZATION=header).status_code == 404


def test_a_wrong_token_gets_404_even_in_a_staff_session(staff_client):
    response = staff_client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")

    assert response.status_code == 404


def test_without_a_configured_token_no_token_opens_it(anon_client, staff_client, settings):
    settings.INNOCLUB_METRICS_TOKEN = ""

    assert anon_client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert anon_client.get("/metrics", HTTP_AUTHORIZATION="Bearer x").status_code == 404
    assert staff_client.get("/metrics").status_code == 200


def test_metrics_take_no_writes(anon_client):
    response = anon_client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 405


# --- Content ----------------------------------------------------------------------


def test_gauges_count_accounts_ideas_pilots_adoptions_and_tasks(member, guest, staff):
    MemberFactory(is_active=False)
    IdeaFactory.create_batch(2, stage=Stage.IDEA, authors=[member])
    IdeaFactory(stage=Stage.PILOT, authors=[member])
    pilot = PilotFactory(state=PilotState.RUNNING)
    PilotFactory(state=PilotState.COMPLETED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.IMPLEMENTED, declared_by=member)
    for status in ("READY", "READY", "FAILED"):
        DBTaskResult.objects.create(
            status=status,
            task_path="innoclub.core.tasks.example",
            args_kwargs={"args": [], "kwargs": {}},
            queue_name="default",
            backend_name="default",
        )

    samples = scrape()

    def gauge(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    assert gauge("innoclub_database_up") == 1
    assert gauge("innoclub_migrations_applied") == 1
    assert [gauge("innoclub_users_active", role=r) for r in ("member", "guest", "staff")] == [
        1,
        1,
        1,
    ]
    assert gauge("innoclub_ideas", stage="idee") == 2
    assert gauge("innoclub_ideas", stage="pilot") == 1
    assert gauge("innoclub_ideas", stage="abgelehnt") == 0
    assert gauge("innoclub_pilots", state="laufend") == 1
    assert gauge("innoclub_pilots", state="abgeschlossen") == 1
    assert gauge("innoclub_pilots", state="geplant") == 0
    assert gauge("innoclub_adoptions", state="umgesetzt") == 1
    assert gauge("innoclub_adoptions", state="interessiert") == 0
    assert gauge("innoclub_tasks", status="READY") == 2
    assert gauge("innoclub_tasks", status="FAILED") == 1
    assert gauge("innoclub_tasks", status="RUNNING") == 0


def test_the_request_counter_and_histogram_rise_with_each_request(anon_client):
    ok = ("innoclub_http_requests_total", (("method", "GET"), ("status", "2xx")))
    missing = ("innoclub_http_requests_total", (("method", "GET"), ("status", "4xx")))
    timed = ("innoclub_http_request_duration_seconds_count", ok[1])
    before = scrape()

    anon_client.get("/livez")
    anon_client.get("/livez")
    anon_client.get("/gibt-es-nicht/")
    after = scrape()

    # The first scrape itself is one more 2xx GET.
    assert after[ok] - before.get(ok, 0) == 3
    assert after[missing] - before.get(missing, 0) == 1
    assert after[timed] - before.get(timed, 0) == 3


def test_unknown_methods_share_one_label(anon_client):
    anon_client.generic("BREW", "/livez")

    samples = scrape()

    assert ("innoclub_http_requests_total", (("method", "other"), ("status", "4xx"))) in samples


def test_a_scrape_reports_an_unreachable_database(monkeypatch):
    from django.db import DatabaseError, connection

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    samples = scrape()

    assert samples[("innoclub_database_up", ())] == 0
    assert ("innoclub_migrations_applied", ()) not in samples


# --- Cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("many", [False, True])
def test_a_scrape_costs_the_same_few_queries_however_much_data(
    django_assert_num_queries, member, many
):
    count = 5 if many else 1
    IdeaFactory.create_batch(count, authors=[member])
    for _ in range(count):
        AdoptionFactory(declared_by=member)
    client = Client()

    # Five counts, and the migration check (is the table there, what is applied).
    with django_assert_num_queries(7):
        client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_a_staff_scrape_adds_only_the_session(django_assert_num_queries, staff_client):
    staff_client.get("/metrics")  # warms the session

    with django_assert_num_queries(7 + 3):
        assert staff_client.get("/metrics").status_code == 200


def test_with_a_multiprocess_folder_a_scrape_adds_up_every_worker(monkeypatch, tmp_path):
    """gunicorn's workers are processes; each counts into PROMETHEUS_MULTIPROC_DIR."""
    import os
    import subprocess
    import sys

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    worker = (
        "import django; django.setup()\n"
        "from innoclub.core.metrics import observe_request\n"
        "for _ in range({n}): observe_request('POST', 201, 0.2)\n"
    )
    for n in (3, 4):
        subprocess.run(
            [sys.executable, "-c", worker.format(n=n)],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "innoclub.settings"},
            check=True,
        )

    samples = scrape()

    labels = (("method", "POST"), ("status", "2xx"))
    assert samples[("innoclub_http_requests_total", labels)] == 7
    assert (
        samples[("innoclub_http_request_duration_seconds_bucket", (("le", "0.25"), *labels))] == 7
    )
    assert samples[("innoclub_database_up", ())] == 1
