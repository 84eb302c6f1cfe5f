"""The provenance chain session → idea → pilot → adoptions, as shown on each of them,
and the pilots of a municipality or a topic for the network's pages.

Each ``chain_for_*`` returns ``{"chain": Chain | None}`` to merge into the page's
context; ``pilots/_chain.html`` renders it (nothing when there is no chain).
Everything named is filtered for the viewer: ideas through
``access.ideas_visible_condition``, sessions through their event
(``events.selectors.events_visible``), pilots through ``filter_visible``;
adoptions follow their pilot. What the viewer may not see is neither named
nor counted. Each function runs a fixed number of queries (at most two).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse

from innoclub.core.access import (
    AnyUser,
    filter_visible,
    ideas_visible_condition,
    may_see,
)
from innoclub.events.models import Event, Session
from innoclub.events.selectors import events_visible
from innoclub.ideas.models import Idea
from innoclub.network.models import Municipality, Topic
from innoclub.pilots.models import (
    Adoption,
    AdoptionState,
    PilotParticipant,
    PilotProject,
    PilotState,
)

# Entries shown per step; the rest is "und N weitere".
LIMIT = 3
# The anchor of the adoption register on the pilot page.
ADOPTIONS_ANCHOR = "nachnutzung"

StepKind = Literal["session", "idea", "pilot"]


@dataclass(frozen=True)
class Entry:
    """One named object in a step: a Session, an Idea or a PilotProject."""

    obj: Any
    url: str
    current: bool = False


@dataclass(frozen=True)
class Step:
    kind: StepKind
    entries: list[Entry]
    more: int = 0


@dataclass(frozen=True)
class Adoptions:
    """How far the pilot(s) of the chain spread; ``current`` on an adoption's page."""

    total: int
    implemented: int
    pilots: int
    url: str = ""
    current: Adoption | None = None


@dataclass(frozen=True)
class Chain:
    steps: list[Step]
    adoptions: Adoptions | None = None


def pilot_url(pilot: PilotProject) -> str:
    return reverse("pilots:detail", kwargs={"slug": pilot.slug})


def pilot_adoptions_url(pilot: PilotProject) -> str:
    """The adoption register on the pilot's page."""
    return f"{pilot_url(pilot)}#{ADOPTIONS_ANCHOR}"


def _session_url(session: Session) -> str:
    return reverse("events:session", args=[session.event.slug, session.slug])


def _idea_url(idea: Idea) -> str:
    return reverse("ideas:detail", args=[idea.pk])


def _step(kind: StepKind, items: list[Any], url: Any, current: Any = None) -> Step | None:
    """A step with at most ``LIMIT`` entries; the current object is always among them."""
    if not items:
        return None
    shown = items[:LIMIT]
    if current is not None and current in items and current not in shown:
        shown = [*items[: LIMIT - 1], current]
    entries = [
        Entry(obj=item, url="", current=True) if item == current else Entry(obj=item, url=url(item))
        for item in shown
    ]
    return Step(kind=kind, entries=entries, more=len(items) - len(shown))


def _sessions_of(ideas: list[Idea]) -> list[Session]:
    """The distinct origin sessions of ideas whose ``session_visible`` flag is set."""
    sessions: dict[int, Session] = {}
    for idea in ideas:
        session = idea.origin_session
        if session is not None and getattr(idea, "session_visible", False):
            sessions.setdefault(session.pk, session)
    return sorted(sessions.values(), key=lambda s: (s.starts_at, s.pk))


def _ideas_of_pilot(user: AnyUser, pilot: PilotProject) -> list[Idea]:
    """The pilot's ideas the viewer sees, oldest first, each knowing whether its
    session's event is visible to the viewer. One query."""
    event_visible = events_visible(user).filter(pk=OuterRef("origin_session__event_id"))
    return list(
        Idea.objects.filter(ideas_visible_condition(user), pilot=pilot)
        .select_related("origin_session__event")
        .annotate(session_visible=Exists(event_visible))
        .order_by("created_at", "id")
    )


