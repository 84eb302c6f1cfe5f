"""Reads of the network: directory, profiles, municipalities, topics.

Everything here is filtered for the user who asks (docs/architecture.md):
profiles are for members only, optional fields follow their owner's switches,
and public pages only name people who opted in (``public_listing``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import Role
from innoclub.core import access
from innoclub.core.querystring import query_value
from innoclub.network.models import (
    SIZE_CLASS_BOUNDS,
    FederalState,
    Function,
    Municipality,
    MunicipalityKind,
    Profile,
    Sector,
    SizeClass,
    Topic,
)

if TYPE_CHECKING:
    from innoclub.core.access import AnyUser

DIRECTORY_PAGE_SIZE = 24
MUNICIPALITY_PAGE_SIZE = 50

SORTS = {
    "name": ("user__last_name", "user__first_name", "user__id"),
    "kommune": ("user__municipality__name", "user__last_name", "pk"),
    "neueste": ("-member_since", "user__last_name", "pk"),
}


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's filter state, parsed from the query string (invalid values are ignored)."""

    q: str = ""
    topic: str = ""
    state: str = ""
    kind: str = ""
    size: str = ""
    sector: str = ""
    function: str = ""
    sort: str = "name"
    page: str = "1"

    @classmethod
    def from_query(cls, query: dict[str, str]) -> DirectoryFilters:
        return cls(
            q=query_value(query, "q")[:100],
            topic=query_value(query, "thema")[:80],
            state=query_value(query, "land", FederalState.values),
            kind=query_value(query, "art", MunicipalityKind.values),
            size=query_value(query, "groesse", SizeClass.values),
            sector=query_value(query, "sektor", Sector.values),
            function=query_value(query, "funktion", Function.values),
            sort=query_value(query, "sortierung", list(SORTS)) or "name",
            page=query_value(query, "seite") or "1",
        )

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.topic, self.state, self.kind, self.size, self.sector, self.function)
        )


def _people(viewer: AnyUser) -> QuerySet[Profile]:
    """Profiles of active members and partners the viewer may find."""
    queryset = Profile.objects.filter(
        user__is_active=True, user__role__in=[Role.MEMBER, Role.GUEST], left_on__isnull=True
    )
    if not access.is_staff(viewer):
        queryset = queryset.filter(in_directory=True)
    return queryset


def directory_search(*, viewer: AnyUser, filters: DirectoryFilters) -> Page[Profile]:
    """One page of the members' directory. Fixed queries: count, page, topics."""
    if not access.is_member(viewer):
        raise Http404
    return Paginator(_directory(viewer, filters), DIRECTORY_PAGE_SIZE).get_page(filters.page)


def directory_export(*, viewer: AnyUser, filters: DirectoryFilters) -> QuerySet[Profile]:
    """All profiles matching the filters, for the office's CSV export."""
    if not access.is_staff(viewer):
        raise Http404
    return _directory(viewer, filters)


