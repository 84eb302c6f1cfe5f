"""The integer program for workshops that repeat across slots, solved with HiGHS.

Columns:

- x[p, o], binary: person p takes offering o of a workshop p ranked (or, for people modelled
  "explicitly", of any workshop), in a slot their locks leave open;
- y[p, s], binary: p takes, in slot s, some offering of a workshop they did not rank (pooled);
- z[o], integer: how many pooled placements offering o receives.

Rows: at most one offering per (person, slot); seats per offering (x + z); each workshop at
most once per person; per slot, pooled people = pooled seats; and one row counting the
placements, which the later stages use to keep the first stage's result.

Pooling keeps the model at O(people * K) columns instead of O(people * offerings), but it is a
relaxation: it does not know which unranked workshop a person gets, so it cannot forbid
repeating one. After the last stage the pooled part is decoded slot by slot by bipartite
matching (people -> pooled seats of workshops they neither ranked nor have). A successful
decoding is an allocation with exactly the model's placements, worst rank and cost, and
since the model relaxes the real problem, the allocation is then optimal in all three stages.
People the matching cannot serve are modelled explicitly (a column per offering, no pooling)
and everything is solved again; at worst everybody ends up explicit, which is exact.

Stages, each proven by HiGHS: (1) the most placements: an LP bound, which first come, first
served usually reaches already, else a MILP; (2) the smallest worst rank R that still allows
them: LP relaxations rule out small R cheaply; then (3) the least cost with ranks <= R, solved
as a MILP that also proves R feasible (if HiGHS proves it infeasible, R + 1 is next).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import highspy
import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow

if TYPE_CHECKING:
    from innoclub.workshops.solver import Problem

_INF = highspy.kHighsInf
# LP values within this of the placement target count as reaching it; a smaller LP value
# proves that the rank limit is too tight.
_LP_TOLERANCE = 1e-6


@dataclass
class Allocation:
    chosen: dict[tuple[int, int], int]  # (person, slot) -> offering id; locks not included
    optimal: bool
    bound: float | None


@dataclass
class _Model:
    highs: highspy.Highs
    rank: npt.NDArray[np.int64]  # per column; 0 for the seat counters z and indifferent slots
    cost: npt.NDArray[np.float64]
    counts: npt.NDArray[np.float64]  # 1 for columns that are placements (x and y)
    # Per column: (seeker index, slot, offering id); offering -1 for y, seeker -1 for z.
    meaning: list[tuple[int, int, int]]
    placement_row: int
    upper: npt.NDArray[np.float64]  # column upper bounds before any rank limit


def allocate_by_milp(
    problem: Problem, start: Mapping[tuple[int, int], int], deadline: float | None
) -> Allocation:
    """The lexicographically best allocation.

    ``start`` is any valid allocation, (person, slot) -> offering id without locks (first
    come, first served): it may settle the first stage and is the answer of last resort when
    the deadline strikes first.
    """
    explicit: set[int] = set()
    while True:
        model = _build(problem, explicit)
        if not model.meaning:
            return Allocation({}, True, 0.0)
        begin = _start_values(problem, model, start)
        values, proven, bound = _solve_stages(model, begin, problem.choices + 1, deadline)
        if values is begin:  # nothing better in time (or nothing to place): the start as is
            return Allocation(dict(start), proven, bound)
        chosen, failed = _decode(problem, model, values)
        out_of_time = deadline is not None and time.perf_counter() >= deadline
        if not failed or out_of_time:
            # Undecodable pooled placements stay unplaced: valid, but not proven optimal.
            return Allocation(chosen, proven and not failed, bound if not failed else None)
        explicit |= failed


def _build(problem: Problem, explicit: set[int]) -> _Model:
    overflow_rank = problem.choices + 1
    by_slot: dict[int, list[int]] = defaultdict(list)
    for index, offering in enumerate(problem.offerings):
        by_slot[offering.slot].append(index)

    row_lower: list[float] = []
    row_upper: list[float] = []
    entry_row: list[int] = []
    entry_col: list[int] = []
    entry_value: list[float] = []
    ranks: list[int] = []
    meaning: list[tuple[int, int, int]] = []
    col_upper: list[float] = []

    def row(lower: float, upper: float) -> int:
        row_lower.append(lower)
        row_upper.append(upper)
        return len(row_lower) - 1

    def column(rank: int, what: tuple[int, int, int], rows: dict[int, float], upper: float) -> int:
        col = len(ranks)
        ranks.append(rank)
        meaning.append(what)
        col_upper.append(upper)
        for at, value in rows.items():
            entry_row.append(at)
            entry_col.append(col)
            entry_value.append(value)
        return col

    seat_row = [row(-_INF, offering.capacity) for offering in problem.offerings]
    link_row = {slot: row(0.0, 0.0) for slot in by_slot}
    placement_row = row(-_INF, _INF)
    pooled_slots: set[int] = set()
    for k, seeker in enumerate(problem.seekers):
        columns_of_workshop: dict[int, list[int]] = defaultdict(list)
        for slot in seeker.open_slots:
            if slot not in by_slot:
                continue
            own = row(-_INF, 1.0)
            pooled = False
            # Rank 0 (always open, free) where the person ranked no workshop of the slot.
            unranked = 0 if slot in seeker.indifferent else overflow_rank
            for index in by_slot[slot]:
                offering = problem.offerings[index]
                if offering.workshop in seeker.taken:
                    continue
                rank = seeker.ranks.get(offering.workshop)
                if rank is None and seeker.person not in explicit:
                    pooled = True
                    continue
                col = column(
                    unranked if rank is None else rank,
                    (k, slot, offering.id),
                    {own: 1.0, seat_row[index]: 1.0, placement_row: 1.0},
                    1.0,
                )
                columns_of_workshop[offering.workshop].append(col)
            if pooled:
                pooled_slots.add(slot)
                column(
                    unranked,
                    (k, slot, -1),
                    {own: 1.0, link_row[slot]: 1.0, placement_row: 1.0},
                    1.0,
                )
        for cols in columns_of_workshop.values():
            if len(cols) > 1:
                once = row(-_INF, 1.0)
                entry_row.extend([once] * len(cols))
                entry_col.extend(cols)
                entry_value.extend([1.0] * len(cols))
    for index, offering in enumerate(problem.offerings):
        if offering.slot in pooled_slots:
            column(
                0,
                (-1, offering.slot, offering.id),
                {seat_row[index]: 1.0, link_row[offering.slot]: -1.0},
                float(offering.capacity),
            )

    col_rank = np.array(ranks, dtype=np.int64)
    # Placements are the person columns (x, y); the seat counters z have no person.
    counts = np.array([1.0 if what[0] >= 0 else 0.0 for what in meaning], dtype=np.float64)
    cost = np.where(col_rank > 0, np.array(problem.costs, dtype=np.float64)[col_rank], 0.0)
    highs = highspy.Highs()
    highs.silent()
    highs.setOptionValue("mip_rel_gap", 0.0)
    # Both objectives are integral: an absolute gap below 1 proves optimality.
    highs.setOptionValue("mip_abs_gap", 0.999)
    highs.setOptionValue("mip_lp_solver", "ipm")
    # Bounds and duals of LPs are only needed near optimal; a basis is not.
    highs.setOptionValue("run_crossover", "off")
    if meaning:
        columns = np.array(entry_col, dtype=np.int32)
        order = np.argsort(columns, kind="stable")
        starts = np.searchsorted(columns[order], np.arange(len(meaning) + 1)).astype(np.int32)
        highs.passModel(
            len(meaning),
            len(row_lower),
            len(entry_col),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            cost,
            np.zeros(len(meaning)),
            np.array(col_upper, dtype=np.float64),
            np.array(row_lower),
            np.array(row_upper),
            starts,
            np.array(entry_row, dtype=np.int32)[order],
            np.array(entry_value)[order],
            np.full(len(meaning), int(highspy.HighsVarType.kInteger), dtype=np.int32),
        )
    return _Model(highs, col_rank, cost, counts, meaning, placement_row, np.array(col_upper))


def _start_values(
    problem: Problem, model: _Model, start: Mapping[tuple[int, int], int]
) -> npt.NDArray[np.float64]:
    column = {what: col for col, what in enumerate(model.meaning)}
    seeker_of = {seeker.person: k for k, seeker in enumerate(problem.seekers)}
    values = np.zeros(len(model.meaning))
    for (person, slot), offering_id in start.items():
        k = seeker_of[person]
        if (k, slot, offering_id) in column:
            values[column[k, slot, offering_id]] = 1.0
        else:  # an unranked offering of a pooled person
            values[column[k, slot, -1]] = 1.0
            values[column[-1, slot, offering_id]] += 1.0
    return values


def _solve_stages(
    model: _Model, start: npt.NDArray[np.float64], overflow_rank: int, deadline: float | None
) -> tuple[npt.NDArray[np.float64], bool, float | None]:
    """Column values of the best allocation found, whether all stages were proven, the bound.

    The LP relaxations are solved by interior point: on these degenerate, transport-like
    models it is an order of magnitude faster than simplex (for the MILPs too, through
    ``mip_lp_solver``). Their values are used with a tolerance only in the safe direction.
    """
    highs = model.highs
    columns = np.arange(len(model.meaning), dtype=np.int32)

    def limit_ranks(worst: int) -> None:
        closed = model.rank > worst
        highs.changeColsBounds(
            len(columns), columns, np.zeros(len(columns)), np.where(closed, 0.0, model.upper)
        )

    def set_integral(integral: bool) -> None:
        kind = highspy.HighsVarType.kInteger if integral else highspy.HighsVarType.kContinuous
        highs.changeColsIntegrality(
            len(columns), columns, np.full(len(columns), int(kind), dtype=np.uint8)
        )

    def solution() -> npt.NDArray[np.float64]:
        return np.asarray(highs.getSolution().col_value, dtype=np.float64)

    # Stage 1: the most placements. When the start reaches the LP bound, that settles it.
    best = start
    most = round(float(model.counts @ best))
    highs.changeColsCost(len(columns), columns, -model.counts)
    set_integral(False)
    if _run(highs, deadline, relaxed=True) == highspy.HighsModelStatus.kOptimal:
        reach = -highs.getInfo().objective_function_value
        proven = most >= math.floor(reach + _LP_TOLERANCE * max(1.0, reach))
    else:
        proven = False
    set_integral(True)
    if not proven:
        # No setSolution(start) here or below: HiGHS 1.16 then sometimes returns the start
        # instead of the better solution it reports.
        status = _run(highs, deadline, relaxed=False)
        # Cut short by the deadline, HiGHS may hold a worse allocation than the start.
        if _has_solution(highs) and model.counts @ solution() > most + 0.5:
            best = solution()
            most = round(float(model.counts @ best))
        proven = status == highspy.HighsModelStatus.kOptimal
    if most == 0:
        return best, proven, 0.0

    # Stage 2: LP relaxations prove worst ranks too small to reach ``most``; the first one
    # they cannot rule out is the candidate.
    set_integral(False)
    worst = 1
    while worst < overflow_rank:
        limit_ranks(worst)
        if _run(highs, deadline, relaxed=True) != highspy.HighsModelStatus.kOptimal:
            break
        reach = -highs.getInfo().objective_function_value
        if reach >= most - _LP_TOLERANCE * max(1.0, most):
            break
        worst += 1
    set_integral(True)

    # Stage 3: the least cost, which also proves the candidate feasible (or not: next one).
    highs.changeColsCost(len(columns), columns, model.cost)
    highs.changeRowBounds(model.placement_row, float(most), _INF)
    while True:
        limit_ranks(worst)
        status = _run(highs, deadline, relaxed=False)
        if status == highspy.HighsModelStatus.kInfeasible and worst < overflow_rank:
            worst += 1
            continue
        break
    if not _has_solution(highs):
        return best, False, None
    proven = proven and status == highspy.HighsModelStatus.kOptimal
    return solution(), proven, highs.getInfo().mip_dual_bound if proven else None


def _run(
    highs: highspy.Highs, deadline: float | None, *, relaxed: bool
) -> highspy.HighsModelStatus:
    """Solve the model as it stands: with ``relaxed``, its LP relaxation (integrality off)."""
    if deadline is not None:
        highs.setOptionValue("time_limit", max(0.0, deadline - time.perf_counter()))
    highs.setOptionValue("solver", "ipm" if relaxed else "choose")
    highs.run()
    return highs.getModelStatus()


def _has_solution(highs: highspy.Highs) -> bool:
    return bool(highs.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible)


def _decode(
    problem: Problem, model: _Model, values: npt.NDArray[np.float64]
) -> tuple[dict[tuple[int, int], int], set[int]]:
    """Concrete offerings for the model's solution, and the people the pooling failed."""
    workshop_of = {offering.id: offering.workshop for offering in problem.offerings}
    has = [set(seeker.taken) for seeker in problem.seekers]
    chosen: dict[tuple[int, int], int] = {}
    waiting: dict[int, list[int]] = defaultdict(list)  # slot -> seeker indexes
    seats: dict[int, list[tuple[int, int]]] = defaultdict(list)  # slot -> (offering, count)
    for col in np.flatnonzero(values > 0.5).tolist():
        k, slot, offering_id = model.meaning[col]
        if k < 0:
            seats[slot].append((offering_id, round(values[col])))
        elif offering_id < 0:
            waiting[slot].append(k)
        else:
            chosen[problem.seekers[k].person, slot] = offering_id
            has[k].add(workshop_of[offering_id])
    failed: set[int] = set()
    for slot in sorted(waiting):
        people = waiting[slot]
        matched = _match(
            [
                [
                    index
                    for index, (offering_id, _) in enumerate(seats[slot])
                    if workshop_of[offering_id] not in has[k]
                    and workshop_of[offering_id] not in problem.seekers[k].ranks
                ]
                for k in people
            ],
            [count for _, count in seats[slot]],
        )
        for k, index in zip(people, matched, strict=True):
            if index is None:
                failed.add(problem.seekers[k].person)
                continue
            offering_id = seats[slot][index][0]
            chosen[problem.seekers[k].person, slot] = offering_id
            has[k].add(workshop_of[offering_id])
    return chosen, failed


def _match(allowed: list[list[int]], counts: list[int]) -> list[int | None]:
    """A largest assignment of people to seats: person i may take a seat of ``allowed[i]``."""
    matched: list[int | None] = [None] * len(allowed)
    if not counts:
        return matched
    source, sink, first_seat = 0, 1, 2 + len(allowed)
    tails = [first_seat + seat for seat in range(len(counts))]
    heads = [sink] * len(counts)
    capacities = list(counts)
    choices: dict[int, tuple[int, int]] = {}  # arc index -> (person, seat)
    for person, seats in enumerate(allowed):
        tails.append(source)
        heads.append(2 + person)
        capacities.append(1)
        for seat in seats:
            choices[len(tails)] = (person, seat)
            tails.append(2 + person)
            heads.append(first_seat + seat)
            capacities.append(1)
    network = max_flow.SimpleMaxFlow()
    arcs = network.add_arcs_with_capacity(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
    )
    if network.solve(source, sink) != network.OPTIMAL:
        raise RuntimeError("OR-Tools max flow failed")
    flows = np.asarray(network.flows(np.asarray(arcs, dtype=np.int32)))
    for arc, (person, seat) in choices.items():
        if flows[arc]:
            matched[person] = seat
    return matched
