"""The workshop allocation solver, checked against exhaustive search and independent LPs.

Pure Python, no database. The reference optimum comes from a dynamic programme over all
allocations of small instances; larger instances are checked against LP relaxations built
here with highspy, independently of the solver's own models.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter, defaultdict
from functools import cache

import highspy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innoclub.workshops.solver import (
    NO_FITTING_SEAT,
    SLOT_FULL,
    Instance,
    InstanceError,
    Offering,
    Person,
    Result,
    first_come_first_served,
    rank_cost,
    solve,
    validate,
)

PROPERTY = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- Small random instances -------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn, *, repeating: bool) -> Instance:
    """At most 5 people, 3 slots, 4 offerings; workshops fixed to a slot or repeating."""
    slots = draw(st.lists(st.integers(0, 9), min_size=1 + repeating, max_size=3, unique=True))
    tight = draw(st.booleans())
    offerings = []
    for number in range(1, draw(st.integers(1 + repeating, 4)) + 1):
        if repeating and number <= 2:
            # Guarantee one workshop that runs in two slots.
            slot, workshop = slots[number - 1], 1
        elif repeating:
            slot, workshop = draw(st.sampled_from(slots)), draw(st.integers(1, 3))
        else:
            # A workshop may run twice in its slot, but in no other slot.
            slot = draw(st.sampled_from(slots))
            workshop = 10 * slot + draw(st.integers(1, 2))
        capacity = draw(st.integers(0, 2) if tight else st.integers(1, 5))
        offerings.append(Offering(number, workshop, slot, capacity))
    choices = draw(st.integers(0, 4))
    # Ranks are unique per slot when workshops are fixed, else per event.
    groups: dict[int, set[int]] = defaultdict(set)
    for offering in offerings:
        groups[0 if repeating else offering.slot].add(offering.workshop)
    count = draw(st.integers(1, 5))
    orders = draw(st.permutations(range(count)))
    people = []
    for number in range(1, count + 1):
        ranks: dict[int, int] = {}
        for workshops in groups.values():
            picked = draw(
                st.lists(st.sampled_from(sorted(workshops)), unique=True, max_size=choices)
            )
            given = draw(
                st.lists(
                    st.integers(1, max(1, choices)),
                    unique=True,
                    min_size=len(picked),
                    max_size=len(picked),
                )
            )
            ranks.update(zip(picked, given, strict=True))
        people.append(Person(number, ranks, orders[number - 1]))
    locks: dict[int, tuple[int, ...]] = {}
    seats = Counter[int]()
    for person in people:
        if draw(st.integers(0, 3)) != 0:
            continue
        mine: list[Offering] = []
        for offering in draw(st.lists(st.sampled_from(offerings), max_size=2, unique=True)):
            fits = all(
                offering.slot != other.slot and offering.workshop != other.workshop
                for other in mine
            )
            if fits and seats[offering.id] < offering.capacity:
                mine.append(offering)
                seats[offering.id] += 1
        if mine:
            locks[person.id] = tuple(offering.id for offering in mine)
    return Instance(tuple(offerings), tuple(people), choices, locks)


def reference_rank(instance: Instance, person: Person, offering: Offering) -> int:
    """What a placement counts as, written out independently of the solver: the rank; K+1
    outside the person's ranking; 0 where they ranked no workshop of the slot at all."""
    if offering.workshop in person.ranks:
        return person.ranks[offering.workshop]
    in_slot = {o.workshop for o in instance.offerings if o.slot == offering.slot}
    return instance.choices + 1 if in_slot & set(person.ranks) else 0


