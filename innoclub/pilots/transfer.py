"""Reach and spread of pilots: the data behind the map and the diffusion curve.

Everything here reads a fixed number of queries whatever the number of pilots
and adoptions: the participants, the adoptions and their state history of a
set of pilots are read once each and combined in Python.

Adoptions follow their pilot's visibility: whoever may see a pilot sees where
it spread. The callers pass pilots the viewer may see.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from innoclub.core.access import AnyUser
from innoclub.network.models import FederalState, Municipality
from innoclub.pilots.maps import Place, Role, TransferMap, transfer_map
from innoclub.pilots.models import (
    Adoption,
    AdoptionState,
    AdoptionStateChange,
    PilotParticipant,
    PilotProject,
)
from innoclub.pilots.selectors import pilots_visible
from innoclub.pilots.transfer_charts import AdoptionCounts, Curve, Event, diffusion_curve

ADOPTION_ROLES = {
    AdoptionState.IMPLEMENTED: Role.IMPLEMENTED,
    AdoptionState.PREPARING: Role.PREPARING,
    AdoptionState.INTERESTED: Role.INTERESTED,
    AdoptionState.GIVEN_UP: Role.GIVEN_UP,
}

# The office's classification of a pilot's spread (shown with this definition).
WINDOW = datetime.timedelta(days=365)
SPREADING_MIN = 3  # new adoptions within the window


@dataclass
class Spread:
    """The rows behind the transfer views of some pilots, read in three queries."""

    participants: list[PilotParticipant]
    adoptions: list[Adoption]
    events: list[Event]

    @classmethod
    def of(cls, pilot_ids: Sequence[int]) -> Spread:
        participants = PilotParticipant.objects.filter(pilot_id__in=pilot_ids).select_related(
            "municipality"
        )
        adoptions = Adoption.objects.filter(pilot_id__in=pilot_ids).select_related("municipality")
        events = AdoptionStateChange.objects.filter(adoption__pilot_id__in=pilot_ids).values_list(
            "adoption_id", "effective_on", "state"
        )
        return cls(list(participants), list(adoptions), list(events))

    def since(self) -> dict[int, datetime.date]:
        """When each adoption entered its latest recorded state."""
        return {adoption: day for adoption, day, _state in self.events}


def _place(
    municipality: Municipality, role: Role, since: datetime.date | None, pilot: PilotProject
) -> Place:
    return Place(
        name=municipality.name,
        ags=municipality.ags,
        state=FederalState(municipality.state).label,
        role=role,
        since=since,
        latitude=municipality.latitude,
        longitude=municipality.longitude,
        population=municipality.population,
        pilot=pilot.title,
        pilot_slug=pilot.slug,
    )


def places(pilots: Iterable[PilotProject], spread: Spread) -> list[Place]:
    """Lead, participating and adopting municipalities of ``pilots``."""
    by_id = {pilot.pk: pilot for pilot in pilots}
    since = spread.since()
    result = []
    for pilot in by_id.values():
        if pilot.lead_municipality is not None:
            result.append(_place(pilot.lead_municipality, Role.LEAD, pilot.starts_on, pilot))
    for participant in spread.participants:
        pilot = by_id[participant.pilot_id]
        result.append(_place(participant.municipality, Role.PARTICIPANT, pilot.starts_on, pilot))
    for adoption in spread.adoptions:
        day = since.get(adoption.pk, adoption.started_on)
        role = ADOPTION_ROLES[AdoptionState(adoption.state)]
        result.append(_place(adoption.municipality, role, day, by_id[adoption.pilot_id]))
    return result


@dataclass(frozen=True)
class Reach:
    """How far pilots reach: lead, participants and adopters that have not given up."""

    municipalities: int
    inhabitants: int
    without_population: int  # municipalities whose population is unknown
    states: list[str]

    @property
    def inhabitants_grouped(self) -> str:
        """“403.000” rather than “403000”, whatever the site's separator setting."""
        return number_format(self.inhabitants, force_grouping=True)


