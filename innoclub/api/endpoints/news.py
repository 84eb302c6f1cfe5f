"""News articles and publications: the public site's Aktuelles and Publikationen.

The same rules as the web pages: lists hold published articles only
(``ArticleQuerySet.published()``, the one public filter), a single article
comes from ``selectors.article_for_viewer`` (the office also sees drafts and
scheduled articles, as a preview), publications are public.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from ninja import Query, Router, Schema
from pydantic import Field

from innoclub.api.auth import PUBLIC
from innoclub.api.common import Page, PageParams, ordered, page_of, responses
from innoclub.api.refs import SLUG, Slug, TopicRef, topic_ref
from innoclub.core.markdown import render_markdown
from innoclub.network.models import Topic
from innoclub.news import selectors
from innoclub.news.models import Article, ArticleState, Publication, PublicationKind

router = Router(tags=["Aktuelles"])

# --- Articles -----------------------------------------------------------------


class ArticleOut(Schema):
    slug: str
    title: str
    teaser: str
    published_at: datetime.datetime | None = Field(
        description="Publication time; null for a draft (only the club office sees drafts)"
    )
    author: str = Field(description="Name of the author, or empty")
    topics: list[TopicRef]
    image_url: str | None = Field(description="Address of the article's image, if it has one")
    image_alt: str = Field(description="Alternative text of the image")
    url: str


class PublicationRef(Schema):
    slug: str
    title: str
    year: int
    url: str


class ArticleDetailOut(ArticleOut):
    state: ArticleState = Field(description="Always published, except in the club office's preview")
    body: str = Field(description="The text as Markdown")
    body_html: str = Field(description="The text as sanitised HTML, as the web page shows it")
    publications: list[PublicationRef]


class ArticleFilter(Schema):
    topic: str = Field("", max_length=80, pattern=SLUG, description="Slug of a topic")
    year: int | None = Field(None, ge=1900, le=2200, description="Year of publication")
    ordering: Literal["-published_at", "published_at", "title", "-title"] = "-published_at"


def _article_fields(article: Article) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "title": article.title,
        "teaser": article.teaser,
        "published_at": article.published_at,
        "author": article.author.get_full_name() if article.author else "",
        "topics": [topic_ref(topic) for topic in article.topics.all()],
        "image_url": reverse("news:image", args=[article.slug]) if article.image else None,
        "image_alt": article.image_alt if article.image else "",
        "url": reverse("news:detail", args=[article.slug]),
    }


def _publication_ref(publication: Publication) -> PublicationRef:
    return PublicationRef(
        slug=publication.slug,
        title=publication.title,
        year=publication.year,
        url=reverse("news:publication", args=[publication.slug]),
    )


@router.get("/news", auth=PUBLIC, response=responses(Page[ArticleOut]), summary="News")
def articles(
    request: HttpRequest, filters: Query[ArticleFilter], page: Query[PageParams]
) -> dict[str, object]:
    """Published articles only, for everyone (the office too, as on /aktuelles/)."""
    queryset = (
        Article.objects.published()
        .select_related("author")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )
    if filters.topic:
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.year is not None:
        # The year in the site's time zone: a New Year's Eve article stays in its year.
        queryset = queryset.filter(published_at__year=filters.year)
    fields = {"published_at": "published_at", "title": "title"}
    return page_of(
        request,
        ordered(queryset, filters.ordering, fields),
        page,
        lambda article: ArticleOut(**_article_fields(article)),
    )


@router.get(
    "/news/{slug}", auth=PUBLIC, response=responses(ArticleDetailOut), summary="One article"
)
def article(request: HttpRequest, slug: Slug, response: HttpResponse) -> ArticleDetailOut:
    found = selectors.article_for_viewer(viewer=request.user, slug=slug)
    state = found.state
    if state is not ArticleState.PUBLISHED:
        # A preview is for the office only: never kept by a cache.
        patch_cache_control(response, private=True, no_store=True)
    return ArticleDetailOut(
        **_article_fields(found),
        state=state,
        body=found.body,
        body_html=str(render_markdown(found.body)),
        publications=[_publication_ref(publication) for publication in found.publications.all()],
    )


# --- Publications ---------------------------------------------------------------


class PublicationOut(Schema):
    slug: str
    kind: PublicationKind
    kind_label: str
    title: str
    authors: str
    year: int
    container_title: str = Field(description="For a chapter: the title of the anthology")
    publisher: str
    abstract: str
    topics: list[TopicRef]
    link: str | None = Field(description="Where the publication can be read or bought elsewhere")
    download_url: str | None = Field(description="Address of the PDF, if the club offers one")
    cover_url: str | None
    cover_alt: str
    url: str


class ArticleRef(Schema):
    slug: str
    title: str
    published_at: datetime.datetime | None
    url: str


class PublicationDetailOut(PublicationOut):
    articles: list[ArticleRef] = Field(description="Published news articles about it")


class PublicationFilter(Schema):
    topic: str = Field("", max_length=80, pattern=SLUG, description="Slug of a topic")
    year: int | None = Field(None, ge=1900, le=2200, description="Year of publication")
    kind: PublicationKind | None = None
    ordering: Literal["-year", "year", "title", "-title"] = "-year"


def _publication_fields(publication: Publication) -> dict[str, Any]:
    slug = publication.slug
    return {
        "slug": slug,
        "kind": publication.kind,
        "kind_label": str(publication.get_kind_display()),
        "title": publication.title,
        "authors": publication.authors,
        "year": publication.year,
        "container_title": publication.container_title,
        "publisher": publication.publisher,
        "abstract": publication.abstract,
        "topics": [topic_ref(topic) for topic in publication.topics.all()],
        "link": publication.link or None,
        "download_url": reverse("news:publication_file", args=[slug]) if publication.file else None,
        "cover_url": reverse("news:publication_cover", args=[slug]) if publication.cover else None,
        "cover_alt": publication.cover_alt if publication.cover else "",
        "url": reverse("news:publication", args=[slug]),
    }


@router.get(
    "/publications",
    auth=PUBLIC,
    response=responses(Page[PublicationOut]),
    summary="Publications",
)
def publications(
    request: HttpRequest, filters: Query[PublicationFilter], page: Query[PageParams]
) -> dict[str, object]:
    queryset: QuerySet[Publication] = selectors.publication_list()
    if filters.topic:
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    fields = {"year": "year", "title": "title"}
    return page_of(
        request,
        ordered(queryset, filters.ordering, fields),
        page,
        lambda publication: PublicationOut(**_publication_fields(publication)),
    )


@router.get(
    "/publications/{slug}",
    auth=PUBLIC,
    response=responses(PublicationDetailOut),
    summary="One publication",
)
def publication(request: HttpRequest, slug: Slug) -> PublicationDetailOut:
    found = selectors.publication_get(slug=slug)
    return PublicationDetailOut(
        **_publication_fields(found),
        articles=[
            ArticleRef(
                slug=item.slug,
                title=item.title,
                published_at=item.published_at,
                url=reverse("news:detail", args=[item.slug]),
            )
            for item in found.articles.all()
        ],
    )
