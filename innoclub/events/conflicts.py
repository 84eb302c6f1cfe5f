"""Planning conflicts the office sees while building a program.

Three kinds: a speaker in two overlapping sessions (of any event, since one
person cannot be in two cities either), a room booked twice at overlapping
times within one event, and a session that lies outside the event's days
(compared as local dates in Europe/Berlin). Sessions without a room never
clash on rooms, so breaks in the foyer need no room.

Plain functions that read and return; nothing is written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from innoclub.events.models import Event, Session, SessionSpeaker

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Conflict:
    """One problem in a program; ``session_ids`` are the sessions concerned."""

    kind: str  # "speaker", "room" or "dates"
    session_ids: tuple[int, ...]
    message: str


def _overlap(a: Session, b: Session) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _time(session: Session) -> str:
    start = session.starts_at.astimezone(BERLIN)
    end = session.ends_at.astimezone(BERLIN)
    return f"{date_format(start, 'j. F Y')}, {start:%H:%M}–{end:%H:%M}"


def speaker_conflicts(sessions: Iterable[Session]) -> list[Conflict]:
    """Speakers of ``sessions`` who also appear in an overlapping session of any event."""
    sessions = list(sessions)
    if not sessions:
        return []
    own_ids = {session.pk for session in sessions}
    speaker_ids = SessionSpeaker.objects.filter(session_id__in=own_ids).values("speaker_id")
    appearances = SessionSpeaker.objects.filter(speaker_id__in=speaker_ids).select_related(
        "speaker", "session", "session__event"
    )
    by_speaker: dict[int, list[SessionSpeaker]] = defaultdict(list)
    for appearance in appearances:
        by_speaker[appearance.speaker_id].append(appearance)
    conflicts: list[Conflict] = []
    for speaker_appearances in by_speaker.values():
        ordered = sorted(speaker_appearances, key=lambda a: (a.session.starts_at, a.session_id))
        for first, second in combinations(ordered, 2):
            a, b = first.session, second.session
            if a.pk not in own_ids and b.pk not in own_ids:
                continue
            if not _overlap(a, b):
                continue
            if a.event_id == b.event_id:
                message = _(
                    "%(speaker)s is in two sessions at the same time: “%(first)s” and "
                    "“%(second)s” (%(time)s)."
                ) % {
                    "speaker": first.speaker.name,
                    "first": a.title,
                    "second": b.title,
                    "time": _time(b),
                }
            else:
                message = _(
                    "%(speaker)s is in “%(first)s” and at the same time in “%(second)s” "
                    "of %(event)s (%(time)s)."
                ) % {
                    "speaker": first.speaker.name,
                    "first": a.title if a.pk in own_ids else b.title,
                    "second": b.title if a.pk in own_ids else a.title,
                    "event": (b if a.pk in own_ids else a).event.title,
                    "time": _time(b),
                }
            conflicts.append(Conflict("speaker", (a.pk, b.pk), message))
    return conflicts


def room_conflicts(sessions: Iterable[Session]) -> list[Conflict]:
    """Rooms booked by two sessions at overlapping times; sessions without a room are left out."""
    by_room: dict[tuple[int, str], list[Session]] = defaultdict(list)
    for session in sessions:
        room = session.room.strip().casefold()
        if room:
            by_room[(session.event_id, room)].append(session)
    conflicts: list[Conflict] = []
    for booked in by_room.values():
        ordered = sorted(booked, key=lambda s: (s.starts_at, s.pk))
        for a, b in combinations(ordered, 2):
            if _overlap(a, b):
                message = _(
                    "Room “%(room)s” is booked twice: “%(first)s” and “%(second)s” (%(time)s)."
                ) % {"room": a.room, "first": a.title, "second": b.title, "time": _time(b)}
                conflicts.append(Conflict("room", (a.pk, b.pk), message))
    return conflicts


def date_conflicts(event: Event, sessions: Iterable[Session]) -> list[Conflict]:
    """Sessions that start before the event's first day or end after its last day."""
    conflicts: list[Conflict] = []
    first = date_format(event.starts_on, "j. F Y")
    last = date_format(event.ends_on, "j. F Y")
    for session in sessions:
        starts_on = session.starts_at.astimezone(BERLIN).date()
        # A session ending at midnight still belongs to the day before.
        ends_on = (session.ends_at.astimezone(BERLIN) - datetime.timedelta(microseconds=1)).date()
        if starts_on < event.starts_on or ends_on > event.ends_on:
            message = _(
                "“%(title)s” (%(time)s) lies outside the days of the event (%(first)s to %(last)s)."
            ) % {"title": session.title, "time": _time(session), "first": first, "last": last}
            conflicts.append(Conflict("dates", (session.pk,), message))
    return conflicts


def event_conflicts(event: Event) -> list[Conflict]:
    """Every conflict of the event's program. Three queries."""
    sessions = list(event.sessions.all())
    return [
        *date_conflicts(event, sessions),
        *room_conflicts(sessions),
        *speaker_conflicts(sessions),
    ]


def session_conflicts(session: Session) -> list[Conflict]:
    """The conflicts one session is part of."""
    if session.pk is None:
        return []
    return [c for c in event_conflicts(session.event) if session.pk in c.session_ids]


def conflicts_by_session(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Each session id with the conflicts it is part of."""
    result: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for session_id in conflict.session_ids:
            result[session_id].append(conflict)
    return dict(result)
