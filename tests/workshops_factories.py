"""Events with workshops in parallel time slots, for the allocation tests."""

from __future__ import annotations

import datetime
from typing import cast

import factory
from django.utils import timezone

from innoclub.events.models import Event, Session, SessionKind
from innoclub.workshops.models import WorkshopAllocation
from tests.factories import EventFactory, SessionFactory, _berlin


class WorkshopSessionFactory(SessionFactory):
    """A 90-minute workshop with 10 places at 14:00 on the event's first day."""

    kind = SessionKind.WORKSHOP
    starts_at = factory.LazyAttribute(lambda o: _berlin(o.event.starts_on, 14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    capacity = 10


class WorkshopAllocationFactory(factory.django.DjangoModelFactory):
    """Wishes open for another week, three choices per slot."""

    class Meta:
        model = WorkshopAllocation

    event = factory.SubFactory(EventFactory)
    ranking_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    choices = 3


def workshop_event(
    *, slots: int = 2, per_slot: int = 3, capacity: int = 10, repeating: bool = False
) -> tuple[Event, list[list[Session]]]:
    """An event with ``slots`` time slots of ``per_slot`` parallel workshops.

    With ``repeating`` the same workshops run again in every slot (the later
    sessions repeat the first slot's).
    """
    event = cast(Event, EventFactory())
    grid: list[list[Session]] = []
    for index in range(slots):
        hour = 10 + 3 * index
        row = []
        for position in range(per_slot):
            first = grid[0][position] if repeating and grid else None
            row.append(
                cast(
                    Session,
                    WorkshopSessionFactory(
                        event=event,
                        title=first.title
                        if first
                        else f"Werkstatt {chr(65 + position)}{index + 1}",
                        slug=f"werkstatt-{chr(97 + position)}-{index + 1}",
                        starts_at=_berlin(event.starts_on, hour),
                        ends_at=_berlin(event.starts_on, hour) + datetime.timedelta(minutes=90),
                        capacity=capacity,
                        room=f"Raum {position + 1}",
                        repeat_of=first,
                    ),
                )
            )
        grid.append(row)
    return event, grid