def optimum(instance: Instance) -> tuple[int, int | None, int]:
    """(placements outside locks, worst rank, cost) of the lexicographic optimum.

    Exhaustive: enumerates every plan of every person (one offering or none per open slot,
    no workshop twice) and, for each rank limit, finds by dynamic programming over the seats
    left the most placements and, among those, the least cost.
    """
    offerings = sorted(instance.offerings, key=lambda offering: offering.id)
    index = {offering.id: number for number, offering in enumerate(offerings)}
    slots = sorted({offering.slot for offering in offerings})
    seats = [offering.capacity for offering in offerings]
    plans = []
    for person in instance.people:
        mine = [offerings[index[locked]] for locked in instance.locks.get(person.id, ())]
        for offering in mine:
            seats[index[offering.id]] -= 1
        open_slots = [slot for slot in slots if slot not in {offering.slot for offering in mine}]
        options = [[None, *[o for o in offerings if o.slot == slot]] for slot in open_slots]
        person_plans = []
        for picks in itertools.product(*options):
            taken = [offering for offering in picks if offering is not None]
            workshops = [offering.workshop for offering in taken + mine]
            if len(workshops) == len(set(workshops)):
                ranks = [reference_rank(instance, person, o) for o in taken]
                person_plans.append(([index[offering.id] for offering in taken], ranks))
        plans.append(person_plans)

    def best(limit: int) -> tuple[int, int]:
        @cache
        def rest(person: int, left: tuple[int, ...]) -> tuple[int, int]:
            if person == len(plans):
                return 0, 0
            found = (-1, 0)
            for used, ranks in plans[person]:
                if any(rank > limit for rank in ranks) or any(left[u] < 1 for u in used):
                    continue
                after = list(left)
                for u in used:
                    after[u] -= 1
                count, negative_cost = rest(person + 1, tuple(after))
                cost = sum(rank_cost(rank) for rank in ranks)
                found = max(found, (count + len(ranks), negative_cost - cost))
            return found

        return rest(0, tuple(seats))

    most = best(instance.choices + 1)[0]
    if most == 0:
        return 0, None, 0
    for limit in range(instance.choices + 2):
        count, negative_cost = best(limit)
        if count == most:
            # Limit 0: only seats in slots where people ranked nothing, so no worst rank.
            return most, limit or None, -negative_cost
    raise AssertionError("unreachable: the widest limit reaches the most placements")


def locked_count(instance: Instance) -> int:
    return sum(len(offering_ids) for offering_ids in instance.locks.values())


def figures(instance: Instance, result: Result) -> tuple[int, int | None, int]:
    placed = sum(len(slots) for slots in result.placements.values())
    return placed - locked_count(instance), result.worst_rank, result.cost


def lexicographic(instance: Instance, result: Result) -> tuple[int, int, int]:
    """Smaller is better: more placements, then a better worst rank, then less cost."""
    placed, worst, cost = figures(instance, result)
    return -placed, worst or 0, cost


def assert_valid(instance: Instance, result: Result) -> None:
    """Every rule of a feasible allocation, and figures that match the placements."""
    offerings = {offering.id: offering for offering in instance.offerings}
    slots = {offering.slot for offering in instance.offerings}
    people = {person.id: person for person in instance.people}
    assert set(result.placements) == set(people)
    taken = Counter[int]()
    histogram = Counter[int]()
    for person, placed in result.placements.items():
        workshops = [offerings[offering].workshop for offering in placed.values()]
        assert len(workshops) == len(set(workshops)), "a workshop twice"
        for slot, offering_id in placed.items():
            assert offerings[offering_id].slot == slot
            taken[offering_id] += 1
            if offering_id not in instance.locks.get(person, ()):
                rank = reference_rank(instance, people[person], offerings[offering_id])
                histogram[rank] += 1
        for offering_id in instance.locks.get(person, ()):
            assert placed[offerings[offering_id].slot] == offering_id
    for offering_id, count in taken.items():
        assert count <= offerings[offering_id].capacity
    outside = instance.choices + 1
    assert result.histogram == {rank: histogram[rank] for rank in range(outside + 1)}
    assert result.cost == sum(rank_cost(rank) * count for rank, count in histogram.items())
    assert result.worst_rank == max(
        (rank for rank, n in histogram.items() if n and rank), default=None
    )
    missing = {(person, slot) for person, placed in result.placements.items() for slot in slots} - {
        (person, slot) for person, placed in result.placements.items() for slot in placed
    }
    assert {(entry.person, entry.slot) for entry in result.unplaced} == missing
    for entry in result.unplaced:
        has = {
            offerings[offering].workshop for offering in result.placements[entry.person].values()
        }
        free = [
            offering
            for offering in instance.offerings
            if offering.slot == entry.slot and taken[offering.id] < offering.capacity
        ]
        assert entry.reason == (NO_FITTING_SEAT if free else SLOT_FULL)
        assert all(offering.workshop in has for offering in free), "a fitting seat was left free"
    below = [o.id for o in instance.offerings if taken[o.id] < o.minimum]
    assert list(result.below_minimum) == sorted(below)


# --- Properties against exhaustive search ------------------------------------------------


MODES = pytest.mark.parametrize("repeating", [False, True], ids=["fixed", "repeating"])


