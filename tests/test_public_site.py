"""The public face: start page, sharing and findability (sitemap, robots.txt, metadata)."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from innoclub.accounts.models import Role
from tests.factories import (
    ArticleFactory,
    MemberFactory,
    MunicipalityFactory,
    PublicationFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://innoclub.example"
    settings.ALLOWED_HOSTS = ["innoclub.example", "testserver", "evil.example"]


# --- Start page ---------------------------------------------------------------


def test_start_page_figures_come_from_the_data(anon_client):
    town = MunicipalityFactory()
    MemberFactory.create_batch(3, municipality=town)
    MemberFactory(is_active=False)
    UserFactory(role=Role.GUEST)
    PublicationFactory.create_batch(2)

    response = anon_client.get("/")

    assert response.context["figures"] == {"members": 3, "municipalities": 1}
    assert response.context["publication_count"] == 2
    numbers = re.findall(r'<span class="figures__number">(\d+)</span>', response.content.decode())
    assert numbers == ["3", "1", "2"]


def test_start_page_shows_the_three_newest_published_articles(anon_client):
    now = timezone.now()
    for days in (5, 4, 3, 2, 1):
        ArticleFactory(title=f"Vor {days} Tagen", published_at=now - datetime.timedelta(days=days))
    ArticleFactory(title="Entwurf", published_at=None)
    ArticleFactory(title="Morgen", published_at=now + datetime.timedelta(days=1))

    response = anon_client.get("/")

    assert [a.title for a in response.context["latest_news"]] == [
        "Vor 1 Tagen",
        "Vor 2 Tagen",
        "Vor 3 Tagen",
    ]
    assert 'href="/aktuelles/"' in response.content.decode()


def test_start_page_without_news_has_no_news_section(anon_client):
    assert 'id="news-title"' not in anon_client.get("/").content.decode()


def test_anonymous_start_page_with_news_sets_no_cookie(anon_client):
    ArticleFactory.create_batch(3)

    response = anon_client.get("/")

    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


# --- Sharing: canonical address and Open Graph -----------------------------------


def test_an_article_carries_canonical_and_open_graph_tags(anon_client):
    article = ArticleFactory(slug="meldung", title="Meldung & mehr", teaser="Kurz gesagt.")
    article.image = "aktuelles/bild.jpg"
    article.image_alt = "Ein Bild"
    article.save()

    html = anon_client.get(
        "/aktuelles/meldung/?utm_source=x", HTTP_HOST="evil.example"
    ).content.decode()

    assert '<link rel="canonical" href="https://innoclub.example/aktuelles/meldung/">' in html
    assert '<meta property="og:url" content="https://innoclub.example/aktuelles/meldung/">' in html
    assert '<meta property="og:title" content="Meldung &amp; mehr">' in html
    assert '<meta property="og:description" content="Kurz gesagt.">' in html
    assert '<meta name="description" content="Kurz gesagt.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        '<meta property="og:image" content="https://innoclub.example/aktuelles/meldung/bild/">'
        in html
    )
    assert "evil.example" not in html


def test_the_canonical_address_keeps_only_the_page_number(anon_client):
    ArticleFactory.create_batch(11)

    second = anon_client.get("/aktuelles/?seite=2&thema=x&utm=y").content.decode()
    first = anon_client.get("/aktuelles/?seite=1").content.decode()

    assert '<link rel="canonical" href="https://innoclub.example/aktuelles/?seite=2">' in second
    assert '<link rel="canonical" href="https://innoclub.example/aktuelles/">' in first


@pytest.mark.parametrize("url", ["/", "/aktuelles/", "/publikationen/", "/impressum/", "/themen/"])
def test_every_public_page_has_a_title_description_and_open_graph(anon_client, url):
    html = anon_client.get(url).content.decode()

    assert "<title>" in html and "</title>" in html
    assert '<meta name="description" content="' in html
    assert f'<link rel="canonical" href="https://innoclub.example{url}">' in html
    for prop in ("og:title", "og:description", "og:type", "og:url"):
        assert f'<meta property="{prop}" content="' in html


# --- robots.txt and sitemap.xml ------------------------------------------------------


def test_robots_txt_keeps_members_areas_out_and_names_the_sitemap(anon_client):
    response = anon_client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    for path in ("/mitglieder/", "/konto/", "/geschaeftsstelle/", "/admin/", "/einladung/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: https://innoclub.example/sitemap.xml" in lines


def test_the_sitemap_lists_public_pages_from_site_url(anon_client):
    topic = TopicFactory(slug="klimaschutz")
    with_member = MunicipalityFactory(ags="06411000")
    MemberFactory(municipality=with_member)
    MunicipalityFactory(ags="06412000")  # no members: not listed
    ArticleFactory(slug="oeffentlich")
    ArticleFactory(slug="entwurf", published_at=None)
    ArticleFactory(slug="geplant", published_at=timezone.now() + datetime.timedelta(days=1))
    PublicationFactory(slug="werkstattbericht")

    response = anon_client.get("/sitemap.xml", HTTP_HOST="evil.example")
    locations = {
        loc.text
        for loc in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)  # noqa: S314 - our own response
    }

    base = "https://innoclub.example"
    assert response.status_code == 200
    assert {
        f"{base}/",
        f"{base}/aktuelles/",
        f"{base}/publikationen/",
        f"{base}/impressum/",
        f"{base}/datenschutz/",
        f"{base}/barrierefreiheit/",
        f"{base}/aktuelles/oeffentlich/",
        f"{base}/publikationen/werkstattbericht/",
        f"{base}/themen/{topic.slug}/",
        f"{base}/kommunen/06411000/",
    } <= locations
    assert f"{base}/aktuelles/entwurf/" not in locations
    assert f"{base}/aktuelles/geplant/" not in locations
    assert f"{base}/kommunen/06412000/" not in locations
    assert all(location.startswith(base + "/") for location in locations)
    assert not any("/mitglieder/" in location for location in locations)


# --- Query budgets ----------------------------------------------------------------------


@pytest.mark.parametrize("items", [1, 12])
def test_news_list_query_budget(anon_client, django_assert_max_num_queries, items):
    topics = TopicFactory.create_batch(3)
    for article in ArticleFactory.create_batch(items):
        article.topics.set(topics)

    # topics for the filter, count, page of articles, their topics
    with django_assert_max_num_queries(4):
        response = anon_client.get("/aktuelles/")

    assert len(response.context["page"].object_list) == min(items, 10)


@pytest.mark.parametrize("items", [1, 5])
def test_article_query_budget(anon_client, django_assert_max_num_queries, items):
    article = ArticleFactory(slug="meldung")
    article.topics.set(TopicFactory.create_batch(items))
    for publication in PublicationFactory.create_batch(items):
        publication.articles.add(article)

    # article with author, topics, publications
    with django_assert_max_num_queries(3):
        anon_client.get("/aktuelles/meldung/")


@pytest.mark.parametrize("items", [1, 5])
def test_article_preview_query_budget(staff_client, django_assert_max_num_queries, items):
    article = ArticleFactory(slug="entwurf", published_at=None)
    article.topics.set(TopicFactory.create_batch(items))
    staff_client.get("/aktuelles/entwurf/")  # the first request of a login stores the session clock

    # session, user, OTP device, article, topics, publications
    with django_assert_max_num_queries(6):
        staff_client.get("/aktuelles/entwurf/")


@pytest.mark.parametrize("items", [1, 5])
def test_publication_pages_query_budget(anon_client, django_assert_max_num_queries, items):
    topics = TopicFactory.create_batch(3)
    for publication in PublicationFactory.create_batch(items):
        publication.topics.set(topics)
        publication.articles.set(ArticleFactory.create_batch(2))
    slug = publication.slug

    with django_assert_max_num_queries(2):
        anon_client.get("/publikationen/")
    with django_assert_max_num_queries(3):
        anon_client.get(f"/publikationen/{slug}/")


@pytest.mark.parametrize("items", [1, 5])
def test_feed_query_budget(anon_client, django_assert_max_num_queries, items):
    topics = TopicFactory.create_batch(2)
    for article in ArticleFactory.create_batch(items):
        article.topics.set(topics)

    with django_assert_max_num_queries(2):
        anon_client.get("/aktuelles/feed/")


@pytest.mark.parametrize("items", [1, 5])
def test_office_news_list_query_budget(staff_client, django_assert_max_num_queries, items):
    ArticleFactory.create_batch(items)
    staff_client.get("/geschaeftsstelle/aktuelles/")

    # session, user, OTP device, articles with authors
    with django_assert_max_num_queries(4):
        response = staff_client.get("/geschaeftsstelle/aktuelles/")

    assert len(response.context["articles"]) == items
