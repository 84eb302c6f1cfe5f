"""Topics and municipalities (public), the members' directory (members and staff)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from innoclub.accounts.models import Role
from innoclub.api.auth import PUBLIC, SIGNED_IN
from innoclub.api.common import Page, PageParams, ordered, page_of, responses
from innoclub.api.refs import (
    SLUG,
    TEXT,
    Id,
    MunicipalityRef,
    Slug,
    TopicRef,
    municipality_ref,
    topic_ref,
)
from innoclub.core import access
from innoclub.network import selectors
from innoclub.network.models import (
    FederalState,
    Function,
    Municipality,
    MunicipalityKind,
    Profile,
    Sector,
    SizeClass,
    Topic,
)

router = Router(tags=["Netzwerk"])

Ags = Annotated[str, Path(pattern=r"^[0-9]{5}([0-9]{3})?$", description="5 or 8 digits")]


class TopicOut(Schema):
    slug: str
    name: str
    description: str
    is_active: bool = Field(description="Archived topics keep their pages but take no new entries")
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
def topic(request: HttpRequest, slug: Slug) -> TopicOut:
    return _topic(get_object_or_404(Topic, slug=slug))


class MunicipalityOut(Schema):
    ags: str = Field(description="Amtlicher Gemeindeschlüssel")
    name: str
    kind: str
    state: str = Field(description="Bundesland: the two digits the AGS begins with (06 = Hessen)")
    population: int | None
    latitude: float | None
    longitude: float | None
    member_count: int = Field(description="Active members of the network from here")
    url: str


class MunicipalityFilter(Schema):
    q: str = Field(
        "", max_length=100, pattern=TEXT, description="Part of the name, or the start of the AGS"
    )
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


def _municipalities() -> QuerySet[Municipality]:
    # The same count as the site's municipality list (selectors.municipality_list).
    return Municipality.objects.annotate(
        member_count=Count(
            "users", filter=Q(users__is_active=True, users__role=Role.MEMBER), distinct=True
        ),
        # SQLite sorts NULL first, PostgreSQL last: an unknown population sorts
        # as the smallest on both, so pages do not depend on the database.
        population_order=Coalesce("population", Value(-1), output_field=IntegerField()),
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
        queryset = queryset.filter(member_count__gt=0)  # type: ignore[misc]  # an annotation
    fields = {"name": "name", "population": "population_order", "ags": "ags"}
    return page_of(request, ordered(queryset, filters.ordering, fields), page, _municipality)


@router.get(
    "/municipalities/{ags}",
    auth=PUBLIC,
    response=responses(MunicipalityOut),
    summary="One municipality",
)
def municipality(request: HttpRequest, ags: Ags) -> MunicipalityOut:
    return _municipality(get_object_or_404(_municipalities(), ags=ags))


# --- Members' directory -------------------------------------------------------
# Exactly the web directory (/mitglieder/): network.selectors decides who is
# listed and which optional fields a viewer sees; guests get 404 like there.

SHARED = "Only when the person shares it with members; otherwise null."


class MemberOut(Schema):
    id: int = Field(description="The person's id, as in /mitglieder/<id>/")
    name: str = Field(description="Academic title and full name")
    first_name: str
    last_name: str
    academic_title: str
    role: Literal["member", "guest"] = Field(description="Member, or external partner (guest)")
    function: str = Field(description="Function in the municipality (code), or empty")
    function_label: str
    position: str
    organisation: str
    sector: str = Field(description="Where an external partner comes from (code), or empty")
    municipality: MunicipalityRef | None
    topics: list[TopicRef] = Field(description="Topics of expertise")
    member_since_year: int | None
    in_directory: bool | None = Field(
        None,
        description="Whether members find the person in the directory; "
        "only for the club office and the person themselves, otherwise null.",
    )
    url: str


class MemberDetailOut(MemberOut):
    email: str | None = Field(description=SHARED)
    phone: str | None = Field(description=SHARED)
    bio: str | None = Field(description=SHARED)
    can_help_with: str | None = Field(description=SHARED)
    looking_for: str | None = Field(description=SHARED)
    photo_url: str | None = Field(description=SHARED)


# Public ordering names → the directory's own sorts (selectors.SORTS).
MEMBER_SORTS = {"name": "name", "municipality": "kommune", "-member_since": "neueste"}


class MemberFilter(Schema):
    q: str = Field(
        "",
        max_length=100,
        pattern=TEXT,
        description="Text in the name, position, organisation, municipality, topics "
        "or what the person can help with (where they share it)",
    )
    topic: str = Field("", max_length=80, pattern=SLUG, description="Slug of a topic of expertise")
    state: FederalState | None = Field(None, description="Bundesland of the municipality")
    kind: MunicipalityKind | None = None
    size: SizeClass | None = Field(None, description="Population class of the municipality")
    sector: Sector | None = None
    function: Function | None = None
    ordering: Literal["name", "municipality", "-member_since"] = "name"

    def directory_filters(self) -> selectors.DirectoryFilters:
        return selectors.DirectoryFilters(
            q=self.q.strip(),
            topic=self.topic.strip(),
            state=self.state or "",
            kind=self.kind or "",
            size=self.size or "",
            sector=self.sector or "",
            function=self.function or "",
            sort=MEMBER_SORTS[self.ordering],
        )


def _member_fields(profile: Profile, *, sees_settings: bool) -> dict[str, Any]:
    person = profile.user
    place = person.municipality
    return {
        "id": person.pk,
        "name": f"{profile.academic_title} {person.get_full_name()}".strip(),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "academic_title": profile.academic_title,
        "role": person.role,
        "function": profile.function,
        "function_label": str(profile.get_function_display()) if profile.function else "",
        "position": profile.position,
        "organisation": profile.organisation,
        "sector": profile.sector,
        "municipality": municipality_ref(place) if place else None,
        "topics": [topic_ref(topic) for topic in profile.topics.all()],
        "member_since_year": profile.member_since.year if profile.member_since else None,
        "in_directory": profile.in_directory if sees_settings else None,
        "url": f"/mitglieder/{person.pk}/",
    }


@router.get(
    "/members",
    auth=SIGNED_IN,
    response=responses(Page[MemberOut]),
    summary="Members' directory (members and club office)",
)
def members(
    request: HttpRequest, filters: Query[MemberFilter], page: Query[PageParams]
) -> dict[str, object]:
    viewer = request.user
    # directory_search's own check; its Django Paginator would count a second time.
    if not access.is_member(viewer):
        raise Http404
    people = selectors._directory(viewer, filters.directory_filters())
    staff = access.is_staff(viewer)
    return page_of(
        request,
        people,
        page,
        lambda profile: MemberOut(**_member_fields(profile, sees_settings=staff)),
    )


@router.get(
    "/members/{person_id}",
    auth=SIGNED_IN,
    response=responses(MemberDetailOut),
    summary="One member's profile",
)
def member(request: HttpRequest, person_id: Id) -> MemberDetailOut:
    view = selectors.profile_for_viewer(viewer=request.user, pk=person_id)
    profile = view.profile

    def shared(name: str, value: str) -> str | None:
        return value if view.shows(name) and value else None

    return MemberDetailOut(
        **_member_fields(profile, sees_settings=view.sees_all),
        email=shared("email", profile.user.email),
        phone=shared("phone", profile.phone),
        bio=shared("bio", profile.bio),
        can_help_with=shared("can_help_with", profile.can_help_with),
        looking_for=shared("looking_for", profile.looking_for),
        photo_url=f"/mitglieder/{profile.user_id}/foto/"
        if shared("photo", profile.photo.name or "")
        else None,
    )