def _event_visible(user: AnyUser, event: Event) -> bool:
    """``events_visible`` for one event in memory; queries only for an invitation
    or registration to a members' or participants' event."""
    if may_see(user, event):
        return True
    return events_visible(user).filter(pk=event.pk).exists() if user.is_authenticated else False


def _adoptions(pilot: PilotProject, current: Adoption | None = None) -> Adoptions:
    """Counts of the pilot's adoptions. One query."""
    counts = Adoption.objects.filter(pilot=pilot).aggregate(
        total=Count("id"), implemented=Count("id", filter=Q(state=AdoptionState.IMPLEMENTED))
    )
    return Adoptions(
        total=counts["total"],
        implemented=counts["implemented"],
        pilots=1,
        url=pilot_adoptions_url(pilot),
        current=current,
    )


def _shows_adoptions(pilot: PilotProject, adoptions: Adoptions) -> bool:
    # "Nobody adopts it yet" says something about a running or finished pilot only.
    return adoptions.total > 0 or pilot.state in (PilotState.RUNNING, PilotState.COMPLETED)


def _chain(steps: list[Step | None], adoptions: Adoptions | None = None) -> Chain | None:
    """The chain, or None when it would name nothing but the page's own object."""
    present = [step for step in steps if step is not None]
    if len(present) + (adoptions is not None) < 2:
        return None
    return Chain(steps=present, adoptions=adoptions)


def _pilot_chain(
    pilot: PilotProject, user: AnyUser, *, current: Any, adoption: Adoption | None = None
) -> Chain | None:
    ideas = _ideas_of_pilot(user, pilot)
    adoptions = _adoptions(pilot, adoption)
    current_idea = current if isinstance(current, Idea) else None
    return _chain(
        [
            _step("session", _sessions_of(ideas), _session_url),
            _step("idea", ideas, _idea_url, current_idea),
            _step("pilot", [pilot], pilot_url, pilot if current is pilot else None),
        ],
        adoptions if adoption is not None or _shows_adoptions(pilot, adoptions) else None,
    )


