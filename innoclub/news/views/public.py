"""News for everyone: list, article, its image, the Atom feed."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.core.images import image_response
from innoclub.news import selectors
from innoclub.news.feeds import ArticleFeed
from innoclub.news.selectors import ArticleFilters


@access(Rule.PUBLIC)
@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    filters = ArticleFilters.from_query(request.GET.dict())
    topics = selectors.article_topics()
    current_topic = next((t for t in topics if t.slug == filters.topic), None)
    return render(
        request,
        "news/article_list.html",
        {
            "page": selectors.article_list(filters=filters),
            "filters": filters,
            "topics": topics,
            "current_topic": current_topic,
        },
    )


@access(Rule.OBJECT)
@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A published article; for the office also drafts and scheduled ones, as a preview."""
    article = selectors.article_for_viewer(viewer=request.user, slug=slug)
    response = render(
        request,
        "news/article_detail.html",
        {"article": article, "preview": not article.is_published},
    )
    if not article.is_published:
        patch_cache_control(response, private=True, no_store=True)
    return response


@access(Rule.OBJECT)
@require_safe
def article_image(request: HttpRequest, slug: str) -> FileResponse:
    """An article's image, under the same rule as the article (no image of a draft leaks)."""
    article = selectors.article_for_viewer(viewer=request.user, slug=slug)
    if not article.image:
        raise Http404
    return image_response(article.image, public=article.is_published, store=article.is_published)


@access(Rule.PUBLIC)
@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    return ArticleFeed()(request)
