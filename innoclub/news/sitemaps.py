"""The sitemap of public pages (/sitemap.xml).

Django's sitemaps take the domain from django.contrib.sites or, without it,
from the request's Host header. We use neither: every address is built from
SITE_URL, like the feed and e-mailed links.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from innoclub.accounts.models import Role
from innoclub.network.models import Municipality, Topic
from innoclub.news.models import Article, Publication


class _SiteUrlSitemap(Sitemap[Any]):
    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(_SiteUrlSitemap):
    def items(self) -> list[str]:
        return [
            "core:home",
            "news:list",
            "news:publications",
            "network:topics",
            "network:municipalities",
            "core:impressum",
            "core:datenschutz",
            "core:barrierefreiheit",
            "core:kontakt",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(_SiteUrlSitemap):
    def items(self) -> QuerySet[Article]:
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def location(self, item: Article) -> str:
        return reverse("news:detail", args=[item.slug])

    def lastmod(self, item: Article) -> datetime.datetime:
        return item.updated_at


class PublicationSitemap(_SiteUrlSitemap):
    def items(self) -> QuerySet[Publication]:
        return Publication.objects.only("slug").order_by("-year", "title")

    def location(self, item: Publication) -> str:
        return reverse("news:publication", args=[item.slug])


class TopicSitemap(_SiteUrlSitemap):
    def items(self) -> QuerySet[Topic]:
        return Topic.objects.only("slug").order_by("name")

    def location(self, item: Topic) -> str:
        return reverse("network:topic", args=[item.slug])


class MunicipalitySitemap(_SiteUrlSitemap):
    """Municipalities with at least one active member: the others' pages say nothing."""

    def items(self) -> QuerySet[Municipality]:
        return (
            Municipality.objects.filter(users__role=Role.MEMBER, users__is_active=True)
            .only("ags")
            .distinct()
            .order_by("ags")
        )

    def location(self, item: Municipality) -> str:
        return reverse("network:municipality", args=[item.ags])


SITEMAPS: dict[str, Sitemap[Any] | type[Sitemap[Any]]] = {
    "seiten": PageSitemap(),
    "aktuelles": ArticleSitemap(),
    "publikationen": PublicationSitemap(),
    "themen": TopicSitemap(),
    "kommunen": MunicipalitySitemap(),
}