@MODES
@PROPERTY
@given(data=st.data(), seed=st.integers(0, 1000))
def test_solver_reaches_the_exhaustive_lexicographic_optimum(repeating, data, seed):
    instance = data.draw(instances(repeating=repeating))
    result = solve(instance, seed=seed)
    assert_valid(instance, result)
    assert figures(instance, result) == optimum(instance)
    assert result.optimal
    assert result.bound is not None
    assert result.bound <= result.cost + 1e-6
    assert result.cost - result.bound < 1
    assert result.method == ("milp" if repeating else "flow")


@MODES
@settings(PROPERTY, max_examples=60)
@given(data=st.data(), seed=st.integers(0, 1000))
def test_same_seed_gives_the_same_result(repeating, data, seed):
    instance = data.draw(instances(repeating=repeating))
    first = solve(instance, seed=seed)
    again = solve(instance, seed=seed)
    assert dataclasses.replace(first, seconds=0.0) == dataclasses.replace(again, seconds=0.0)


@MODES
@PROPERTY
@given(data=st.data())
def test_first_come_first_served_is_valid_but_never_better_than_the_solver(repeating, data):
    instance = data.draw(instances(repeating=repeating))
    fcfs = first_come_first_served(instance)
    assert_valid(instance, fcfs)
    assert fcfs.method == "fcfs"
    assert not fcfs.optimal
    assert lexicographic(instance, solve(instance)) <= lexicographic(instance, fcfs)


def test_ties_between_equally_good_allocations_are_broken_by_the_seed():
    instance = Instance(
        offerings=(Offering(1, 10, 1, capacity=1),),
        people=(Person(1, {10: 1}), Person(2, {10: 1})),
        choices=1,
    )
    placements = {seed: solve(instance, seed=seed).placements for seed in range(12)}
    winners = {
        person for placed in placements.values() for person, slots in placed.items() if slots
    }
    assert winners == {1, 2}
    assert all(solve(instance, seed=seed).placements == placements[seed] for seed in range(12))


# --- Concrete behaviour ----------------------------------------------------------------


def test_unranked_seat_is_given_rather_than_leaving_a_person_without_a_workshop():
    instance = Instance(
        offerings=(Offering(1, 10, 1, capacity=1), Offering(2, 11, 1, capacity=1)),
        people=(Person(1, {10: 1}), Person(2, {10: 1, 11: 2}), Person(3, {10: 1})),
        choices=2,
    )
    result = solve(instance)
    assert result.placements[2] == {1: 2}
    assert result.histogram == {0: 0, 1: 1, 2: 1, 3: 0}
    assert len(result.unplaced) == 1
    assert result.unplaced[0].reason == SLOT_FULL


def test_fairness_comes_before_total_cost():
    # Ranks 1, 1 and 3 would cost 1 + 1 + 9 = 11; ranks 2, 2 and 2 cost 12 but spare
    # anybody a third choice, so they win.
    instance = Instance(
        offerings=(Offering(1, 10, 1, 1), Offering(2, 11, 1, 1), Offering(3, 12, 1, 1)),
        people=(
            Person(1, {10: 1, 11: 2, 12: 3}),
            Person(2, {11: 1, 12: 2, 10: 3}),
            Person(3, {10: 2, 12: 3}),
        ),
        choices=3,
    )
    result = solve(instance)
    assert result.placements == {1: {1: 2}, 2: {1: 3}, 3: {1: 1}}
    assert (result.worst_rank, result.cost) == (2, 12)


def test_fairness_comes_before_total_cost_when_workshops_repeat():
    # Workshop 10 runs in both slots; person 1 gets 13 in slot 2, so person 2 needs 10 there.
    # Person 2 taking 12 in slot 1 (rank 1) would leave person 1 only 10 or 11, outside their
    # ranking: cost 22 with a worst rank of 4. Person 2 taking 11 (rank 3) lets person 1
    # have 12 (rank 3): cost 23, worst rank 3.
    instance = Instance(
        offerings=(
            Offering(1, 10, 1, 1),
            Offering(2, 10, 2, 1),
            Offering(3, 11, 1, 1),
            Offering(4, 12, 1, 1),
            Offering(5, 13, 2, 1),
        ),
        people=(Person(1, {12: 3, 13: 1}), Person(2, {10: 2, 11: 3, 12: 1})),
        choices=3,
    )
    result = solve(instance)
    assert result.placements == {1: {1: 4, 2: 5}, 2: {1: 3, 2: 2}}
    assert (result.worst_rank, result.cost, result.method) == (3, 23, "milp")
    assert optimum(instance) == (4, 3, 23)