def _directory(viewer: AnyUser, filters: DirectoryFilters) -> QuerySet[Profile]:
    people = _people(viewer)
    if filters.q:
        text = filters.q
        match = (
            Q(user__first_name__icontains=text)
            | Q(user__last_name__icontains=text)
            | Q(organisation__icontains=text)
            | Q(position__icontains=text)
            | Q(user__municipality__name__icontains=text)
            | Q(topics__name__icontains=text)
        )
        # Expertise counts only where its owner shares it.
        match |= Q(can_help_with__icontains=text, show_can_help_with=True)
        if access.is_staff(viewer):
            match |= Q(can_help_with__icontains=text)
        people = people.filter(pk__in=Profile.objects.filter(match).values("pk"))
    if filters.topic:
        # One topic slug joins at most one row per profile: no duplicates, so
        # no DISTINCT, which would make the database sort every profile.
        people = people.filter(topics__slug=filters.topic)
    if filters.state:
        people = people.filter(user__municipality__state=filters.state)
    if filters.kind:
        people = people.filter(user__municipality__kind=filters.kind)
    if filters.size:
        low, high = SIZE_CLASS_BOUNDS[filters.size]
        people = people.filter(user__municipality__population__gte=low)
        if high is not None:
            people = people.filter(user__municipality__population__lt=high)
    if filters.sector:
        people = people.filter(sector=filters.sector)
    if filters.function:
        people = people.filter(function=filters.function)
    return (
        people.select_related("user__municipality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by(*SORTS[filters.sort])
    )


@dataclass
class ProfileView:
    """A profile as one viewer may see it: hidden optional fields are absent."""

    profile: Profile
    is_own: bool
    sees_all: bool
    shared: dict[str, bool] = field(default_factory=dict)

    def shows(self, name: str) -> bool:
        return self.shared.get(name, False)


def profile_for_viewer(*, viewer: AnyUser, pk: int) -> ProfileView:
    """A member's profile page. Members and staff only; people who are not in
    the directory are visible to themselves and to the office only (404)."""
    if not access.is_member(viewer):
        raise Http404
    profile = (
        Profile.objects.select_related("user__municipality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .filter(user__is_active=True, user__role__in=[Role.MEMBER, Role.GUEST])
        .filter(user_id=pk)
        .first()
    )
    if profile is None:
        raise Http404
    is_own = profile.user_id == viewer.pk
    sees_all = is_own or access.is_staff(viewer)
    if not sees_all and not (access.is_member(viewer) and profile.in_directory):
        raise Http404
    shared = {name: sees_all or profile.shows(name) for name in Profile.OPTIONAL_FIELDS}
    return ProfileView(profile=profile, is_own=is_own, sees_all=sees_all, shared=shared)


# --- Municipalities ---------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityFilters:
    q: str = ""
    state: str = ""
    kind: str = ""
    network_only: bool = True
    page: str = "1"

    @classmethod
    def from_query(cls, query: dict[str, str]) -> MunicipalityFilters:
        state = query.get("land", "")
        kind = query.get("art", "")
        return cls(
            q=(query.get("q") or "").strip()[:100],
            state=state if state in FederalState.values else "",
            kind=kind if kind in MunicipalityKind.values else "",
            network_only=query.get("alle") != "1",
            page=query.get("seite") or "1",
        )


def _active_members() -> Q:
    return Q(users__is_active=True, users__role=Role.MEMBER)


def municipality_list(*, filters: MunicipalityFilters) -> Page[Municipality]:
    """Municipalities with their number of active members. Public: counts only, no names."""
    queryset = Municipality.objects.annotate(
        member_count=Count("users", filter=_active_members(), distinct=True)
    )
    if filters.network_only:
        queryset = queryset.filter(member_count__gt=0)
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(ags__startswith=filters.q))
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return Paginator(queryset.order_by("name", "ags"), MUNICIPALITY_PAGE_SIZE).get_page(
        filters.page
    )  # type: ignore[return-value]


@dataclass
class MunicipalityDetail:
    municipality: Municipality
    member_count: int
    people: list[Profile]
    people_are_public_only: bool


def municipality_detail(*, viewer: AnyUser, ags: str) -> MunicipalityDetail:
    """A municipality with the people of the network from there.

    Members and staff see every member in the directory; everybody else only
    those who agreed to be named on public pages. Later capabilities (ideas,
    pilots, adoptions) add their own sections to the municipality page.
    """
    municipality = Municipality.objects.filter(ags=ags).first()
    if municipality is None:
        raise Http404
    members = Profile.objects.filter(
        user__municipality=municipality,
        user__is_active=True,
        user__role=Role.MEMBER,
        left_on__isnull=True,
    )
    member_count = members.count()
    public_only = not access.is_member(viewer)
    if access.is_staff(viewer):
        visible = members
    elif public_only:
        visible = members.filter(public_listing=True)
    else:
        visible = members.filter(in_directory=True)
    people = list(visible.select_related("user").order_by("user__last_name", "user__first_name"))
    return MunicipalityDetail(
        municipality=municipality,
        member_count=member_count,
        people=people,
        people_are_public_only=public_only,
    )


# --- Topics -------------------------------------------------------------------


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.annotate(
        expert_count=Count(
            "profiles",
            filter=Q(profiles__user__is_active=True, profiles__left_on__isnull=True),
            distinct=True,
        )
    ).order_by("-is_active", "name")


@dataclass
class TopicDetail:
    topic: Topic
    experts: list[Profile]
    expert_count: int
    experts_are_public_only: bool


def topic_detail(*, viewer: AnyUser, slug: str) -> TopicDetail:
    """A topic page: who in the network knows about it now. Later capabilities
    (forum sessions, ideas, pilots, news) add their own sections."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404
    experts = Profile.objects.filter(
        topics=topic,
        user__is_active=True,
        left_on__isnull=True,
        user__role__in=[Role.MEMBER, Role.GUEST],
    )
    count = experts.count()
    public_only = not access.is_member(viewer)
    if public_only:
        experts = experts.filter(public_listing=True)
    elif not access.is_staff(viewer):
        experts = experts.filter(in_directory=True)
    people = list(
        experts.select_related("user__municipality").order_by("user__last_name", "user__first_name")
    )
    return TopicDetail(
        topic=topic, experts=people, expert_count=count, experts_are_public_only=public_only
    )


def filter_options() -> dict[str, object]:
    """Choices for the directory's filter form (one query, for the topics)."""
    return {
        "topics": list(
            Topic.objects.filter(is_active=True).order_by("name").values_list("slug", "name")
        ),
        "states": FederalState.choices,
        "kinds": MunicipalityKind.choices,
        "sizes": SizeClass.choices,
        "sectors": Sector.choices,
        "functions": Function.choices,
        "sorts": [
            ("name", _("Name")),
            ("kommune", _("Municipality")),
            ("neueste", _("Newest members")),
        ],
    }
