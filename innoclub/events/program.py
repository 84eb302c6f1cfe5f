"""Reads for the public event pages: the list and archive, the program by day
and time slot, a session, a speaker. Every read starts from
``selectors.events_visible`` so nothing hidden slips through.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from innoclub.events import selectors
from innoclub.events.models import AgendaItem, Event, Session, SessionSpeaker, Speaker, SpeakerRole
from innoclub.network.models import Topic

if TYPE_CHECKING:
    from innoclub.core.access import AnyUser

BERLIN = ZoneInfo("Europe/Berlin")


# --- List and archive ------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    """The archive's filters from the query string; invalid values are ignored."""

    year: int | None = None
    topic: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> EventFilters:
        raw_year = query.get("jahr", "").strip()
        year = int(raw_year) if raw_year.isdigit() and 1900 <= int(raw_year) <= 2999 else None
        topic = query.get("thema", "").strip()
        return cls(year=year, topic=topic if len(topic) <= 80 else "")


@dataclass
class EventOverview:
    upcoming: list[Event]
    archive: list[tuple[int, list[Event]]]  # (year, events), newest year first
    years: list[int]
    topics: list[Topic]
    filters: EventFilters
    is_filtered: bool


def event_overview(
    *, user: AnyUser, filters: EventFilters, today: datetime.date | None = None
) -> EventOverview:
    """Upcoming events (soonest first) and the archive of past ones by year.

    The filters narrow the archive only; upcoming events always show. Four
    queries whatever the number of events.
    """
    today = today or timezone.localdate()
    visible = selectors.events_visible(user)
    events = list(
        visible.select_related("series")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("-starts_on", "title")
    )
    topics = list(Topic.objects.filter(events__in=visible).distinct().order_by("name"))
    topic = next((t for t in topics if t.slug == filters.topic), None)
    filters = EventFilters(year=filters.year, topic=topic.slug if topic else "")
    upcoming = sorted(
        (e for e in events if e.ends_on >= today), key=lambda e: (e.starts_on, e.title)
    )
    past = [e for e in events if e.ends_on < today]
    years = sorted({e.starts_on.year for e in past}, reverse=True)
    if filters.year not in years:
        filters = EventFilters(year=None, topic=filters.topic)
    shown = [
        e
        for e in past
        if (filters.year is None or e.starts_on.year == filters.year)
        and (topic is None or any(t.pk == topic.pk for t in e.topics.all()))
    ]
    archive = [
        (year, list(group)) for year, group in groupby(shown, key=lambda e: e.starts_on.year)
    ]
    return EventOverview(
        upcoming=upcoming,
        archive=archive,
        years=years,
        topics=topics,
        filters=filters,
        is_filtered=bool(filters.year or filters.topic),
    )


# --- Program ---------------------------------------------------------------


def _sessions(queryset: QuerySet[Session]) -> QuerySet[Session]:
    appearances = SessionSpeaker.objects.select_related("speaker").order_by(
        "role", "position", "id"
    )
    return queryset.prefetch_related(
        Prefetch("appearances", queryset=appearances),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
    ).order_by("starts_at", "room", "title")


@dataclass
class Slot:
    starts_at: datetime.datetime
    sessions: list[Session]

    @property
    def is_parallel(self) -> bool:
        return len(self.sessions) > 1


@dataclass
class ProgramDay:
    day: datetime.date
    slots: list[Slot] = field(default_factory=list)


def program_days(sessions: list[Session]) -> list[ProgramDay]:
    """Sessions by local day and by start time; sessions starting together run in parallel."""
    days: list[ProgramDay] = []
    for day, in_day in groupby(sessions, key=lambda s: s.starts_at.astimezone(BERLIN).date()):
        program_day = ProgramDay(day=day)
        for starts_at, in_slot in groupby(in_day, key=lambda s: s.starts_at):
            program_day.slots.append(Slot(starts_at=starts_at, sessions=list(in_slot)))
        days.append(program_day)
    return days


def event_program(event: Event) -> list[ProgramDay]:
    """The event's program with speakers and topics. Three queries."""
    return program_days(list(_sessions(event.sessions.all())))


@dataclass(frozen=True)
class Agenda:
    """A participant's sessions in one event: those they marked, and the workshops
    they have a seat in once the workshop allocation is published (``placed``),
    which they cannot take out themselves."""

    marked: frozenset[int] = frozenset()
    placed: frozenset[int] = frozenset()

    def __contains__(self, session_id: object) -> bool:
        return session_id in self.marked or session_id in self.placed


def agenda_session_ids(*, user: AnyUser, event: Event) -> Agenda:
    """One query: marked sessions and published workshop seats (read through the
    workshops app's reverse relations; that app owns the writes)."""
    if not user.is_authenticated:
        return Agenda()
    marked = AgendaItem.objects.filter(user=user, session__event=event).annotate(
        placed=Value(False)
    )
    placed = Session.objects.filter(
        event=event,
        workshop_placements__registration__user=user,
        event__workshop_allocation__published_at__isnull=False,
    ).annotate(session_id=F("id"), placed=Value(True))
    rows = (
        marked.order_by()
        .values_list("session_id", "placed")
        .union(placed.order_by().values_list("session_id", "placed"), all=True)
    )
    ids: dict[bool, set[int]] = {False: set(), True: set()}
    for session_id, is_placed in rows:
        ids[bool(is_placed)].add(session_id)
    return Agenda(marked=frozenset(ids[False]), placed=frozenset(ids[True]))


def session_for_viewer(*, user: AnyUser, event: Event, slug: str) -> Session:
    """One session of an event the viewer already may see; 404 if missing."""
    try:
        return _sessions(Session.objects.filter(event=event)).get(slug=slug)
    except Session.DoesNotExist:
        raise Http404 from None


def speakers_by_role(session: Session) -> tuple[list[Speaker], list[Speaker]]:
    """(speakers, moderators) of a session whose appearances are prefetched."""
    appearances = list(session.appearances.all())
    speakers = [a.speaker for a in appearances if a.role == SpeakerRole.SPEAKER]
    moderators = [a.speaker for a in appearances if a.role == SpeakerRole.MODERATOR]
    return speakers, moderators


# --- Speakers --------------------------------------------------------------


@dataclass
class SpeakerPage:
    speaker: Speaker
    sessions: Sequence[Session]


def speaker_for_viewer(*, user: AnyUser, slug: str) -> SpeakerPage:
    """A speaker with their sessions in events the viewer may see, newest first.

    404 when the speaker is unknown or all their sessions are hidden: a
    speaker page must not reveal a members-only forum.
    """
    try:
        speaker = Speaker.objects.get(slug=slug)
    except Speaker.DoesNotExist:
        raise Http404 from None
    sessions = list(
        Session.objects.filter(
            appearances__speaker=speaker, event__in=selectors.events_visible(user)
        )
        .annotate(speaker_role=F("appearances__role"))
        .select_related("event", "event__series")
        .order_by("-starts_at", "title")
    )
    if not sessions:
        raise Http404
    return SpeakerPage(speaker=speaker, sessions=sessions)