def chain_for_pilot(pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_chain.html`` on the pilot page (``pilot`` visible to ``user``).
    Two queries."""
    return {"chain": _pilot_chain(pilot, user, current=pilot)}


def chain_for_adoption(adoption: Adoption, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_chain.html`` on an adoption's page (its pilot visible to
    ``user``). Two queries."""
    return {"chain": _pilot_chain(adoption.pilot, user, current=adoption, adoption=adoption)}


def chain_for_idea(idea: Idea, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_chain.html`` on the idea page (``idea`` visible to ``user``,
    with ``origin_session__event`` and ``pilot`` selected).

    With a pilot the viewer sees, the whole chain of that pilot (two queries);
    otherwise the idea's session, if any (a query only for an event the viewer
    sees through an invitation or registration).
    """
    pilot = idea.pilot
    if pilot is not None and may_see(user, pilot):
        return {"chain": _pilot_chain(pilot, user, current=idea)}
    session = idea.origin_session
    sessions = [session] if session is not None and _event_visible(user, session.event) else []
    return {
        "chain": _chain(
            [_step("session", sessions, _session_url), _step("idea", [idea], _idea_url, idea)]
        )
    }


def chain_for_session(
    session: Session, user: AnyUser, *, event: Event, ideas: list[Idea]
) -> dict[str, Any]:
    """Context for ``pilots/_chain.html`` on a session page.

    ``event`` is the session's event and ``ideas`` the ideas born in the
    session as the viewer sees them (the page has read both). Their pilots the
    viewer sees are read with their adoption counts: one query, none when no
    idea has a pilot.
    """
    session.event = event
    pilot_ids = {idea.pilot_id for idea in ideas if idea.pilot_id is not None}
    pilots: list[PilotProject] = []
    if pilot_ids:
        pilots = list(
            filter_visible(PilotProject.objects.filter(pk__in=pilot_ids), user)
            .annotate(
                adoption_total=Count("adoptions"),
                adoption_implemented=Count(
                    "adoptions", filter=Q(adoptions__state=AdoptionState.IMPLEMENTED)
                ),
            )
            .order_by("starts_on", "title")
        )
    with_pilot = {pilot.pk for pilot in pilots}
    # Ideas that led somewhere first, then the rest; oldest first within each.
    ordered = sorted(ideas, key=lambda i: (i.pilot_id not in with_pilot, i.created_at, i.pk))
    adoptions = None
    if pilots:
        adoptions = Adoptions(
            total=sum(p.adoption_total for p in pilots),  # type: ignore[attr-defined]
            implemented=sum(p.adoption_implemented for p in pilots),  # type: ignore[attr-defined]
            pilots=len(pilots),
            url=pilot_adoptions_url(pilots[0]) if len(pilots) == 1 else "",
        )
    return {
        "chain": _chain(
            [
                _step("session", [session], _session_url, session),
                _step("idea", ordered, _idea_url),
                _step("pilot", pilots, pilot_url),
            ],
            adoptions,
        )
    }


# --- Municipality and topic pages -------------------------------------------


@dataclass(frozen=True)
class Role:
    """A pilot and what the municipality has to do with it."""

    pilot: PilotProject
    text: str = ""  # the participant's role
    state: str = ""  # the adoption's state
    state_label: str = ""
    adoption_pk: int | None = None


@dataclass(frozen=True)
class MunicipalityPilots:
    """A municipality's pilots as the viewer may see them."""

    led: list[PilotProject]
    participating: list[Role]
    adopted: list[Role]

    def __bool__(self) -> bool:
        return bool(self.led or self.participating or self.adopted)


def pilots_of_municipality(*, user: AnyUser, municipality: Municipality) -> MunicipalityPilots:
    """Pilots the municipality leads, takes part in, and adopted (with the state of
    the adoption), visible to ``user``. One query."""
    participation = PilotParticipant.objects.filter(pilot=OuterRef("pk"), municipality=municipality)
    adoption = Adoption.objects.filter(pilot=OuterRef("pk"), municipality=municipality)
    pilots = list(
        filter_visible(PilotProject.objects.all(), user)
        .annotate(
            participant_role=Subquery(participation.values("role")[:1]),
            adoption_state=Subquery(adoption.values("state")[:1]),
            adoption_pk=Subquery(adoption.values("pk")[:1]),
        )
        .filter(Q(lead_municipality=municipality) | Exists(participation) | Exists(adoption))
        .order_by("title", "pk")
    )
    return MunicipalityPilots(
        led=[p for p in pilots if p.lead_municipality_id == municipality.pk],
        participating=[
            Role(pilot=p, text=p.participant_role) for p in pilots if p.participant_role is not None
        ],
        adopted=[
            Role(
                pilot=p,
                state=p.adoption_state,
                state_label=str(AdoptionState(p.adoption_state).label),
                adoption_pk=p.adoption_pk,
            )
            for p in pilots
            if p.adoption_state is not None
        ],
    )


def pilots_of_topic(*, user: AnyUser, topic: Topic) -> list[PilotProject]:
    """The topic's pilots visible to ``user`` with their lead municipality and
    adoption counts (``adoption_total``, ``adoption_implemented``), most adopted
    first. One query."""
    return list(
        filter_visible(PilotProject.objects.filter(topics=topic), user)
        .select_related("lead_municipality")
        .annotate(
            adoption_total=Count("adoptions"),
            adoption_implemented=Count(
                "adoptions", filter=Q(adoptions__state=AdoptionState.IMPLEMENTED)
            ),
        )
        .order_by("-adoption_total", "title")
    )