def reach(all_places: Iterable[Place]) -> Reach:
    covered = {p.ags: p for p in all_places if p.role is not Role.GIVEN_UP}
    return Reach(
        municipalities=len(covered),
        inhabitants=sum(p.population or 0 for p in covered.values()),
        without_population=sum(1 for p in covered.values() if p.population is None),
        states=sorted({p.state for p in covered.values()}),
    )


@dataclass(frozen=True)
class TransferSection:
    map: TransferMap
    curve: Curve
    reach: Reach


def transfer_section(
    pilots: Sequence[PilotProject],
    *,
    spread: Spread | None = None,
    today: datetime.date | None = None,
) -> TransferSection:
    """Map, curve and reach of ``pilots`` together (three queries unless ``spread`` is read)."""
    spread = spread or Spread.of([pilot.pk for pilot in pilots])
    shown = places(pilots, spread)
    curve = diffusion_curve(spread.events, today=today or timezone.localdate())
    return TransferSection(transfer_map(shown), curve, reach(shown))


def transfer_for_pilot(pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_pilot_transfer.html`` (map, curve and reach of one pilot).

    Merge it into the pilot page's context. The section is the same for every
    viewer of the pilot (adoptions follow the pilot's visibility), so ``user``
    is not consulted. Three queries, plus one for the lead municipality unless
    the pilot was read with ``select_related("lead_municipality")``.
    """
    return {"transfer": transfer_section([pilot])}


def network_overview(user: AnyUser, *, pilot_slug: str, topic_slug: str) -> dict[str, Any]:
    """Context of ``/transfer/``: every pilot ``user`` may see, or one pilot or topic.

    Five queries whatever the number of pilots and adoptions: the pilots, their
    topics, participants, adoptions and state history. An unknown pilot or
    topic is said so in ``problems``; then all are shown.
    """
    pilots = list(
        pilots_visible(user)
        .select_related("lead_municipality")
        .prefetch_related("topics")
        .order_by("title")
    )
    topics = sorted(
        {topic for pilot in pilots for topic in pilot.topics.all()}, key=lambda t: t.name
    )
    problems = []
    shown = pilots
    if pilot_slug:
        picked = [pilot for pilot in pilots if pilot.slug == pilot_slug]
        if picked:
            shown = picked
        else:
            problems.append(_("We do not know the pilot project you chose; all are shown."))
            pilot_slug = ""
    if topic_slug:
        if any(topic.slug == topic_slug for topic in topics):
            shown = [p for p in shown if any(t.slug == topic_slug for t in p.topics.all())]
        else:
            problems.append(_("No pilot project has the topic you chose; all topics are shown."))
            topic_slug = ""
    today = timezone.localdate()
    spread = Spread.of([pilot.pk for pilot in shown])
    return {
        "section": transfer_section(shown, spread=spread, today=today),
        "top": top_spreading(figures_from_spread(shown, spread, today=today)),
        "pilot_options": [(pilot.slug, pilot.title) for pilot in pilots],
        "topic_options": [(topic.slug, topic.name) for topic in topics],
        "chosen_pilot": pilot_slug,
        "chosen_topic": topic_slug,
        "filtered": bool(pilot_slug or topic_slug),
        "shown": len(shown),
        "problems": problems,
    }


# --- Per pilot: how it spreads --------------------------------------------------


class Trend(enum.Enum):
    SPREADING = "spreading"
    STALLING = "stalling"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return str(TREND_LABELS[self])


TREND_LABELS = {
    Trend.SPREADING: _("spreading"),
    Trend.STALLING: _("stalling"),
    Trend.NEITHER: _("neither"),
}


def trend(
    *,
    new_adoptions: int,
    active_since: datetime.date,
    last_activity: datetime.date | None,
    today: datetime.date,
) -> Trend:
    """Spreading: at least ``SPREADING_MIN`` adoptions started within the last
    twelve months. Stalling: the pilot has run for more than twelve months and
    in the last twelve no adoption started and none changed its state.
    Everything else is neither (some movement, or too young to tell)."""
    if new_adoptions >= SPREADING_MIN:
        return Trend.SPREADING
    year_ago = today - WINDOW
    if active_since < year_ago and (last_activity is None or last_activity < year_ago):
        return Trend.STALLING
    return Trend.NEITHER


@dataclass
class PilotFigures(AdoptionCounts):
    """One pilot's adoptions by state and their movement in the last twelve months."""

    pilot: PilotProject
    counts: dict[str, int] = field(default_factory=dict)
    new_adoptions: int = 0
    last_activity: datetime.date | None = None
    trend: Trend = Trend.NEITHER


def pilot_figures(
    pilots: Iterable[PilotProject],
    adoptions: Iterable[Adoption],
    last_changes: dict[int, datetime.date],
    *,
    today: datetime.date,
) -> list[PilotFigures]:
    """Figures per pilot. ``last_changes`` maps adoption ids to their latest state change."""
    figures = {pilot.pk: PilotFigures(pilot) for pilot in pilots}
    year_ago = today - WINDOW
    for adoption in adoptions:
        item = figures[adoption.pilot_id]
        item.counts[adoption.state] = item.count(adoption.state) + 1
        if year_ago < adoption.started_on <= today:
            item.new_adoptions += 1
        latest = max(adoption.started_on, last_changes.get(adoption.pk, adoption.started_on))
        if item.last_activity is None or latest > item.last_activity:
            item.last_activity = latest
    for item in figures.values():
        pilot = item.pilot
        item.trend = trend(
            new_adoptions=item.new_adoptions,
            active_since=pilot.starts_on or timezone.localdate(pilot.created_at),
            last_activity=item.last_activity,
            today=today,
        )
    return list(figures.values())


def top_spreading(figures: Iterable[PilotFigures], *, limit: int = 5) -> list[PilotFigures]:
    """Pilots with living adoptions, the most new ones first, then the most adoptions."""
    ranked = sorted(
        (f for f in figures if f.active),
        key=lambda f: (-f.new_adoptions, -f.active, -f.implemented, f.pilot.title),
    )
    return ranked[:limit]


def figures_from_spread(
    pilots: Sequence[PilotProject], spread: Spread, *, today: datetime.date
) -> list[PilotFigures]:
    last_changes: dict[int, datetime.date] = {}
    for adoption, day, _state in spread.events:
        last_changes[adoption] = max(day, last_changes.get(adoption, day))
    return pilot_figures(pilots, spread.adoptions, last_changes, today=today)


# --- The office's overview ------------------------------------------------------


@dataclass(frozen=True)
class OfficeOverview:
    figures: list[PilotFigures]
    given_up: list[Adoption]
    unverified: list[Adoption]
    today: datetime.date

    @property
    def spreading(self) -> int:
        return sum(1 for f in self.figures if f.trend is Trend.SPREADING)

    @property
    def stalling(self) -> int:
        return sum(1 for f in self.figures if f.trend is Trend.STALLING)


def office_overview(*, today: datetime.date | None = None) -> OfficeOverview:
    """Every pilot with its adoptions and trend, given-up and unverified adoptions.

    Two queries: the pilots, and the adoptions with their latest state change.
    """
    today = today or timezone.localdate()
    pilots = list(PilotProject.objects.select_related("lead_municipality").order_by("title"))
    rows = (
        Adoption.objects.select_related("municipality", "pilot")
        .annotate(last_change=Max("history__effective_on"))
        .order_by("pilot__title", "municipality__name")
    )
    adoptions: list[Adoption] = list(rows)
    last_changes = {a.pk: a.last_change for a in rows if a.last_change}  # rows is cached
    figures = pilot_figures(pilots, adoptions, last_changes, today=today)
    figures.sort(key=lambda f: (list(Trend).index(f.trend), -f.new_adoptions, f.pilot.title))
    given_up = sorted(
        (a for a in adoptions if a.state == AdoptionState.GIVEN_UP),
        key=lambda a: (a.given_up_on or a.started_on, a.pk),
        reverse=True,
    )
    unverified = sorted(
        (a for a in adoptions if a.verified_at is None and a.state != AdoptionState.GIVEN_UP),
        key=lambda a: (a.created_at, a.pk),
    )
    return OfficeOverview(figures, given_up, unverified, today)
