"""Pilot projects and the adoption register (Nachnutzung).

Reads go through the pilots app's selectors, so a caller gets exactly what
/pilotprojekte/ shows them: members-only pilots stay hidden (404) from the
public and guests, contact people are named as on the page, and adoptions are
visible exactly when their pilot is. Writes call ``adoptions.adoption_declare``
and ``adoptions.adoption_update``, which check everything before they write.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from innoclub.api.auth import PUBLIC
from innoclub.api.common import Page, PageParams, cached_page, page_of, responses
from innoclub.api.refs import (
    MunicipalityRef,
    PersonOut,
    Slug,
    TopicRef,
    municipality_ref,
    topic_ref,
)
from innoclub.core.access import AnyUser
from innoclub.network.models import FederalState, Topic
from innoclub.pilots import selectors
from innoclub.pilots.adoption_selectors import (
    adoption_section,
)
from innoclub.pilots.models import (
    AdoptionState,
    PilotDocument,
    PilotProject,
    PilotState,
)

router = Router(tags=["Pilotprojekte"])

# --- Output -------------------------------------------------------------------


class PilotOut(Schema):
    slug: str
    title: str
    summary: str = Field(description="Markdown")
    state: PilotState
    visibility: Literal["public", "members"]
    lead_municipality: MunicipalityRef | None
    topics: list[TopicRef]
    starts_on: date | None
    ends_on: date | None
    adoption_count: int = Field(
        description="Municipalities that adopt it, in any state but given up"
    )
    created_at: datetime
    url: str


class ContactOut(PersonOut):
    position: str


class ParticipantOut(Schema):
    municipality: MunicipalityRef
    role: str


class MilestoneOut(Schema):
    title: str
    due_on: date
    state: str
    reached_on: date | None


class FundingOut(Schema):
    name: str
    amount: float | None = Field(description="Euros")


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    higher_is_better: bool
    before: float | None
    after: float | None
    change: float | None = Field(description="after − before")
    improved: bool | None = Field(description="Whether the change is for the better")
    note: str = Field(description="How it is measured")


class DocumentOut(Schema):
    kind: str
    title: str
    description: str
    version: int | None = Field(description="Number of the newest version")
    size: int | None = Field(description="Bytes of the newest version")
    url: str
    download_url: str | None


class PilotDetailOut(PilotOut):
    results: str = Field(description="Markdown")
    lessons_learned: str = Field(description="Markdown")
    participants: list[ParticipantOut]
    contacts: list[ContactOut] = Field(description="Contact people the caller may see")
    hidden_contacts: int = Field(description="Further contact people named to members only")
    milestones: list[MilestoneOut]
    budget: float | None = Field(description="Euros")
    funding_sources: list[FundingOut]
    funding_total: float | None = Field(description="Euros, the sum of the given amounts")
    indicators: list[IndicatorOut]
    documents: list[DocumentOut]
    adoptions_by_state: dict[str, int]
    own_adoption: int | None = Field(description="Id of the adoption by the caller's municipality")
    may_adopt: bool = Field(description="Whether the caller may declare an adoption")
    may_edit: bool


def _pilot_fields(pilot: PilotProject, topics: list[Topic], adoption_count: int) -> dict[str, Any]:
    lead = pilot.lead_municipality
    return {
        "slug": pilot.slug,
        "title": pilot.title,
        "summary": pilot.summary,
        "state": pilot.state,
        "visibility": pilot.visibility,
        "lead_municipality": municipality_ref(lead) if lead else None,
        "topics": [topic_ref(topic) for topic in topics],
        "starts_on": pilot.starts_on,
        "ends_on": pilot.ends_on,
        "adoption_count": adoption_count,
        "created_at": pilot.created_at,
        "url": reverse("pilots:detail", args=[pilot.slug]),
    }


def _pilot(pilot: PilotProject) -> PilotOut:
    count: int = pilot.adoption_count  # type: ignore[attr-defined]
    return PilotOut(**_pilot_fields(pilot, list(pilot.topics.all()), count))


def _document(pilot: PilotProject, document: PilotDocument) -> DocumentOut:
    latest = next(iter(document.versions.all()), None)  # prefetched newest first
    return DocumentOut(
        kind=document.kind,
        title=document.title,
        description=document.description,
        version=latest.number if latest else None,
        size=latest.size if latest else None,
        url=reverse("pilots:document", args=[pilot.slug, document.pk]),
        download_url=reverse("pilots:document_download", args=[pilot.slug, document.pk])
        if latest
        else None,
    )


def _pilot_detail(user: AnyUser, pilot: PilotProject) -> PilotDetailOut:
    page = selectors.pilot_page(user=user, pilot=pilot)
    section = adoption_section(pilot, user)
    by_state = {count.state: count.count for count in section["adoption_counts"]}
    active = section["adoption_total"] - by_state.get(AdoptionState.GIVEN_UP, 0)
    own = section["own_adoption"]
    # Contacts, milestones and funding sources are read from their attributes.
    return PilotDetailOut.model_validate(
        _pilot_fields(pilot, page.topics, active)
        | {
            "results": pilot.results,
            "lessons_learned": pilot.lessons_learned,
            "participants": [
                {"municipality": municipality_ref(row.municipality), "role": row.role}
                for row in page.participants
            ],
            "contacts": page.contacts,
            "hidden_contacts": page.hidden_contacts,
            "milestones": page.milestones,
            "budget": pilot.budget,
            "funding_sources": page.funding_sources,
            "funding_total": page.funding_total,
            "indicators": [
                {
                    "id": line.indicator.pk,
                    "name": line.indicator.name,
                    "unit": line.indicator.unit,
                    "higher_is_better": line.indicator.higher_is_better,
                    "before": line.indicator.before,
                    "after": line.indicator.after,
                    "change": line.change,
                    "improved": line.improved,
                    "note": line.indicator.note,
                }
                for line in page.indicators
            ],
            "documents": [_document(pilot, document) for document in page.documents],
            "adoptions_by_state": by_state,
            "own_adoption": own.pk if own else None,
            "may_adopt": section["may_adopt"],
            "may_edit": page.may_edit,
        }
    )


# --- Pilots -------------------------------------------------------------------

# The public names of the page's sorts (``selectors.SORTS``).
PILOT_ORDERING = {"newest": "neueste", "title": "titel", "adoptions": "nachnutzung"}


class PilotFilter(Schema):
    state: PilotState | None = None
    topic: str = Field("", max_length=80, description="Slug of a topic")
    federal_state: FederalState | None = Field(
        None, description="Bundesland of the lead municipality (two digits, e.g. 09 Bayern)"
    )
    q: str = Field("", max_length=100, description="Part of title, summary or lead municipality")
    ordering: Literal["newest", "title", "adoptions"] = "newest"


@router.get("/pilots", auth=PUBLIC, response=responses(Page[PilotOut]), summary="Pilot projects")
def pilots(
    request: HttpRequest, filters: Query[PilotFilter], page: Query[PageParams]
) -> HttpResponse:
    """The pilots the caller may see, filtered as on /pilotprojekte/; from the
    cache while no pilot, adoption, place or topic changes."""
    return cached_page(
        request, "pilots", Page[PilotOut], lambda: _pilot_page(request, filters, page)
    )


def _pilot_page(request: HttpRequest, filters: PilotFilter, page: PageParams) -> dict[str, Any]:
    listing = selectors.pilot_list(
        user=request.user,
        filters=selectors.PilotFilters(
            state=filters.state or "",
            topic=filters.topic,
            land=filters.federal_state or "",
            text=filters.q,
            sort=PILOT_ORDERING[filters.ordering],
        ),
    )
    # The page's selector filters, annotates and orders; the API pages its queryset itself.
    queryset: QuerySet[PilotProject] = listing.paginator.object_list  # type: ignore[assignment]
    return page_of(request, queryset, page, _pilot)


@router.get(
    "/pilots/{slug}", auth=PUBLIC, response=responses(PilotDetailOut), summary="One pilot project"
)
def pilot(request: HttpRequest, slug: Slug) -> PilotDetailOut:
    """Everything the pilot's page shows the caller, without the map and the chain."""
    return _pilot_detail(request.user, selectors.pilot_for_viewer(request.user, slug=slug))
