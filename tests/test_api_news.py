"""API: news articles and publications, with the public site's rules."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from innoclub.api.tokens import token_create
from tests.conftest import login_client
from tests.factories import ArticleFactory, PublicationFactory, StaffFactory, TopicFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM = "application/problem+json"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAS = ["anonymous", "guest", "member", "staff"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def bearer(user, scope: str = "read") -> dict[str, str]:
    _token, plain = token_create(user=user, name="t", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def caller(request):
    """A client and headers for a persona, by token (the browser session is tested too)."""

    def make(persona: str) -> tuple[Client, dict[str, str]]:
        if persona == "anonymous":
            return Client(), {}
        return Client(), bearer(request.getfixturevalue(persona))

    return make


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def problem_fields(response) -> list[str]:
    assert response["Content-Type"] == PROBLEM
    return [error["field"] for error in response.json()["errors"]]


@pytest.fixture
def articles():
    now = timezone.now()
    return {
        "published": ArticleFactory(slug="erschienen"),
        "just_now": ArticleFactory(slug="eben", published_at=now - datetime.timedelta(seconds=5)),
        "draft": ArticleFactory(slug="entwurf", published_at=None),
        "scheduled": ArticleFactory(
            slug="geplant", published_at=now + datetime.timedelta(minutes=1)
        ),
    }


# --- Articles -------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_news_list_holds_published_articles_only_for_everyone(caller, articles, persona):
    client, headers = caller(persona)

    response = client.get(f"{API}/news", **headers)

    assert slugs(response) == ["eben", "erschienen"]
    assert response.json()["count"] == 2


def test_the_office_session_sees_the_same_list_as_the_public_site(staff, articles):
    client = login_client(staff)

    response = client.get(f"{API}/news")

    site = client.get("/aktuelles/").context["page"].object_list
    assert slugs(response) == [article.slug for article in site] == ["eben", "erschienen"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("which", ["published", "draft", "scheduled"])
def test_an_article_opens_for_exactly_whom_its_web_page_opens(
    request, caller, articles, persona, which
):
    client, headers = caller(persona)
    site = Client() if persona == "anonymous" else login_client(request.getfixturevalue(persona))
    slug = articles[which].slug

    response = client.get(f"{API}/news/{slug}", **headers)

    assert response.status_code == site.get(f"/aktuelles/{slug}/").status_code
    if persona != "staff" and which != "published":
        assert response.json() == client.get(f"{API}/news/gibt-es-nicht", **headers).json()


def test_the_office_previews_drafts_which_no_cache_keeps(staff, articles):
    response = Client().get(f"{API}/news/geplant", **bearer(staff))
    published = Client().get(f"{API}/news/erschienen", **bearer(staff))

    assert response.json()["state"] == "scheduled"
    assert "no-store" in response["Cache-Control"]
    assert published.json()["state"] == "published"
    assert "no-store" not in published.get("Cache-Control", "")


def test_an_article_with_its_topics_publications_and_sanitised_text(anon_client):
    topic = TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    article = ArticleFactory(
        slug="werkstattbericht",
        title="Werkstattbericht erschienen",
        body="Ein **Bericht**.\n\n<script>alert(1)</script>",
        author=StaffFactory(first_name="Katrin", last_name="Albers"),
        image="aktuelles/bild.jpg",
        image_alt="Das Buch auf einem Tisch",
        published_at=datetime.datetime(2024, 5, 2, 10, 0, tzinfo=BERLIN),
    )
    article.topics.add(topic)
    PublicationFactory(slug="kommunale-innovationen", title="Kommunale Innovationen", year=2024)
    article.publications.add(PublicationFactory(slug="buch", title="Das Buch", year=2024))

    body = anon_client.get(f"{API}/news/werkstattbericht").json()

    assert body == {
        "slug": "werkstattbericht",
        "title": "Werkstattbericht erschienen",
        "teaser": "Ein kurzer Anreißer zur Meldung.",
        "published_at": "2024-05-02T08:00:00Z",
        "author": "Katrin Albers",
        "topics": [
            {
                "slug": "digitale-verwaltung",
                "name": "Digitale Verwaltung",
                "url": "/themen/digitale-verwaltung/",
            }
        ],
        "image_url": "/aktuelles/werkstattbericht/bild/",
        "image_alt": "Das Buch auf einem Tisch",
        "url": "/aktuelles/werkstattbericht/",
        "state": "published",
        "body": "Ein **Bericht**.\n\n<script>alert(1)</script>",
        "body_html": "<p>Ein <strong>Bericht</strong>.</p>\n",
        "publications": [
            {"slug": "buch", "title": "Das Buch", "year": 2024, "url": "/publikationen/buch/"}
        ],
    }


def test_news_filter_by_topic(anon_client):
    topic = TopicFactory(slug="mobilitaet")
    ArticleFactory(slug="ohne-thema")
    ArticleFactory(slug="mit-thema").topics.add(topic)
    ArticleFactory(slug="entwurf-mit-thema", published_at=None).topics.add(topic)

    assert slugs(anon_client.get(f"{API}/news?topic=mobilitaet")) == ["mit-thema"]
    assert slugs(anon_client.get(f"{API}/news?topic=unbekannt")) == []


def test_news_filter_by_year_follows_german_time(anon_client):
    """New Year's Eve, 23:30 in Berlin, is still the old year (22:30 UTC)."""
    ArticleFactory(
        slug="silvester", published_at=datetime.datetime(2023, 12, 31, 23, 30, tzinfo=BERLIN)
    )
    ArticleFactory(slug="neujahr", published_at=datetime.datetime(2024, 1, 1, 0, 30, tzinfo=BERLIN))

    assert slugs(anon_client.get(f"{API}/news?year=2023")) == ["silvester"]
    assert slugs(anon_client.get(f"{API}/news?year=2024")) == ["neujahr"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-published_at", ["b", "c", "a"]),
        ("published_at", ["a", "c", "b"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
    ],
)
def test_news_ordering(anon_client, ordering, expected):
    now = timezone.now()
    for slug, days in (("a", 3), ("b", 1), ("c", 2)):
        ArticleFactory(
            slug=slug, title=f"Meldung {slug}", published_at=now - datetime.timedelta(days=days)
        )

    assert slugs(anon_client.get(f"{API}/news?ordering={ordering}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ordering=author", "ordering"),
        ("ordering=created_at", "ordering"),
        ("year=zweitausend", "year"),
        ("year=1800", "year"),
        ("topic=" + "x" * 81, "topic"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("offset=-5", "offset"),
    ],
)
def test_bad_news_filters_are_refused_with_a_problem(anon_client, query, field):
    response = anon_client.get(f"{API}/news?{query}")

    assert response.status_code == 422
    assert problem_fields(response) == [field]


@pytest.mark.parametrize("count", [1, 6])
def test_news_list_query_budget(anon_client, django_assert_num_queries, count):
    topics = TopicFactory.create_batch(2)
    for article in ArticleFactory.create_batch(count):
        article.topics.add(*topics)

    with django_assert_num_queries(3):  # count, page with authors, topics
        response = anon_client.get(f"{API}/news")

    assert [len(item["topics"]) for item in response.json()["items"]] == [2] * count


@pytest.mark.parametrize("count", [1, 4])
def test_article_query_budget(anon_client, django_assert_num_queries, count):
    article = ArticleFactory(slug="meldung")
    article.topics.add(*TopicFactory.create_batch(count))
    article.publications.add(*PublicationFactory.create_batch(count))

    with django_assert_num_queries(3):  # article with author, topics, publications
        response = anon_client.get(f"{API}/news/meldung")

    assert len(response.json()["publications"]) == count


# --- Publications -----------------------------------------------------------------


@pytest.fixture
def shelf():
    topic = TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    book = PublicationFactory(
        slug="kommunale-innovationen",
        kind="book",
        title="Kommunale Innovationen",
        year=2022,
        container_title="",
        publisher="Springer",
        link="https://example.org/buch",
    )
    book.topics.add(topic)
    report = PublicationFactory(slug="leitfaden", kind="report", title="Leitfaden", year=2024)
    report.file.save("x.pdf", ContentFile(PDF))
    chapter = PublicationFactory(slug="kapitel", title="Ein Kapitel", year=2024)
    return {"book": book, "report": report, "chapter": chapter, "topic": topic}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_publication_is_public_newest_year_first(caller, shelf, persona):
    client, headers = caller(persona)

    response = client.get(f"{API}/publications", **headers)

    # Within a year the newer entry comes first (the ordering's tie-break is the id).
    assert slugs(response) == ["kapitel", "leitfaden", "kommunale-innovationen"]


def test_a_publication_offers_its_pdf_download_where_the_site_does(anon_client, shelf):
    items = {item["slug"]: item for item in anon_client.get(f"{API}/publications").json()["items"]}

    assert items["leitfaden"]["download_url"] == "/publikationen/leitfaden/datei/"
    assert items["kommunale-innovationen"]["download_url"] is None
    download = anon_client.get(items["leitfaden"]["download_url"])
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert b"".join(download.streaming_content) == PDF


def test_one_publication_with_its_published_articles_only(anon_client, shelf):
    book = shelf["book"]
    book.articles.add(
        ArticleFactory(slug="erschienen", title="Buch erschienen"),
        ArticleFactory(slug="entwurf", published_at=None),
        ArticleFactory(slug="geplant", published_at=timezone.now() + datetime.timedelta(hours=1)),
    )

    body = anon_client.get(f"{API}/publications/kommunale-innovationen").json()

    assert [article["slug"] for article in body.pop("articles")] == ["erschienen"]
    assert body == {
        "slug": "kommunale-innovationen",
        "kind": "book",
        "kind_label": "Buch",
        "title": "Kommunale Innovationen",
        "authors": "Alexander Handschuh",
        "year": 2022,
        "container_title": "",
        "publisher": "Springer",
        "abstract": "Ein Werkstattbericht.",
        "topics": [
            {
                "slug": "digitale-verwaltung",
                "name": "Digitale Verwaltung",
                "url": "/themen/digitale-verwaltung/",
            }
        ],
        "link": "https://example.org/buch",
        "download_url": None,
        "cover_url": None,
        "cover_alt": "",
        "url": "/publikationen/kommunale-innovationen/",
    }


def test_an_unknown_publication_is_a_problem(anon_client):
    response = anon_client.get(f"{API}/publications/gibt-es-nicht")

    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)