def test_repeating_workshop_is_never_given_twice_even_when_only_it_has_seats():
    # The pooled "outside ranking" model would hand out both seats of workshop 10; the
    # decoding notices and solves the person explicitly.
    instance = Instance(
        offerings=(Offering(1, 10, 1, capacity=1), Offering(2, 10, 2, capacity=1)),
        people=(Person(1, {}),),
        choices=0,
    )
    result = solve(instance)
    assert len(result.placements[1]) == 1
    assert [(entry.person, entry.reason) for entry in result.unplaced] == [(1, NO_FITTING_SEAT)]
    assert result.optimal
    assert result.method == "milp"


def test_locks_take_seats_and_workshops_and_count_in_no_figure():
    instance = Instance(
        offerings=(
            Offering(1, 10, 1, capacity=1),
            Offering(2, 11, 1, capacity=2),
            Offering(3, 10, 2, capacity=2),
            Offering(4, 11, 2, capacity=2),
        ),
        people=(Person(1, {10: 1, 11: 2}), Person(2, {10: 1, 11: 2})),
        choices=2,
        locks={1: (1,)},
    )
    result = solve(instance)
    assert result.placements == {1: {1: 1, 2: 4}, 2: {1: 2, 2: 3}}
    assert result.histogram == {0: 0, 1: 1, 2: 2, 3: 0}
    assert result.worst_rank == 2


def test_time_limit_of_zero_still_gives_a_valid_allocation():
    instance = Instance(
        offerings=tuple(
            Offering(10 * slot + workshop, workshop, slot, capacity=3)
            for slot in (1, 2, 3)
            for workshop in range(1, 5)
        ),
        people=tuple(Person(number, {1 + number % 4: 1}) for number in range(1, 13)),
        choices=1,
    )
    result = solve(instance, time_limit=0.0)
    assert_valid(instance, result)
    assert not result.optimal
    if result.method == "fcfs":  # HiGHS found nothing: its start, first come, first served
        assert result.placements == first_come_first_served(instance).placements
    else:
        assert result.method == "milp"


# --- Minimum attendance ------------------------------------------------------------------


def small_forum() -> Instance:
    """Offerings 1 and 3 each draw one person; offering 3 needs two, offering 1 three."""
    return Instance(
        offerings=(
            Offering(1, 10, 1, capacity=5, minimum=3),
            Offering(2, 11, 1, capacity=5),
            Offering(3, 12, 1, capacity=5, minimum=2),
        ),
        people=(
            Person(1, {10: 1, 12: 2}),
            Person(2, {11: 1}),
            Person(3, {11: 1}),
            Person(4, {12: 1}),
        ),
        choices=2,
    )


def test_offerings_below_their_minimum_are_reported_when_not_cancelling():
    result = solve(small_forum())
    assert result.below_minimum == (1, 3)
    assert result.cancelled == ()


def test_cancelling_drops_the_emptiest_offering_first_and_places_its_people_elsewhere():
    # Offerings 1 and 3 tie at one participant: the lower id goes, and its participant
    # fills offering 3 to its minimum, so offering 3 stays.
    result = solve(small_forum(), cancel_below_minimum=True)
    assert result.cancelled == (1,)
    assert result.placements[1] == {1: 3}
    assert result.below_minimum == ()
    assert result.histogram == {0: 0, 1: 3, 2: 1, 3: 0}


def test_cancelling_drops_the_locks_on_a_cancelled_offering():
    instance = Instance(
        offerings=(Offering(1, 10, 1, capacity=5, minimum=2), Offering(2, 11, 1, capacity=5)),
        people=(Person(1, {10: 1}), Person(2, {11: 1})),
        choices=1,
        locks={1: (1,)},
    )
    result = solve(instance, cancel_below_minimum=True)
    assert result.cancelled == (1,)
    assert result.placements == {1: {1: 2}, 2: {1: 2}}
    # No longer locked, person 1 now counts: outside their ranking.
    assert result.histogram == {0: 0, 1: 1, 2: 1}


# --- Validation --------------------------------------------------------------------------


