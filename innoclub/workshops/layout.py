"""An event's workshops as the allocation sees them: sessions by time slot, who
takes part, the groups a person ranks, and what a seat counts as. Reads only."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q
from django.utils import formats, timezone

from innoclub.events.models import (
    Attendance,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
)
from innoclub.workshops.models import Placement, WorkshopAllocation, WorkshopChoice

# Seats of cancelled registrations do not count.
ACTIVE = ~Q(registration__status=RegistrationStatus.CANCELLED)


@dataclass
class Slot:
    """Workshop sessions that start at the same time: a person attends one of them."""

    index: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Workshops:
    """An event's workshop sessions with limited places, by time slot.

    ``repeating`` is true when some workshop is offered in several slots; then
    people rank workshops once for the whole event instead of per slot.
    """

    slots: list[Slot]

    @property
    def sessions(self) -> list[Session]:
        return [session for slot in self.slots for session in slot.sessions]

    @property
    def repeating(self) -> bool:
        return any(session.repeat_of_id for session in self.sessions)

    @cached_property
    def _slot_by_session(self) -> dict[int, Slot]:
        return {session.pk: slot for slot in self.slots for session in slot.sessions}

    def slot_of(self, session: Session) -> Slot:
        return self._slot_by_session[session.pk]

    def by_id(self) -> dict[int, Session]:
        return {session.pk: session for session in self.sessions}

    def rankable(self) -> list[Session]:
        """What a person ranks: every session per slot, or each workshop once when they repeat."""
        if self.repeating:
            return [session for session in self.sessions if session.repeat_of_id is None]
        return self.sessions


def event_workshops(event: Event) -> Workshops:
    """Workshop sessions with a place limit, grouped by start time. One query."""
    sessions = list(
        Session.objects.filter(event=event, kind=SessionKind.WORKSHOP, capacity__isnull=False)
        .order_by("starts_at", "title", "id")
        .only(
            "id",
            "event_id",
            "title",
            "slug",
            "starts_at",
            "ends_at",
            "room",
            "capacity",
            "minimum_participants",
            "repeat_of_id",
        )
    )
    slots: list[Slot] = []
    for session in sessions:
        if not slots or slots[-1].starts_at != session.starts_at:
            slots.append(Slot(len(slots), session.starts_at, session.ends_at, []))
        slots[-1].sessions.append(session)
        slots[-1].ends_at = max(slots[-1].ends_at, session.ends_at)
    return Workshops(slots)


def participants(event: Event) -> list[Registration]:
    """Who takes part in the allocation: confirmed registrations on site, in registration order."""
    return list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ONSITE
        )
        .select_related("user")
        .order_by("queued_at", "id")
    )


def moment_label(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def slot_label(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    return formats.date_format(start, "D j. F, H:i")


@dataclass
class RankingGroup:
    """One set of choices on the form: a time slot, or the whole event when workshops repeat."""

    key: str
    slot: Slot | None
    sessions: list[Session]
    choices: int


def ranking_groups(allocation: WorkshopAllocation, workshops: Workshops) -> list[RankingGroup]:
    if workshops.repeating:
        sessions = workshops.rankable()
        return [RankingGroup("alle", None, sessions, min(allocation.choices, len(sessions)))]
    return [
        RankingGroup(
            f"z{slot.index + 1}",
            slot,
            slot.sessions,
            min(allocation.choices, len(slot.sessions)),
        )
        for slot in workshops.slots
    ]


def choices_of(registration: Registration) -> dict[int, int]:
    """The person's wishes: session id → rank."""
    return dict(
        WorkshopChoice.objects.filter(registration=registration).values_list("session_id", "rank")
    )


def placement_rank(person: dict[int, int], session: Session, workshops: Workshops) -> int | None:
    """The rank stored with a seat: the person's rank for the workshop; None outside their
    wishes; 0 when they gave no wishes for the slot (any seat suits them)."""
    rank = person.get(session.workshop_id)
    if rank is not None:
        return rank
    in_slot = {s.workshop_id for s in workshops.slot_of(session).sessions}
    return None if in_slot & person.keys() else 0


def ranks_by_person(
    registration_ids: Iterable[int], workshops: Workshops
) -> dict[int, dict[int, int]]:
    """Person → workshop id → rank they gave it."""
    workshop_of = {session.pk: session.workshop_id for session in workshops.sessions}
    ranks: dict[int, dict[int, int]] = defaultdict(dict)
    for registration_id, session_id, rank in WorkshopChoice.objects.filter(
        registration_id__in=list(registration_ids)
    ).values_list("registration_id", "session_id", "rank"):
        if session_id in workshop_of:
            ranks[registration_id][workshop_of[session_id]] = rank
    return ranks


def seats_taken(session_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Placement.objects.filter(ACTIVE, session_id__in=list(session_ids))
        .values("session_id")
        .annotate(count=Count("id"))
        .values_list("session_id", "count")
    )


def late_registrations(
    registrations: list[Registration], workshops: Workshops
) -> list[Registration]:
    """Those of the participants who miss a seat in some slot: they registered late or
    moved up."""
    counts = dict(
        Placement.objects.filter(
            registration__in=registrations, session_id__in=[s.pk for s in workshops.sessions]
        )
        .values("registration_id")
        .annotate(count=Count("id"))
        .values_list("registration_id", "count")
    )
    return [r for r in registrations if counts.get(r.pk, 0) < len(workshops.slots)]
