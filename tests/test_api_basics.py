"""What every API call shares: problem details in the caller's language, ETags,
pages, whitelisted ordering, rate limits, the body size limit, the schema and
the reference page /api/v1/docs/."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from innoclub.api.api import api
from innoclub.api.tokens import token_create
from tests.conftest import login_client
from tests.factories import MemberFactory, MunicipalityFactory, TopicFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def _bearer(plain: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


# --- Problem details -------------------------------------------------------------


GERMAN_404 = ("de", "Nicht gefunden", "Hier gibt es nichts, oder Sie dürfen es nicht sehen.")
ENGLISH_404 = ("en", "Not found", "There is nothing here, or you may not see it.")


@pytest.mark.parametrize(
    ("accept", "answer"),
    [
        ("en", ENGLISH_404),
        ("de", GERMAN_404),
        ("en-GB,en;q=0.8", ENGLISH_404),
        ("fr", GERMAN_404),  # German is the default
        ("", GERMAN_404),
    ],
)
def test_errors_are_problem_details_in_the_callers_language(anon_client, accept, answer):
    language, title, detail = answer

    response = anon_client.get("/api/v1/topics/gibt-es-nicht", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response["Content-Language"] == language
    assert response.json() == {
        "type": "about:blank",
        "title": title,
        "status": 404,
        "detail": detail,
        "errors": [],
    }


def test_invalid_input_names_each_field_in_german(anon_client):
    response = anon_client.get(
        "/api/v1/municipalities?limit=zwanzig&ordering=geheim", HTTP_ACCEPT_LANGUAGE="de"
    )

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["title"], body["detail"]) == (
        "Ungültige Eingabe",
        "Ein Teil der Eingaben ist ungültig.",
    )
    assert sorted(body["errors"], key=lambda error: error["field"]) == [
        {"field": "limit", "message": "Bitte geben Sie eine Zahl im erlaubten Bereich an."},
        {"field": "ordering", "message": "Dieser Wert gehört nicht zu den erlaubten Werten."},
    ]


# --- ETag ---------------------------------------------------------------------------


def test_an_unchanged_object_answers_304_and_a_changed_one_a_new_etag(anon_client):
    topic = TopicFactory(slug="digitales", name="Digitales")
    url = "/api/v1/topics/digitales"

    first = anon_client.get(url)
    etag = first["ETag"]
    unchanged = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    topic.name = "Digitale Verwaltung"
    topic.save()
    changed = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert re.fullmatch(r'(W/)?"[^"]+"', etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert changed.status_code == 200
    assert changed.json()["name"] == "Digitale Verwaltung"
    assert changed["ETag"] != etag


def test_answers_vary_with_the_caller(anon_client):
    response = anon_client.get("/api/v1/topics")

    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Authorization", "Cookie", "Accept-Language"} <= vary


# --- Pages and ordering ----------------------------------------------------------------


def test_pages_carry_totals_and_their_neighbours(anon_client):
    for n in range(5):
        TopicFactory(name=f"Thema {n}", slug=f"thema-{n}")

    middle = anon_client.get("/api/v1/topics?limit=2&offset=2").json()
    first = anon_client.get("/api/v1/topics?limit=2").json()
    last = anon_client.get("/api/v1/topics?limit=2&offset=4").json()
    beyond = anon_client.get("/api/v1/topics?limit=2&offset=10").json()

    assert (middle["count"], middle["limit"], middle["offset"]) == (5, 2, 2)
    assert [item["slug"] for item in middle["items"]] == ["thema-2", "thema-3"]
    assert middle["next"] == "http://testserver/api/v1/topics?limit=2&offset=4"
    assert middle["previous"] == "http://testserver/api/v1/topics?limit=2&offset=0"
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/topics?limit=2&offset=2"
    assert [item["slug"] for item in last["items"]] == ["thema-4"]
    assert last["next"] is None
    assert (beyond["count"], beyond["items"]) == (5, [])


def test_whitelisted_ordering_sorts_both_ways(anon_client):
    MunicipalityFactory(name="Aachen", population=250_000)
    MunicipalityFactory(name="Zell", population=4_000)

    ascending = anon_client.get("/api/v1/municipalities?ordering=population").json()
    descending = anon_client.get("/api/v1/municipalities?ordering=-population").json()

    assert [item["name"] for item in ascending["items"]] == ["Zell", "Aachen"]
    assert [item["name"] for item in descending["items"]] == ["Aachen", "Zell"]


@pytest.mark.parametrize(
    "query",
    [
        "ordering=password",
        "ordering=-id",
        "ordering=name;drop",
        "limit=101",
        "limit=0",
        "limit=zwanzig",
        "offset=-1",
    ],
)
def test_ordering_outside_the_whitelist_and_bad_pages_are_refused(anon_client, query):
    response = anon_client.get(f"/api/v1/municipalities?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Invalid input"
    assert [error["field"] for error in response.json()["errors"]] == [query.split("=")[0]]


# --- Rate limits ----------------------------------------------------------------------------


def test_too_many_calls_from_one_address_get_429_with_retry_after(settings, anon_client):
    settings.API_RATE_PER_ADDRESS = "3/m"

    statuses = [anon_client.get("/api/v1/topics").status_code for _call in range(3)]
    refused = anon_client.get("/api/v1/topics", HTTP_ACCEPT_LANGUAGE="en")
    elsewhere = anon_client.get("/api/v1/topics", REMOTE_ADDR="192.0.2.7")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["title"] == "Too many requests"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert elsewhere.status_code == 200


def test_a_forged_forwarded_header_does_not_escape_the_address_limit(settings, anon_client):
    # No proxy is trusted (the default), so X-Forwarded-For is the client's own claim.
    assert settings.TRUSTED_PROXY_COUNT == 0
    settings.API_RATE_PER_ADDRESS = "3/m"

    statuses = [
        anon_client.get("/api/v1/topics", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


def test_each_token_has_its_own_limit_whatever_the_address(settings, anon_client):
    settings.API_RATE_PER_USER = "2/m"
    member = MemberFactory()
    _token, busy = token_create(user=member, name="Viel", scope="read", days=30)
    _token, calm = token_create(user=member, name="Wenig", scope="read", days=30)

    statuses = [
        anon_client.get("/api/v1/topics", REMOTE_ADDR=f"192.0.2.{n}", **_bearer(busy)).status_code
        for n in range(3)
    ]
    other_token = anon_client.get("/api/v1/topics", **_bearer(calm))
    anonymous = anon_client.get("/api/v1/topics")

    assert statuses == [200, 200, 429]
    assert other_token.status_code == 200
    assert anonymous.status_code == 200


def test_a_signed_in_session_has_its_own_limit(settings, member):
    settings.API_RATE_PER_USER = "2/m"

    client = login_client(member)
    statuses = [client.get("/api/v1/topics").status_code for _call in range(3)]

    assert statuses == [200, 200, 429]


# --- Request bodies ------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings, anon_client):
    member = MemberFactory()
    _token, plain = token_create(user=member, name="Schreiben", scope="write", days=30)
    body = json.dumps({"title": "x" * (settings.API_MAX_BODY_BYTES + 1)})

    response = anon_client.post(
        "/api/v1/ideas",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **_bearer(plain),
    )

    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Anfrage zu groß"
    assert response.json()["detail"] == "Der Inhalt der Anfrage ist zu groß."


def test_malformed_json_is_refused_as_a_problem(anon_client):
    member = MemberFactory()
    _token, plain = token_create(user=member, name="Schreiben", scope="write", days=30)

    response = anon_client.post(
        "/api/v1/ideas",
        '{"title": "Ohne Ende',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_bearer(plain),
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Bad request"
    assert response.json()["detail"] == "The request could not be read."


# --- Schema and reference -------------------------------------------------------------------


def test_the_openapi_schema_describes_every_operation(anon_client):
    response = anon_client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/topics", "/api/v1/topics/{slug}", "/api/v1/municipalities"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
    }


def _operations() -> list[tuple[str, str, dict[str, object]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, details)
        for path, methods in schema["paths"].items()
        for method, details in methods.items()
    ]


def test_the_reference_shows_every_operation(anon_client):
    response = anon_client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    page = response.content.decode()
    operations = _operations()
    assert len(operations) >= 4
    for method, path, _details in operations:
        words = re.sub(r"[^a-z0-9]+", "-", path.lower().removeprefix("/api/v1")).strip("-")
        anchor = f'id="{method}-{words}"'
        assert page.count(anchor) == 1, anchor
        assert f'<code class="api-op__path">{path}</code>' in page
    assert 'href="/api/v1/openapi.json"' in page
    assert 'href="/konto/api-tokens/"' in page
    for heading in ("Anmeldung", "Berechtigungen", "Grenzen für Aufrufe", "Seiten einer Liste"):
        assert heading in page
    for fact in ("Retry-After", "If-None-Match", "application/problem+json", "Bearer ic_"):
        assert fact in page


def test_the_reference_says_who_may_call_each_operation(anon_client):
    page = anon_client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    def section(anchor: str) -> str:
        start = page.index(f'id="{anchor}"')
        return page[start : page.index("</article>", start)]

    assert "Anyone, without signing in." in section("get-topics")
    assert "An API token with the scope “read and write”" in section("post-ideas")
    municipalities = section("get-municipalities")
    assert "<code>ordering</code>" in municipalities
    assert '<code class="api-value">-population</code>' in municipalities  # allowed values
    assert "from 1 to 100" in municipalities  # the limit's bounds


def test_the_reference_lists_the_fields_of_request_bodies_and_answers(anon_client):
    page = anon_client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'href="#typ-topicout"' in page
    types = page[page.index('id="datentypen"') :]
    assert 'id="typ-topicout"' in types
    assert 'id="typ-problem"' in types
    submit = page[page.index('id="post-ideas"') :]
    submit = submit[: submit.index("</article>")]
    assert "Request body" in submit
    assert "<code>title</code>" in submit


def test_the_reference_is_in_english_for_english_readers(anon_client):
    page = anon_client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in page
    assert "Rate limits" in page
    assert "Grenzen für Aufrufe" not in page


def test_german_text_is_sent_as_it_is_not_escaped(anon_client):
    TopicFactory(name="Bürgerbeteiligung", slug="buergerbeteiligung")

    response = anon_client.get("/api/v1/topics/buergerbeteiligung")

    assert "Bürgerbeteiligung" in response.content.decode()
    assert response.json()["name"] == "Bürgerbeteiligung"


def test_a_wrong_method_is_a_problem_that_names_the_allowed_ones(anon_client):
    response = anon_client.post("/api/v1/topics", "{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET"


def test_with_redis_the_limit_holds_for_every_worker(settings, anon_client):
    """With REDIS_URL the counters live in Redis, so a second worker process
    (here: a second cache client of its own) sees the calls the first counted."""
    prefix = f"test-{uuid.uuid4().hex}"
    location = "redis://127.0.0.1:6379/15"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    settings.API_RATE_PER_ADDRESS = "3/m"

    statuses = [anon_client.get("/api/v1/topics").status_code for _call in range(4)]
    other_worker = RedisCache(location, {"KEY_PREFIX": prefix})
    history = other_worker.get("throttle_api_address_127.0.0.1")
    other_worker.delete("throttle_api_address_127.0.0.1")

    assert statuses == [200, 200, 200, 429]
    assert len(history) == 3