def forum(**changes) -> Instance:
    base = Instance(
        offerings=(
            Offering(7, 1, 1, capacity=1),
            Offering(8, 2, 1, capacity=3),
            Offering(9, 1, 2, capacity=3),
        ),
        people=(Person(12, {1: 1, 2: 2}), Person(13, {})),
        choices=2,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        (forum(locks={12: (7, 8)}), "Person 12 ist im Zeitfenster 1 zweimal festgelegt."),
        (forum(locks={12: (7, 9)}), "Person 12 ist zweimal für denselben Workshop festgelegt."),
        (
            forum(locks={12: (7,), 13: (7,)}),
            "Angebot 7 hat mehr festgelegte Personen (2) als Plätze (1).",
        ),
        (forum(locks={12: (99,)}), "Festlegung auf unbekanntes Angebot 99."),
        (forum(locks={14: (8,)}), "Festlegung für unbekannte Person 14."),
        (forum(locks={12: (8, 8)}), "Person 12 ist zweimal auf Angebot 8 festgelegt."),
        (
            forum(people=(Person(12, {1: 2, 2: 2}),)),
            "Person 12 hat Rang 2 mehrfach vergeben.",
        ),
        (
            forum(people=(Person(12, {1: 3}),)),
            "Person 12 hat Rang 3 vergeben; erlaubt sind 1 bis 2.",
        ),
        (
            forum(people=(Person(12, {5: 1}),)),
            "Person 12 hat einen Rang für den unbekannten Workshop 5 vergeben.",
        ),
        (forum(people=(Person(12, {}), Person(12, {}))), "Person 12 ist mehrfach vorhanden."),
        (
            forum(offerings=(Offering(7, 1, 1, 1), Offering(7, 2, 1, 1))),
            "Angebot 7 ist mehrfach vorhanden.",
        ),
        (
            forum(offerings=(Offering(7, 1, 1, -1), Offering(8, 2, 1, 3))),
            "Angebot 7 hat eine negative Platzzahl.",
        ),
        (
            forum(offerings=(Offering(7, 1, 1, 1, minimum=-2), Offering(8, 2, 1, 3))),
            "Angebot 7 hat eine negative Mindestteilnehmerzahl.",
        ),
        (forum(choices=-1, people=()), "Die Zahl der Wünsche darf nicht negativ sein."),
    ],
)
def test_contradictions_are_described_in_german_and_stop_the_solver(instance, message):
    assert validate(instance) == [message]
    with pytest.raises(InstanceError) as raised:
        solve(instance)
    assert raised.value.problems == [message]
    with pytest.raises(InstanceError):
        first_come_first_served(instance)


def test_ranks_may_repeat_across_slots_when_every_workshop_has_one_slot():
    # Fixed slots: people rank per slot, so rank 1 in slot 1 and rank 1 in slot 2 is fine.
    instance = Instance(
        offerings=(Offering(1, 10, 1, 2), Offering(2, 20, 2, 2)),
        people=(Person(1, {10: 1, 20: 1}),),
        choices=1,
    )
    assert validate(instance) == []
    assert solve(instance).histogram == {0: 0, 1: 2, 2: 0}


def test_a_fine_instance_has_no_problems():
    assert validate(forum(locks={12: (7,), 13: (9,)})) == []


# --- Larger instances against independent LP relaxations ----------------------------------


