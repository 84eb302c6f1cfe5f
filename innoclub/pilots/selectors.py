"""Reads of pilot projects, filtered through the access policy.

``pilots_visible(user)`` is the one query every list and page starts from;
hidden and missing pilots answer the same 404. Contact people are named as
``access.may_see_contact`` allows: members see everyone, others only those
who agreed to be named on public pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innoclub.core import sections
from innoclub.core.access import (
    AnyUser,
    filter_visible,
    get_visible_or_404,
    may_edit_pilot,
    may_open_profile,
    may_see_contact,
    profile_of,
    visible_levels,
)
from innoclub.core.querystring import query_value
from innoclub.network.models import FederalState, Topic
from innoclub.pilots.models import (
    Adoption,
    AdoptionState,
    DocumentVersion,
    FundingSource,
    Indicator,
    Milestone,
    PilotDocument,
    PilotParticipant,
    PilotProject,
    PilotState,
)

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from innoclub.accounts.models import User

PAGE_SIZE = 20

SORTS: dict[str, tuple[str, ...]] = {
    "neueste": ("-created_at", "-id"),
    "titel": ("title", "id"),
    "nachnutzung": ("-adoption_count", "title", "id"),
}
SORT_LABELS: dict[str, Promise] = {
    "neueste": _("Newest first"),
    "titel": _("Title"),
    "nachnutzung": _("Most adoptions"),
}


def pilots_visible(user: AnyUser) -> QuerySet[PilotProject]:
    return filter_visible(PilotProject.objects.all(), user)


def pilot_for_viewer(user: AnyUser, *, slug: str) -> PilotProject:
    """The pilot ``user`` may see, or 404 (missing and hidden look the same)."""
    return get_visible_or_404(
        PilotProject.objects.select_related("lead_municipality"), user, slug=slug
    )


def is_contact(pilot: PilotProject, user: AnyUser) -> bool:
    """Whether ``user`` is named as a contact person of ``pilot`` (one query)."""
    return bool(user.is_authenticated and pilot.contacts.filter(pk=user.pk).exists())


def pilot_for_editor(user: AnyUser, *, slug: str) -> PilotProject:
    """The pilot if ``user`` may see and edit it; 404 otherwise, as if it did not exist."""
    pilot = pilot_for_viewer(user, slug=slug)
    if not may_edit_pilot(user, is_contact=is_contact(pilot, user)):
        raise Http404
    return pilot


def adoption_count_of(pilots: QuerySet[PilotProject]) -> QuerySet[PilotProject]:
    """Annotate ``adoption_count``: municipalities that adopt, in any state but given up."""
    active = (
        Adoption.objects.filter(pilot=OuterRef("pk"))
        .exclude(state=AdoptionState.GIVEN_UP)
        .order_by()
        .values("pilot")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return pilots.annotate(
        adoption_count=Coalesce(Subquery(active, output_field=IntegerField()), 0)
    )


# --- The list ---------------------------------------------------------------


@dataclass(frozen=True)
class PilotFilters:
    """The list's filter state from the query string; invalid values are ignored."""

    state: str = ""
    topic: str = ""
    land: str = ""
    text: str = ""
    sort: str = "neueste"
    page: str = "1"

    @classmethod
    def from_query(cls, query: dict[str, str]) -> PilotFilters:
        return cls(
            state=query_value(query, "status", PilotState.values),
            topic=query_value(query, "thema")[:80],
            land=query_value(query, "land", FederalState.values),
            text=query_value(query, "suche")[:100],
            sort=query_value(query, "sortierung", list(SORTS)) or "neueste",
            page=query_value(query, "seite")[:6] or "1",
        )

    @property
    def active(self) -> bool:
        return any((self.state, self.topic, self.land, self.text))


@dataclass
class FilterOptions:
    states: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    lands: list[tuple[str, str]]
    sorts: list[tuple[str, str]]


