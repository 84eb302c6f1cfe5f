"""Municipalities and topics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.events import selectors as event_selectors
from innoclub.ideas import selectors as ideas_selectors
from innoclub.network import selectors
from innoclub.network.models import FederalState, MunicipalityKind
from innoclub.network.selectors import MunicipalityFilters
from innoclub.news import selectors as news_selectors
from innoclub.pilots import chain as pilot_chain


@access(Rule.PUBLIC)
@require_safe
def municipality_list(request: HttpRequest) -> HttpResponse:
    filters = MunicipalityFilters.from_query(request.GET.dict())
    page = selectors.municipality_list(filters=filters)
    return render(
        request,
        "network/municipality_list.html",
        {
            "page": page,
            "filters": filters,
            "states": FederalState.choices,
            "kinds": MunicipalityKind.choices,
        },
    )


@access(Rule.OBJECT)
@require_safe
def municipality_detail(request: HttpRequest, ags: str) -> HttpResponse:
    detail = selectors.municipality_detail(viewer=request.user, ags=ags)
    return render(
        request,
        "network/municipality_detail.html",
        {
            "detail": detail,
            "municipality": detail.municipality,
            "municipality_ideas": ideas_selectors.ideas_of_municipality(
                user=request.user, municipality=detail.municipality
            ),
            "municipality_pilots": pilot_chain.pilots_of_municipality(
                user=request.user, municipality=detail.municipality
            ),
        },
    )


@access(Rule.PUBLIC)
@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/topic_list.html", {"topics": selectors.topic_list()})


@access(Rule.OBJECT)
@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.topic_detail(viewer=request.user, slug=slug)
    articles = news_selectors.article_latest_for_topic(topic=detail.topic)
    forums = event_selectors.events_for_topic(user=request.user, topic_id=detail.topic.pk)
    return render(
        request,
        "network/topic_detail.html",
        {
            "detail": detail,
            "topic": detail.topic,
            "articles": articles,
            "forums": forums,
            "topic_ideas": ideas_selectors.ideas_of_topic(user=request.user, topic=detail.topic),
            "topic_pilots": pilot_chain.pilots_of_topic(user=request.user, topic=detail.topic),
        },
    )