def generated(*, people: int, slots: int, per_slot: int, repeating: bool, seed: int) -> Instance:
    """Skewed popularity, ~10 % more seats than people per slot, a few speaker locks."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    workshops = per_slot if repeating else per_slot * slots
    weight = {workshop: 1 / (workshop + 1) for workshop in range(1, workshops + 1)}
    offerings = []
    for slot in range(1, slots + 1):
        here = list(weight) if repeating else list(weight)[(slot - 1) * per_slot : slot * per_slot]
        share = sum(weight[workshop] ** 0.5 for workshop in here)
        for workshop in here:
            seats = round(1.1 * people * weight[workshop] ** 0.5 / share)
            offerings.append(Offering(100 * slot + workshop, workshop, slot, seats))
    choices = 6 if repeating else 3
    groups = (
        [list(weight)]
        if repeating
        else [[o.workshop for o in offerings if o.slot == slot] for slot in range(1, slots + 1)]
    )
    crowd = []
    for number in range(1, people + 1):
        ranks: dict[int, int] = {}
        for group in groups:
            wanted: list[int] = []
            while len(wanted) < min(choices, len(group)):
                pick = rng.choices(group, weights=[weight[w] for w in group])[0]
                if pick not in wanted:
                    wanted.append(pick)
            ranks.update({workshop: rank for rank, workshop in enumerate(wanted, start=1)})
        crowd.append(Person(number, ranks, order=rng.randrange(10 * people)))
    locks = {number: (offerings[number].id,) for number in range(1, 6)}
    return Instance(tuple(offerings), tuple(crowd), choices, locks)


def relaxation(instance: Instance, *, worst: int, least: int | None) -> float:
    """LP relaxation with every (person, offering) pair explicit and ranks <= ``worst``.

    With ``least`` None: the most placements. Otherwise: the least cost of at least
    ``least`` placements.
    """
    offerings = {offering.id: offering for offering in instance.offerings}
    highs = highspy.Highs()
    highs.silent()
    rows: dict[tuple, list[int]] = defaultdict(list)
    for person in instance.people:
        mine = [offerings[offering_id] for offering_id in instance.locks.get(person.id, ())]
        for offering in instance.offerings:
            if offering.slot in {o.slot for o in mine} or offering.workshop in {
                o.workshop for o in mine
            }:
                continue
            rank = reference_rank(instance, person, offering)
            if rank > worst:
                continue
            cost = -1.0 if least is None else float(rank_cost(rank))
            highs.addCol(cost, 0.0, 1.0, 0, [], [])
            column = highs.getNumCol() - 1
            rows["slot", person.id, offering.slot].append(column)
            rows["workshop", person.id, offering.workshop].append(column)
            rows["seats", offering.id].append(column)
            rows["placements",].append(column)
    locked = Counter(o for offering_ids in instance.locks.values() for o in offering_ids)
    for key, columns in rows.items():
        lower: float
        upper: float
        if key[0] == "seats":
            lower, upper = -highspy.kHighsInf, offerings[key[1]].capacity - locked[key[1]]
        elif key[0] == "placements":
            lower, upper = (-highspy.kHighsInf if least is None else least), highspy.kHighsInf
        else:
            lower, upper = -highspy.kHighsInf, 1.0
        highs.addRow(lower, upper, len(columns), columns, [1.0] * len(columns))
    highs.run()
    if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
        return float("inf")
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    value = highs.getInfo().objective_function_value
    return -value if least is None else value


def test_fixed_slots_at_scale_match_the_integral_assignment_lp():
    instance = generated(people=300, slots=3, per_slot=6, repeating=False, seed=3)
    result = solve(instance, seed=1)
    assert_valid(instance, result)
    placed, worst, cost = figures(instance, result)
    assert worst is not None
    assert result.method == "flow"
    assert result.optimal
    # The assignment LP is integral, so its optima are the allocation's figures.
    assert relaxation(instance, worst=instance.choices + 1, least=None) == pytest.approx(placed)
    assert relaxation(instance, worst=worst - 1, least=None) < placed - 0.5
    assert relaxation(instance, worst=worst, least=placed) == pytest.approx(cost)
    assert result.bound == pytest.approx(cost)


def test_repeating_workshops_at_scale_cost_no_less_than_the_lp_bound():
    instance = generated(people=300, slots=3, per_slot=8, repeating=True, seed=5)
    result = solve(instance, seed=2)
    assert_valid(instance, result)
    placed, worst, cost = figures(instance, result)
    assert worst is not None
    assert result.method == "milp"
    assert result.optimal
    assert placed <= relaxation(instance, worst=instance.choices + 1, least=None) + 1e-6
    lp_bound = relaxation(instance, worst=worst, least=placed)
    assert lp_bound <= cost + 1e-6
    assert result.bound is not None
    assert cost - 1 < result.bound <= cost + 1e-6


def test_a_person_without_wishes_takes_any_seat_and_sets_no_worst_rank():
    # Person 2 ranked nothing: any seat suits them, so it costs nothing and the fairness
    # figure is person 1's first choice, not "outside the ranking".
    instance = Instance(
        offerings=(Offering(1, 10, 1, 1), Offering(2, 11, 1, 1)),
        people=(Person(1, {10: 1, 11: 2}), Person(2, {})),
        choices=2,
    )
    for result in (solve(instance), first_come_first_served(instance)):
        assert result.placements == {1: {1: 1}, 2: {1: 2}}
        assert result.histogram == {0: 1, 1: 1, 2: 0, 3: 0}
        assert (result.worst_rank, result.cost) == (1, 1)
