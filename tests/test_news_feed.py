"""The Atom feed of published news, read by a real feed parser."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_feed_is_valid_atom_with_only_published_articles(anon_client, settings):
    settings.SITE_URL = "https://innoclub.example"
    topic = TopicFactory(name="Klimaschutz", slug="klimaschutz")
    old = ArticleFactory(
        title="Ältere Meldung",
        slug="aeltere-meldung",
        published_at=timezone.now() - datetime.timedelta(days=10),
    )
    new = ArticleFactory(title="Neue Meldung & mehr", slug="neue-meldung", teaser="A <b> & B")
    new.topics.add(topic)
    ArticleFactory(title="Entwurf", published_at=None)
    ArticleFactory(title="Geplant", published_at=timezone.now() + datetime.timedelta(days=1))

    response = anon_client.get("/aktuelles/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.link == "https://innoclub.example/aktuelles/"
    assert [entry.title for entry in feed.entries] == ["Neue Meldung & mehr", "Ältere Meldung"]
    first = feed.entries[0]
    assert first.link == "https://innoclub.example/aktuelles/neue-meldung/"
    assert first.summary == "A &lt;b&gt; &amp; B"
    assert [tag.term for tag in first.tags] == ["Klimaschutz"]
    assert first.author == new.author.get_full_name()
    assert feed.entries[1].link == f"https://innoclub.example/aktuelles/{old.slug}/"


def test_the_feed_ignores_the_request_host(anon_client, settings):
    settings.SITE_URL = "https://innoclub.example"
    settings.ALLOWED_HOSTS = ["innoclub.example", "evil.example"]
    ArticleFactory(slug="meldung")

    feed = feedparser.parse(anon_client.get("/aktuelles/feed/", HTTP_HOST="evil.example").content)

    assert feed.entries[0].link == "https://innoclub.example/aktuelles/meldung/"
    assert "evil" not in str(feed)


def test_an_empty_feed_is_still_valid(anon_client):
    feed = feedparser.parse(anon_client.get("/aktuelles/feed/").content)

    assert feed.bozo == 0
    assert feed.entries == []
