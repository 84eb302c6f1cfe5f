"""Workshop allocation: who attends which session, provably optimal and fair.

Pure Python on top of OR-Tools (min-cost flow) and HiGHS (integer programming); no Django.
The Django layer turns its models into an ``Instance`` and stores the ``Result``.

The objective is lexicographic, fairness first:

1. as many placements (person-slot pairs) as possible;
2. then the best possible worst rank anyone receives;
3. then the smallest total ``rank_cost``, a convex cost, so that one person dropping from
   their first to their fifth choice weighs more than several moving from first to second.

Locked placements (speakers in their own session, placements the office fixed) are part of
every result but count neither for the worst rank nor for the cost. The seed only breaks ties
between equally good allocations; the same seed and instance give the same result as long as
no time limit cuts a solve short.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from innoclub.workshops.solver_flow import allocate_by_flow
from innoclub.workshops.solver_milp import Allocation, allocate_by_milp

SLOT_FULL = "slot_full"
NO_FITTING_SEAT = "no_fitting_seat"


@dataclass(frozen=True)
class Offering:
    """One session of a workshop in one slot."""

    id: int
    workshop: int
    slot: int
    capacity: int
    minimum: int = 0


@dataclass(frozen=True)
class Person:
    id: int
    ranks: Mapping[int, int]  # workshop key -> rank, 1 = best; unranked workshops absent
    order: int = 0  # registration order, for first come, first served


@dataclass(frozen=True)
class Instance:
    offerings: tuple[Offering, ...]
    people: tuple[Person, ...]
    # K: the most ranks a person gives, per slot when every workshop runs in one slot only,
    # else per event. So a rank may repeat only between workshops that never share a slot.
    choices: int
    locks: Mapping[int, tuple[int, ...]] = field(default_factory=dict)  # person -> offering ids


@dataclass
class Unplaced:
    person: int
    slot: int
    reason: str  # SLOT_FULL or NO_FITTING_SEAT


@dataclass
class Result:
    placements: dict[int, dict[int, int]]  # person -> slot -> offering id, locks included
    unplaced: list[Unplaced]
    cancelled: tuple[int, ...]
    below_minimum: tuple[int, ...]
    # Rank 0..K+1 -> non-locked placements. K+1 = outside the person's ranking; 0 = a slot in
    # which the person ranked nothing, so any seat suits them: it costs nothing and does not
    # count for the worst rank.
    histogram: dict[int, int]
    worst_rank: int | None
    cost: int
    bound: float | None
    optimal: bool
    method: str  # "flow", "milp", or "fcfs" (baseline, or the integer program out of time)
    seconds: float


class InstanceError(ValueError):
    """The instance contradicts itself; ``problems`` holds German sentences for the office."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def rank_cost(rank: int) -> int:
    """Convex in the rank: one big disappointment outweighs several small ones."""
    return rank * rank


@dataclass(frozen=True)
class Seeker:
    """A person as the solvers see them: the slots their locks leave open."""

    person: int
    open_slots: tuple[int, ...]
    ranks: Mapping[int, int]
    taken: frozenset[int]  # workshops they already have through a lock
    indifferent: frozenset[int]  # slots in which they ranked no workshop: rank 0 there


@dataclass(frozen=True)
class Problem:
    """What remains to be decided once the locks are placed; input of both solvers."""

    choices: int
    costs: tuple[int, ...]  # rank_cost by rank, index 0..K+1
    seekers: tuple[Seeker, ...]  # in the seed's order, which breaks ties
    offerings: tuple[Offering, ...]  # only those with seats left; capacity = seats left