def pilot_list(*, user: AnyUser, filters: PilotFilters) -> Page[PilotProject]:
    """One page of the pilots ``user`` may see. Fixed queries: count, page, topics."""
    pilots = pilots_visible(user)
    if filters.state:
        pilots = pilots.filter(state=filters.state)
    if filters.topic:
        pilots = pilots.filter(topics__slug=filters.topic)
    if filters.land:
        pilots = pilots.filter(lead_municipality__state=filters.land)
    if filters.text:
        pilots = pilots.filter(
            Q(title__icontains=filters.text)
            | Q(summary__icontains=filters.text)
            | Q(lead_municipality__name__icontains=filters.text)
        )
    pilots = (
        adoption_count_of(pilots)
        .select_related("lead_municipality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by(*SORTS[filters.sort])
    )
    return Paginator(pilots, PAGE_SIZE).get_page(filters.page)


def filter_options(*, user: AnyUser) -> FilterOptions:
    """Choices of the list's filters: only topics that visible pilots have. One query."""
    topics = (
        Topic.objects.filter(pilots__in=pilots_visible(user).values("pk"))
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    return FilterOptions(
        states=[(value, str(label)) for value, label in PilotState.choices],
        topics=list(topics),
        lands=sorted(FederalState.choices, key=lambda choice: choice[1]),
        sorts=[(key, str(label)) for key, label in SORT_LABELS.items()],
    )


# --- One pilot ----------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A contact person as the viewer may see them: a name, and a profile link for members."""

    name: str
    position: str
    url: str


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator with its change from before to after, and whether that is better."""

    indicator: Indicator
    change: Decimal | None
    improved: bool | None

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorLine:
        if indicator.before is None or indicator.after is None:
            return cls(indicator, None, None)
        change = indicator.after - indicator.before
        if not change:
            return cls(indicator, change, None)
        return cls(indicator, change, (change > 0) == indicator.higher_is_better)


@dataclass
class PilotPage:
    """Everything the pilot's page and its fact sheet show, each read once."""

    pilot: PilotProject
    topics: list[Topic]
    participants: list[PilotParticipant]
    contacts: list[Contact]
    hidden_contacts: int
    milestones: list[Milestone]
    funding_sources: list[FundingSource]
    documents: list[PilotDocument]
    indicators: list[IndicatorLine]
    is_contact: bool
    may_edit: bool
    funding_total: Decimal | None = None


def _contacts(viewer: AnyUser, people: list[User]) -> tuple[list[Contact], int]:
    shown: list[Contact] = []
    hidden = 0
    for person in people:
        profile = profile_of(person)
        listed = bool(profile and profile.public_listing)
        if not may_see_contact(viewer, public_listing=listed):
            hidden += 1
            continue
        shown.append(
            Contact(
                name=person.get_full_name() or person.email,
                position=profile.position if profile else "",
                url=reverse("network:profile", args=[person.pk])
                if may_open_profile(viewer, person)
                else "",
            )
        )
    return shown, hidden


def documents_with_versions(pilot: PilotProject) -> list[PilotDocument]:
    """The pilot's documents, each with its versions newest first (two queries)."""
    versions = DocumentVersion.objects.order_by("-number")
    return list(
        pilot.documents.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
            "kind", "title", "id"
        )
    )


def pilot_page(*, user: AnyUser, pilot: PilotProject) -> PilotPage:
    """What the pilot's page shows to ``user``, with a fixed number of queries.

    Topics, participants, contacts, milestones, funding, documents with their
    versions, indicators: eight queries whatever their number.
    """
    people = list(
        pilot.contacts.filter(is_active=True)
        .select_related("profile")
        .order_by("last_name", "first_name", "pk")
    )
    contacts, hidden = _contacts(user, people)
    contact = any(person.pk == user.pk for person in people)
    funding = list(pilot.funding_sources.all())
    amounts = [source.amount for source in funding if source.amount is not None]
    return PilotPage(
        pilot=pilot,
        topics=list(pilot.topics.order_by("name")),
        participants=list(
            pilot.participants.select_related("municipality").order_by("municipality__name")
        ),
        contacts=contacts,
        hidden_contacts=hidden,
        milestones=list(pilot.milestones.all()),
        funding_sources=funding,
        funding_total=sum(amounts, Decimal(0)) if amounts else None,
        documents=documents_with_versions(pilot),
        indicators=[IndicatorLine.of(indicator) for indicator in pilot.indicators.all()],
        is_contact=contact,
        may_edit=may_edit_pilot(user, is_contact=contact),
    )


def adopting_municipalities(pilot: PilotProject) -> int:
    """Municipalities that adopt the pilot, in any state but given up (one query)."""
    return pilot.adoptions.exclude(state=AdoptionState.GIVEN_UP).count()


def document_of(pilot: PilotProject, document_id: int) -> PilotDocument:
    """One document of ``pilot`` with its versions newest first; 404 when it is not the pilot's."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    document = (
        pilot.documents.prefetch_related(Prefetch("versions", queryset=versions))
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404
    return document


def pilots_spreading(*, user: AnyUser, limit: int = 3) -> list[PilotProject]:
    """The visible pilots most municipalities adopt, for the start page.

    The same for everyone who sees the same pilots: from the cache while no
    pilot or adoption changes (one query), else counted (two queries).
    """

    def most_adopted() -> list[PilotProject]:
        ranked = (
            adoption_count_of(pilots_visible(user))
            .select_related("lead_municipality")
            .order_by(*SORTS["nachnutzung"])[:limit]
        )
        return [pilot for pilot in ranked if getattr(pilot, "adoption_count", 0)]

    audience = ",".join(sorted(visible_levels(user)))
    return sections.cached("pilots", ("spreading", audience, limit), most_adopted)
