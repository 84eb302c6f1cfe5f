"""Reads of the workshop allocation: a person's own workshops, and the office's
overview of the stored preview. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from innoclub.events.models import Event, Registration, Session
from innoclub.workshops.layout import (
    ACTIVE,
    Slot,
    Workshops,
    event_workshops,
    late_registrations,
    participants,
)
from innoclub.workshops.models import Placement, WorkshopAllocation, WorkshopChoice


def allocation_of(event: Event) -> WorkshopAllocation | None:
    return WorkshopAllocation.objects.filter(event=event).first()


@dataclass
class MyWorkshop:
    """One time slot of a person's day and the seat they have in it (or None)."""

    slot: Slot
    placement: Placement | None


def my_workshops(
    registration: Registration,
    *,
    allocation: WorkshopAllocation | None = None,
    workshops: Workshops | None = None,
) -> list[MyWorkshop]:
    """The person's seats by time slot once the allocation is published, else [].

    Three queries; one when the caller passes the allocation and the workshops it has.
    """
    allocation = allocation or allocation_of(registration.event)
    if allocation is None or not allocation.is_published:
        return []
    workshops = workshops or event_workshops(registration.event)
    placements = {
        placement.session_id: placement
        for placement in Placement.objects.filter(registration=registration).select_related(
            "session__event"
        )
    }
    rows = []
    for slot in workshops.slots:
        mine = next((placements[s.pk] for s in slot.sessions if s.pk in placements), None)
        rows.append(MyWorkshop(slot, mine))
    return rows


@dataclass
class SessionSeats:
    session: Session
    placements: list[Placement] = field(default_factory=list)
    wished_first: int = 0

    @property
    def taken(self) -> int:
        return len(self.placements)

    @property
    def free(self) -> int:
        return max((self.session.capacity or 0) - self.taken, 0)

    @property
    def below_minimum(self) -> bool:
        minimum = self.session.minimum_participants or 0
        return self.taken < minimum


@dataclass
class SlotSeats:
    slot: Slot
    sessions: list[SessionSeats]


@dataclass
class Unplaced:
    registration: Registration
    starts_at: datetime.datetime
    reason: str


@dataclass
class Overview:
    """What the office sees: seats per session with the people in them, wishes
    received, who is not placed and why, and late registrants waiting for a seat."""

    allocation: WorkshopAllocation
    workshops: Workshops
    slots: list[SlotSeats]
    participants: int
    ranked: int
    unplaced: list[Unplaced]
    late: list[Registration]
    cancelled: list[Session]


def office_overview(allocation: WorkshopAllocation) -> Overview:
    """Six queries whatever the number of people and sessions."""
    event = allocation.event
    workshops = event_workshops(event)
    sessions = workshops.by_id()
    registrations = participants(event)
    by_id = {registration.pk: registration for registration in registrations}
    seats = {pk: SessionSeats(session) for pk, session in sessions.items()}
    for placement in (
        Placement.objects.filter(ACTIVE, session_id__in=list(sessions))
        .select_related("registration__user")
        .order_by("registration__user__last_name", "registration__user__first_name", "id")
    ):
        seats[placement.session_id].placements.append(placement)
    ranked_ids = set(
        WorkshopChoice.objects.filter(registration__in=registrations).values_list(
            "registration_id", flat=True
        )
    )
    for session_id, count in (
        WorkshopChoice.objects.filter(
            registration__in=registrations, rank=1, session_id__in=list(sessions)
        )
        .values("session_id")
        .annotate(count=Count("id"))
        .values_list("session_id", "count")
    ):
        seats[session_id].wished_first = count
    slots = [SlotSeats(slot, [seats[s.pk] for s in slot.sessions]) for slot in workshops.slots]
    unplaced = []
    for item in allocation.preview.get("unplaced", []):
        registration = by_id.get(item["registration"])
        if registration is not None:
            unplaced.append(
                Unplaced(
                    registration,
                    datetime.datetime.fromisoformat(item["slot"]),
                    item["reason"],
                )
            )
    late = late_registrations(registrations, workshops) if allocation.is_published else []
    cancelled = [sessions[pk] for pk in allocation.preview.get("cancelled", []) if pk in sessions]
    return Overview(
        allocation=allocation,
        workshops=workshops,
        slots=slots,
        participants=len(registrations),
        ranked=len(ranked_ids),
        unplaced=unplaced,
        late=late,
        cancelled=cancelled,
    )