def validate(instance: Instance) -> list[str]:
    """German descriptions of everything contradictory in ``instance``; [] when fine."""
    problems: list[str] = []
    choices = instance.choices
    if choices < 0:
        problems.append("Die Zahl der Wünsche darf nicht negativ sein.")
    offerings: dict[int, Offering] = {}
    for offering in instance.offerings:
        if offering.id in offerings:
            problems.append(f"Angebot {offering.id} ist mehrfach vorhanden.")
        offerings[offering.id] = offering
        if offering.capacity < 0:
            problems.append(f"Angebot {offering.id} hat eine negative Platzzahl.")
        if offering.minimum < 0:
            problems.append(f"Angebot {offering.id} hat eine negative Mindestteilnehmerzahl.")
    slots_of = _slots_of_workshops(instance)

    people: set[int] = set()
    for person in instance.people:
        if person.id in people:
            problems.append(f"Person {person.id} ist mehrfach vorhanden.")
        people.add(person.id)
        slots_by_rank: dict[int, list[set[int]]] = defaultdict(list)
        for workshop, rank in person.ranks.items():
            if workshop not in slots_of:
                problems.append(
                    f"Person {person.id} hat einen Rang für den unbekannten Workshop {workshop} "
                    "vergeben."
                )
            elif not 1 <= rank <= choices:
                problems.append(
                    f"Person {person.id} hat Rang {rank} vergeben; erlaubt sind 1 bis {choices}."
                )
            else:
                slots_by_rank[rank].append(slots_of[workshop])
        problems.extend(
            f"Person {person.id} hat Rang {rank} mehrfach vergeben."
            for rank, slot_sets in sorted(slots_by_rank.items())
            if len(slot_sets) > 1 and sum(map(len, slot_sets)) > len(set().union(*slot_sets))
        )

    locked: Counter[int] = Counter()
    for person_id, offering_ids in sorted(instance.locks.items()):
        if person_id not in people:
            problems.append(f"Festlegung für unbekannte Person {person_id}.")
        seen: set[int] = set()
        slots: set[int] = set()
        workshops_locked: set[int] = set()
        for offering_id in offering_ids:
            target = offerings.get(offering_id)
            if target is None:
                problems.append(f"Festlegung auf unbekanntes Angebot {offering_id}.")
                continue
            if offering_id in seen:
                problems.append(
                    f"Person {person_id} ist zweimal auf Angebot {offering_id} festgelegt."
                )
                continue
            seen.add(offering_id)
            locked[offering_id] += 1
            if target.slot in slots:
                problems.append(
                    f"Person {person_id} ist im Zeitfenster {target.slot} zweimal festgelegt."
                )
            elif target.workshop in workshops_locked:
                problems.append(
                    f"Person {person_id} ist zweimal für denselben Workshop festgelegt."
                )
            slots.add(target.slot)
            workshops_locked.add(target.workshop)
    for offering_id, count in sorted(locked.items()):
        capacity = offerings[offering_id].capacity
        if count > capacity:
            problems.append(
                f"Angebot {offering_id} hat mehr festgelegte Personen ({count}) "
                f"als Plätze ({capacity})."
            )
    return problems


def solve(
    instance: Instance,
    *,
    seed: int = 0,
    cancel_below_minimum: bool = False,
    time_limit: float | None = None,
) -> Result:
    """The lexicographically best allocation (see the module docstring).

    Uses min-cost flow when every workshop runs in one slot only, otherwise an integer
    program. With ``cancel_below_minimum`` it cancels, one at a time, the offering with the
    fewest participants among those under their minimum (ties: lowest id), drops its locks
    and solves again, until no offering is under its minimum; ``optimal`` then refers to the
    instance without the cancelled offerings. ``time_limit`` (seconds) bounds the integer
    program loosely (flows need no limit); when it cuts a solve short the result is the best
    allocation found, ``optimal`` false, and ``method`` "fcfs" if that is still the first come,
    first served allocation the integer program starts from.

    Raises InstanceError when ``validate`` finds problems. No side effects.
    """
    started = time.perf_counter()
    problems = validate(instance)
    if problems:
        raise InstanceError(problems)
    deadline = None if time_limit is None else started + time_limit
    current = instance
    cancelled: list[int] = []
    while True:
        allocation, method = _allocate(current, seed, deadline)
        placements = _placements_with_locks(current, allocation.chosen)
        below = _below_minimum(current, placements)
        if not cancel_below_minimum or not below:
            break
        victim = min(below, key=lambda offering: (below[offering], offering))
        cancelled.append(victim)
        current = _without_offering(current, victim)
    return _result(
        instance,
        current,
        placements,
        cancelled=tuple(cancelled),
        method=method,
        optimal=allocation.optimal,
        bound=allocation.bound,
        started=started,
    )


