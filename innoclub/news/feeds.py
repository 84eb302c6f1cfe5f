"""The Atom feed of published news (/aktuelles/feed/)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from innoclub.news import selectors
from innoclub.news.models import Article


def absolute(path: str) -> str:
    """An address on this site from SITE_URL, never from the request's Host header."""
    return settings.SITE_URL.rstrip("/") + path


class ArticleFeed(Feed[Article, None]):
    """Django builds relative links with the request's host; ours are absolute already,
    which its ``add_domain`` leaves as they are."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Innovators Club – News")

    def subtitle(self) -> str:
        return _("News from the Innovators Club, the network of municipal leaders in Germany.")

    def link(self) -> str:
        return absolute(reverse("news:list"))

    def feed_url(self) -> str:
        return absolute(reverse("news:feed"))

    def author_name(self) -> str:
        return _("Innovators Club – club office")

    def items(self) -> list[Article]:
        return selectors.article_feed_items()

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Atom marks the summary as HTML; the teaser is plain text.
        from django.utils.html import escape

        return escape(item.teaser)

    def item_link(self, item: Article) -> str:
        return absolute(reverse("news:detail", args=[item.slug]))

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_author_name(self, item: Article) -> str | None:
        return item.author.get_full_name() if item.author else None

    def item_categories(self, item: Article) -> list[str]:
        return [topic.name for topic in item.topics.all()]
