"""Reads of news and publications, filtered by who is looking."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from innoclub.core.access import AnyUser, is_staff
from innoclub.network.models import Topic
from innoclub.news.models import Article, Publication

ARTICLE_PAGE_SIZE = 10
FEED_SIZE = 20


@dataclass(frozen=True)
class ArticleFilters:
    topic: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: dict[str, str]) -> ArticleFilters:
        try:
            page = max(int(query.get("seite", "1")), 1)
        except ValueError:
            page = 1
        return cls(topic=query.get("thema", "").strip()[:80], page=page)


def _published_articles() -> QuerySet[Article]:
    return Article.objects.published().order_by("-published_at", "-pk")


def article_list(*, filters: ArticleFilters) -> Page[Article]:
    """Published articles, newest first, optionally of one topic, one page of them."""
    articles = _published_articles().prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )
    if filters.topic:
        articles = articles.filter(topics__slug=filters.topic)
    return Paginator(articles, ARTICLE_PAGE_SIZE).get_page(filters.page)


def article_topics() -> list[Topic]:
    """Topics that published articles are about, for the list's filter."""
    return list(
        Topic.objects.filter(articles__in=_published_articles()).distinct().order_by("name")
    )


def article_latest(*, limit: int = 3) -> list[Article]:
    """The newest published articles, for the start page (one query, no relations)."""
    return list(_published_articles()[:limit])


def article_feed_items() -> list[Article]:
    """The newest published articles with author and topics, for the Atom feed."""
    return list(
        _published_articles()
        .select_related("author")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))[:FEED_SIZE]
    )


def article_for_viewer(*, viewer: AnyUser, slug: str) -> Article:
    """One article with its topics and published publications.

    Drafts and scheduled articles exist only for the office (as a preview);
    everyone else gets the same 404 as for an address that never existed.
    """
    articles = Article.objects.all() if is_staff(viewer) else _published_articles()
    article = (
        articles.select_related("author")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("publications", queryset=Publication.objects.order_by("-year", "title")),
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404
    return article


def article_office_list() -> QuerySet[Article]:
    """Every article for the office: drafts first, then by date."""
    return Article.objects.select_related("author").order_by(
        F("published_at").desc(nulls_first=True), "-created_at"
    )


def article_office_get(*, pk: int) -> Article:
    article = Article.objects.prefetch_related("topics").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def publication_list() -> QuerySet[Publication]:
    return Publication.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    ).order_by("-year", "title")


def publication_get(*, slug: str) -> Publication:
    """A publication with its topics and the published articles about it."""
    publication = (
        Publication.objects.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("articles", queryset=_published_articles()),
        )
        .filter(slug=slug)
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def publication_files_get(*, slug: str) -> Publication:
    """A publication for serving its PDF or cover: one query, no relations."""
    publication = Publication.objects.filter(slug=slug).only("slug", "file", "cover").first()
    if publication is None:
        raise Http404
    return publication


def publication_count() -> int:
    return Publication.objects.count()


def article_latest_for_topic(*, topic: Topic, limit: int = 5) -> list[Article]:
    """The newest published articles about a topic, for its topic page (one query)."""
    return list(_published_articles().filter(topics=topic)[:limit])