def first_come_first_served(instance: Instance) -> Result:
    """The baseline: people in registration order each take the best seat still free.

    Locks are placed first. Per slot (ascending) a person takes their best-ranked offering
    with a free seat that does not repeat a workshop they have, else the unranked offering
    with the most free seats (ties: lowest id), else stays unplaced. Raises InstanceError
    like ``solve``. No side effects.
    """
    started = time.perf_counter()
    problems = validate(instance)
    if problems:
        raise InstanceError(problems)
    placements = _placements_with_locks(instance, {})
    free = _free_seats(instance, placements)
    offerings = _offerings_by_id(instance)
    has = {
        person: {offerings[offering].workshop for offering in slots.values()}
        for person, slots in placements.items()
    }
    by_slot: dict[int, list[Offering]] = defaultdict(list)
    for offering in sorted(instance.offerings, key=lambda offering: offering.id):
        by_slot[offering.slot].append(offering)
    for person in sorted(instance.people, key=lambda person: (person.order, person.id)):
        for slot in sorted(by_slot):
            if slot in placements[person.id]:
                continue
            options = [
                offering
                for offering in by_slot[slot]
                if free[offering.id] > 0 and offering.workshop not in has[person.id]
            ]
            ranked = [offering for offering in options if offering.workshop in person.ranks]
            if ranked:
                pick = min(ranked, key=lambda offering: person.ranks[offering.workshop])
            elif options:
                pick = max(options, key=lambda offering: (free[offering.id], -offering.id))
            else:
                continue
            placements[person.id][slot] = pick.id
            has[person.id].add(pick.workshop)
            free[pick.id] -= 1
    return _result(
        instance,
        instance,
        placements,
        cancelled=(),
        method="fcfs",
        optimal=False,
        bound=None,
        started=started,
    )


def _allocate(instance: Instance, seed: int, deadline: float | None) -> tuple[Allocation, str]:
    problem = _prepare(instance, seed)
    if all(len(slots) == 1 for slots in _slots_of_workshops(instance).values()):
        return allocate_by_flow(problem), "flow"
    start = _chosen_without_locks(instance, first_come_first_served(instance).placements)
    allocation = allocate_by_milp(problem, start, deadline)
    # Out of time before HiGHS improved on its start, the allocation is first come, first served.
    unimproved = not allocation.optimal and allocation.chosen == start
    return allocation, "fcfs" if unimproved else "milp"


def _prepare(instance: Instance, seed: int) -> Problem:
    offerings = _offerings_by_id(instance)
    locked = Counter(
        offering for offering_ids in instance.locks.values() for offering in offering_ids
    )
    slots = sorted({offering.slot for offering in instance.offerings})
    workshops_in = _workshops_by_slot(instance)
    seekers = []
    for person in sorted(instance.people, key=lambda person: person.id):
        mine = [offerings[offering] for offering in instance.locks.get(person.id, ())]
        locked_slots = {offering.slot for offering in mine}
        seekers.append(
            Seeker(
                person=person.id,
                open_slots=tuple(slot for slot in slots if slot not in locked_slots),
                ranks=person.ranks,
                taken=frozenset(offering.workshop for offering in mine),
                indifferent=frozenset(
                    slot for slot in slots if not workshops_in[slot] & person.ranks.keys()
                ),
            )
        )
    random.Random(seed).shuffle(seekers)  # noqa: S311 - tie-breaking, not secrecy
    return Problem(
        choices=instance.choices,
        costs=tuple(rank_cost(rank) for rank in range(instance.choices + 2)),
        seekers=tuple(seekers),
        offerings=tuple(
            replace(offering, capacity=offering.capacity - locked[offering.id])
            for offering in sorted(instance.offerings, key=lambda offering: offering.id)
            if offering.capacity > locked[offering.id]
        ),
    )


def _workshops_by_slot(instance: Instance) -> dict[int, set[int]]:
    """Slot -> the workshops offered in it (full ones included)."""
    workshops: dict[int, set[int]] = defaultdict(set)
    for offering in instance.offerings:
        workshops[offering.slot].add(offering.workshop)
    return workshops


