"""Topics and municipalities (public), the members' directory (members)."""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from innoclub.accounts.models import Role
from innoclub.api.auth import PUBLIC
from innoclub.api.common import Page, PageParams, ordered, page_of, responses
from innoclub.network.models import FederalState, Municipality, MunicipalityKind, Topic

router = Router(tags=["Netzwerk"])


class TopicOut(Schema):
    slug: str
    name: str
    description: str
    is_active: bool
    url: str


def _topic(topic: Topic) -> TopicOut:
    return TopicOut(
        slug=topic.slug,
        name=topic.name,
        description=topic.description,
        is_active=topic.is_active,
        url=f"/themen/{topic.slug}/",
    )


@router.get("/topics", auth=PUBLIC, response=responses(Page[TopicOut]), summary="Topics")
def topics(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    queryset = Topic.objects.order_by("-is_active", "name", "pk")
    return page_of(request, queryset, page, _topic)


@router.get("/topics/{slug}", auth=PUBLIC, response=responses(TopicOut), summary="One topic")
def topic(request: HttpRequest, slug: str) -> TopicOut:
    return _topic(get_object_or_404(Topic, slug=slug))


class MunicipalityOut(Schema):
    ags: str = Field(description="Amtlicher Gemeindeschlüssel")
    name: str
    kind: str
    state: str = Field(description="Bundesland, two-letter code")
    population: int | None
    latitude: float | None
    longitude: float | None
    member_count: int = Field(description="Active members of the network from here")
    url: str


class MunicipalityFilter(Schema):
    q: str = Field("", max_length=100, description="Part of the name, or the start of the AGS")
    state: FederalState | None = None
    kind: MunicipalityKind | None = None
    in_network: bool = Field(False, description="Only municipalities with members")
    ordering: Literal["name", "-name", "population", "-population", "ags", "-ags"] = "name"


def _municipality(municipality: Municipality) -> MunicipalityOut:
    return MunicipalityOut(
        ags=municipality.ags,
        name=municipality.name,
        kind=municipality.kind,
        state=municipality.state,
        population=municipality.population,
        latitude=municipality.latitude,
        longitude=municipality.longitude,
        member_count=municipality.member_count,  # type: ignore[attr-defined]
        url=f"/kommunen/{municipality.ags}/",
    )


def _municipalities() -> object:
    return Municipality.objects.annotate(
        member_count=Count(
            "users", filter=Q(users__is_active=True, users__role=Role.MEMBER), distinct=True
        )
    )


@router.get(
    "/municipalities",
    auth=PUBLIC,
    response=responses(Page[MunicipalityOut]),
    summary="Municipalities",
)
def municipalities(
    request: HttpRequest, filters: Query[MunicipalityFilter], page: Query[PageParams]
) -> dict[str, object]:
    queryset = _municipalities()
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(ags__startswith=filters.q))
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.in_network:
        queryset = queryset.filter(member_count__gt=0)
    fields = {"name": "name", "population": "population", "ags": "ags"}
    return page_of(request, ordered(queryset, filters.ordering, fields), page, _municipality)


@router.get(
    "/municipalities/{ags}",
    auth=PUBLIC,
    response=responses(MunicipalityOut),
    summary="One municipality",
)
def municipality(request: HttpRequest, ags: str) -> MunicipalityOut:
    return _municipality(get_object_or_404(_municipalities(), ags=ags))