@pytest.mark.parametrize("path", ["/news/%C3%A4rger", "/publications/%C3%A4rger"])
def test_a_malformed_slug_is_refused_not_looked_up(anon_client, path):
    response = anon_client.get(f"{API}{path}")

    assert response.status_code == 422
    assert problem_fields(response) == ["slug"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=report", ["leitfaden"]),
        ("year=2022", ["kommunale-innovationen"]),
        ("topic=digitale-verwaltung", ["kommunale-innovationen"]),
        ("ordering=title", ["kapitel", "kommunale-innovationen", "leitfaden"]),
        ("ordering=year", ["kommunale-innovationen", "leitfaden", "kapitel"]),
    ],
)
def test_publication_filters_and_ordering(anon_client, shelf, query, expected):
    assert slugs(anon_client.get(f"{API}/publications?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=roman", "kind"),
        ("ordering=authors", "ordering"),
        ("year=2300", "year"),
        ("year=", "year"),
        ("limit=101", "limit"),
    ],
)
def test_bad_publication_filters_are_refused_with_a_problem(anon_client, query, field):
    response = anon_client.get(f"{API}/publications?{query}")

    assert response.status_code == 422
    assert problem_fields(response) == [field]


@pytest.mark.parametrize("count", [1, 6])
def test_publication_list_query_budget(anon_client, django_assert_num_queries, count):
    topics = TopicFactory.create_batch(2)
    for publication in PublicationFactory.create_batch(count):
        publication.topics.add(*topics)

    with django_assert_num_queries(3):  # count, page, topics
        response = anon_client.get(f"{API}/publications")

    assert [len(item["topics"]) for item in response.json()["items"]] == [2] * count


@pytest.mark.parametrize("count", [1, 4])
def test_publication_query_budget(anon_client, django_assert_num_queries, count):
    publication = PublicationFactory(slug="buch")
    publication.topics.add(*TopicFactory.create_batch(count))
    publication.articles.add(*ArticleFactory.create_batch(count))

    with django_assert_num_queries(3):  # publication, topics, published articles
        response = anon_client.get(f"{API}/publications/buch")

    assert len(response.json()["articles"]) == count
