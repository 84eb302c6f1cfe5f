"""Computing an allocation without storing it: the solver's instance built from
the database, contradictory locks in words the office understands, and the
figures the preview shows next to first come, first served."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from innoclub.events.models import Registration, Session, SessionSpeaker
from innoclub.workshops import solver
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.layout import (
    Workshops,
    event_workshops,
    participants,
    ranks_by_person,
    slot_label,
)
from innoclub.workshops.models import Placement, WorkshopAllocation


@dataclass
class Run:
    """A computed allocation before it is stored: the solver's result, first come,
    first served on the same data, and what the solver was given."""

    result: solver.Result
    fcfs: solver.Result
    workshops: Workshops
    registrations: dict[int, Registration]
    ranks: dict[int, dict[int, int]]  # person -> workshop id -> rank they gave it
    speakers: dict[int, set[int]]  # person -> sessions they speak in or moderate
    figures: dict[str, Any]


def _instance(
    allocation: WorkshopAllocation,
    workshops: Workshops,
    registrations: list[Registration],
    ranks: dict[int, dict[int, int]],
) -> tuple[solver.Instance, dict[int, set[int]]]:
    """The solver's view of the event. Also returns the speaker locks (person → sessions)."""
    offerings = tuple(
        solver.Offering(
            id=session.pk,
            workshop=session.workshop_id,
            slot=workshops.slot_of(session).index,
            capacity=session.capacity or 0,
            minimum=session.minimum_participants or 0,
        )
        for session in workshops.sessions
    )
    people = tuple(
        solver.Person(id=registration.pk, ranks=ranks[registration.pk], order=order)
        for order, registration in enumerate(registrations)
    )
    session_ids = [session.pk for session in workshops.sessions]
    by_user = {registration.user_id: registration.pk for registration in registrations}
    speakers: dict[int, set[int]] = defaultdict(set)
    for user_id, session_id in SessionSpeaker.objects.filter(
        session_id__in=session_ids, speaker__user_id__in=by_user
    ).values_list("speaker__user_id", "session_id"):
        speakers[by_user[user_id]].add(session_id)
    locks = defaultdict(set, {person: set(sessions) for person, sessions in speakers.items()})
    for registration_id, session_id in Placement.objects.filter(
        registration_id__in=list(by_user.values()), session_id__in=session_ids, locked=True
    ).values_list("registration_id", "session_id"):
        locks[registration_id].add(session_id)
    instance = solver.Instance(
        offerings=offerings,
        people=people,
        # Per slot (or per event when workshops repeat) a person ranks up to ``choices``.
        choices=allocation.choices,
        locks={person: tuple(sorted(sessions)) for person, sessions in locks.items()},
    )
    return instance, speakers


def _check_locks(
    instance: solver.Instance, workshops: Workshops, registrations: dict[int, Registration]
) -> list[str]:
    """Contradictory locks, in words the office understands."""
    sessions = workshops.by_id()
    problems: list[str] = []
    taken: dict[int, int] = defaultdict(int)
    for person, locked in instance.locks.items():
        name = registrations[person].user.get_full_name()
        slots: dict[int, list[Session]] = defaultdict(list)
        seen: dict[int, Session] = {}
        for session_id in locked:
            session = sessions[session_id]
            taken[session_id] += 1
            slots[workshops.slot_of(session).index].append(session)
            if session.workshop_id in seen:
                problems.append(
                    _("%(name)s is fixed twice to the workshop “%(title)s”.")
                    % {"name": name, "title": session.title}
                )
            seen[session.workshop_id] = session
        for index, clashing in sorted(slots.items()):
            if len(clashing) > 1:
                problems.append(
                    _(
                        "%(name)s is fixed to %(count)d workshops at the same time (%(when)s): %(titles)s."
                    )
                    % {
                        "name": name,
                        "count": len(clashing),
                        "when": slot_label(workshops.slots[index]),
                        "titles": ", ".join(f"„{session.title}“" for session in clashing),
                    }
                )
    for session_id, count in sorted(taken.items()):
        session = sessions[session_id]
        if session.capacity is not None and count > session.capacity:
            problems.append(
                _("“%(title)s” has %(count)d fixed participants but only %(capacity)d places.")
                % {"title": session.title, "count": count, "capacity": session.capacity}
            )
    return problems


def _figures(result: solver.Result, choices: int) -> dict[str, Any]:
    """Rank 0 in the histogram: seats of people who gave no wishes for that slot. They are
    counted as placed but left out of the shares, which speak of wishes."""
    placed = sum(result.histogram.values())
    wished = placed - result.histogram.get(0, 0)
    outside = result.histogram.get(choices + 1, 0)
    return {
        "histogram": {
            str(rank): count for rank, count in sorted(result.histogram.items()) if count
        },
        "placed": placed,
        "without_wishes": placed - wished,
        "worst_rank": result.worst_rank,
        "first_share": round(result.histogram.get(1, 0) / wished, 4) if wished else 0.0,
        "outside": outside,
        "outside_share": round(outside / wished, 4) if wished else 0.0,
        "unplaced": len(result.unplaced),
        "cost": result.cost,
    }


def allocation_compute(*, allocation: WorkshopAllocation, seed: int | None = None) -> Run:
    """Solve the allocation (and first come, first served for comparison) without storing it."""
    event = allocation.event
    workshops = event_workshops(event)
    if not workshops.slots:
        raise AllocationError(_("This event has no workshops with limited places."))
    registrations = participants(event)
    if not registrations:
        raise AllocationError(_("No confirmed on-site participants yet."))
    by_id = {registration.pk: registration for registration in registrations}
    ranks = ranks_by_person(by_id, workshops)
    instance, speakers = _instance(allocation, workshops, registrations, ranks)
    problems = _check_locks(instance, workshops, by_id)
    if problems:
        raise AllocationError(*problems)
    seed = allocation.seed if seed is None else seed
    try:
        result = solver.solve(
            instance, seed=seed, cancel_below_minimum=allocation.cancel_below_minimum
        )
    except solver.InstanceError as error:
        raise AllocationError(*error.problems) from error
    fcfs = solver.first_come_first_served(instance)
    choices = instance.choices
    figures = {
        "seed": seed,
        "method": result.method,
        "optimal": result.optimal,
        "seconds": round(result.seconds, 3),
        "bound": result.bound,
        "people": len(registrations),
        "seats": sum(session.capacity or 0 for session in workshops.sessions),
        "slots": len(workshops.slots),
        "choices": choices,
        "repeating": workshops.repeating,
        "ranked": sum(1 for person in instance.people if person.ranks),
        "allocation": _figures(result, choices),
        "fcfs": _figures(fcfs, choices),
        "unplaced": [
            {
                "registration": item.person,
                "slot": workshops.slots[item.slot].starts_at.isoformat(),
                "reason": item.reason,
            }
            for item in result.unplaced
        ],
        "cancelled": list(result.cancelled),
        "below_minimum": list(result.below_minimum),
    }
    return Run(result, fcfs, workshops, by_id, ranks, speakers, figures)