def placement_rank(
    person: Person, offering: Offering, workshops_in_slot: set[int], choices: int
) -> int:
    """The rank a placement counts as: the person's rank for the workshop, K+1 outside their
    ranking, 0 when they ranked no workshop of the slot at all (any seat suits them)."""
    rank = person.ranks.get(offering.workshop)
    if rank is not None:
        return rank
    return choices + 1 if workshops_in_slot & person.ranks.keys() else 0


def _slots_of_workshops(instance: Instance) -> dict[int, set[int]]:
    slots_of: dict[int, set[int]] = defaultdict(set)
    for offering in instance.offerings:
        slots_of[offering.workshop].add(offering.slot)
    return slots_of


def _offerings_by_id(instance: Instance) -> dict[int, Offering]:
    return {offering.id: offering for offering in instance.offerings}


def _placements_with_locks(
    instance: Instance, chosen: Mapping[tuple[int, int], int]
) -> dict[int, dict[int, int]]:
    offerings = _offerings_by_id(instance)
    placements: dict[int, dict[int, int]] = {person.id: {} for person in instance.people}
    for person, offering_ids in instance.locks.items():
        for offering_id in offering_ids:
            placements[person][offerings[offering_id].slot] = offering_id
    for (person, slot), offering_id in chosen.items():
        placements[person][slot] = offering_id
    return placements


def _chosen_without_locks(
    instance: Instance, placements: Mapping[int, Mapping[int, int]]
) -> dict[tuple[int, int], int]:
    return {
        (person, slot): offering_id
        for person, slots in placements.items()
        for slot, offering_id in slots.items()
        if offering_id not in instance.locks.get(person, ())
    }


def _free_seats(instance: Instance, placements: Mapping[int, Mapping[int, int]]) -> dict[int, int]:
    taken = Counter(offering for slots in placements.values() for offering in slots.values())
    return {offering.id: offering.capacity - taken[offering.id] for offering in instance.offerings}


def _below_minimum(
    instance: Instance, placements: Mapping[int, Mapping[int, int]]
) -> dict[int, int]:
    """Offering id -> participants, for offerings under their minimum."""
    taken = Counter(offering for slots in placements.values() for offering in slots.values())
    return {
        offering.id: taken[offering.id]
        for offering in instance.offerings
        if taken[offering.id] < offering.minimum
    }


def _without_offering(instance: Instance, offering_id: int) -> Instance:
    return replace(
        instance,
        offerings=tuple(offering for offering in instance.offerings if offering.id != offering_id),
        locks={
            person: tuple(offering for offering in offering_ids if offering != offering_id)
            for person, offering_ids in instance.locks.items()
        },
    )


def _result(
    original: Instance,
    current: Instance,
    placements: dict[int, dict[int, int]],
    *,
    cancelled: tuple[int, ...],
    method: str,
    optimal: bool,
    bound: float | None,
    started: float,
) -> Result:
    """Figures and reasons for ``placements`` of ``current`` (``original`` minus cancellations)."""
    offerings = _offerings_by_id(current)
    choices = current.choices
    histogram = dict.fromkeys(range(choices + 2), 0)
    people = {person.id: person for person in current.people}
    workshops_in = _workshops_by_slot(original)
    for person, slots in placements.items():
        for slot, offering_id in slots.items():
            if offering_id not in current.locks.get(person, ()):
                rank = placement_rank(
                    people[person], offerings[offering_id], workshops_in[slot], choices
                )
                histogram[rank] += 1
    free = _free_seats(current, placements)
    slots_with_room = {offerings[offering].slot for offering, seats in free.items() if seats > 0}
    unplaced = [
        Unplaced(person, slot, NO_FITTING_SEAT if slot in slots_with_room else SLOT_FULL)
        for person in sorted(placements)
        for slot in sorted({offering.slot for offering in original.offerings})
        if slot not in placements[person]
    ]
    used = [rank for rank, count in histogram.items() if count and rank > 0]
    return Result(
        placements=placements,
        unplaced=unplaced,
        cancelled=cancelled,
        below_minimum=tuple(sorted(_below_minimum(current, placements))),
        histogram=histogram,
        worst_rank=max(used) if used else None,
        cost=sum(rank_cost(rank) * count for rank, count in histogram.items()),
        bound=bound,
        optimal=optimal,
        method=method,
        seconds=time.perf_counter() - started,
    )
