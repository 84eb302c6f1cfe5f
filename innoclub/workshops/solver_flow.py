"""The min-cost flow for workshops in fixed time slots, with OR-Tools."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from innoclub.workshops.solver_milp import Allocation

if TYPE_CHECKING:
    from innoclub.workshops.solver import Problem

_SOURCE, _SINK = 0, 1


def allocate_by_flow(problem: Problem) -> Allocation:
    """Exact allocation when every workshop runs in one slot only, by network flows.

    Slots are then independent assignment problems, solved together in one network:
    source -> (person, slot) -> offering -> sink, all capacity 1 except offering -> sink
    (seats left). Instead of an arc to every offering a person did not rank, each
    (person, slot) has one arc to the slot's "outside ranking" node, which feeds every
    offering of the slot; that keeps the network at O(people * K + offerings) arcs.

    Stage 1 is a maximum flow. Stage 2 finds the smallest rank R (one R for all slots) for
    which the network restricted to arcs of rank <= R still carries that flow; the overflow
    node counts as rank K+1. Stage 3 is a min-cost flow of that value with ranks <= R.

    Why decoding the overflow node is exact: pair the people who enter it with the seats it
    feeds in any order. Every person may take any offering of the slot (no workshop repeats
    across slots here), so any pairing is a valid allocation with the same number of
    placements. No pair can be an offering the person ranked: the direct arc of that pair
    would be unused (the person's one unit went to overflow), and rerouting through it would
    lower the cost by cost(K+1) - cost(rank) > 0, contradicting optimality. So every pair
    is an unranked placement of rank exactly K+1, and the allocation has exactly the flow's
    placements, worst rank and cost. Conversely every allocation is a flow of equal value
    and cost, so the flow's optimum is the allocation's optimum in all three stages; the
    assignment polytope is integral, so the cost is also the LP bound.
    """
    offerings = problem.offerings
    overflow_rank = problem.choices + 1
    slot_node: dict[int, int] = {}
    for offering in offerings:
        slot_node.setdefault(offering.slot, 2 + len(offerings) + len(slot_node))
    by_slot_workshop: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, offering in enumerate(offerings):
        by_slot_workshop[offering.slot, offering.workshop].append(index)
    workshops_in_slot = Counter(slot for slot, _ in by_slot_workshop)

    tails: list[int] = []
    heads: list[int] = []
    capacities: list[int] = []
    ranks: list[int] = []  # 0 for arcs that are always open

    def add_arc(tail: int, head: int, capacity: int, rank: int = 0) -> None:
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)
        ranks.append(rank)

    for index, offering in enumerate(offerings):
        add_arc(2 + index, _SINK, offering.capacity)
        add_arc(slot_node[offering.slot], 2 + index, offering.capacity)
    # Arc index -> (person, slot, offering index or -1 for the overflow node).
    meaning: dict[int, tuple[int, int, int]] = {}
    node = 2 + len(offerings) + len(slot_node)
    for seeker in problem.seekers:
        for slot in seeker.open_slots:
            if slot not in slot_node:
                continue
            add_arc(_SOURCE, node, 1)
            ranked_here = 0
            for workshop, rank in seeker.ranks.items():
                targets = by_slot_workshop.get((slot, workshop), [])
                ranked_here += bool(targets)
                for index in targets:
                    meaning[len(tails)] = (seeker.person, slot, index)
                    add_arc(node, 2 + index, 1, rank)
            if workshops_in_slot[slot] > ranked_here:
                meaning[len(tails)] = (seeker.person, slot, -1)
                indifferent = slot in seeker.indifferent
                add_arc(node, slot_node[slot], 1, 0 if indifferent else overflow_rank)
            node += 1
    if not meaning:
        return Allocation({}, True, 0.0)

    tail_array = np.array(tails, dtype=np.int32)
    head_array = np.array(heads, dtype=np.int32)
    capacity_array = np.array(capacities, dtype=np.int64)
    rank_array = np.array(ranks, dtype=np.int64)

    def flow_within(worst: int) -> int:
        usable = rank_array <= worst
        network = max_flow.SimpleMaxFlow()
        network.add_arcs_with_capacity(
            tail_array[usable], head_array[usable], capacity_array[usable]
        )
        if network.solve(_SOURCE, _SINK) != network.OPTIMAL:
            raise RuntimeError("OR-Tools max flow failed")
        return network.optimal_flow()

    most = flow_within(overflow_rank)
    if most == 0:
        return Allocation({}, True, 0.0)
    low, high = 1, overflow_rank
    while low < high:
        middle = (low + high) // 2
        if flow_within(middle) == most:
            high = middle
        else:
            low = middle + 1

    usable = np.flatnonzero(rank_array <= low)
    network = min_cost_flow.SimpleMinCostFlow()
    arcs = network.add_arcs_with_capacity_and_unit_cost(
        tail_array[usable],
        head_array[usable],
        capacity_array[usable],
        np.array(problem.costs, dtype=np.int64)[rank_array[usable]],
    )
    network.set_node_supply(_SOURCE, most)
    network.set_node_supply(_SINK, -most)
    if network.solve() != network.OPTIMAL:
        raise RuntimeError("OR-Tools min-cost flow failed")
    flows = np.asarray(network.flows(arcs))

    chosen: dict[tuple[int, int], int] = {}
    waiting: dict[int, list[int]] = defaultdict(list)  # slot -> people in the overflow node
    seats: dict[int, list[int]] = defaultdict(list)  # slot -> offering ids it fed
    for position in np.flatnonzero(flows).tolist():
        arc = int(usable[position])
        if arc in meaning:
            person, slot, index = meaning[arc]
            if index >= 0:
                chosen[person, slot] = offerings[index].id
            else:
                waiting[slot].append(person)
        elif heads[arc] != _SINK and tails[arc] != _SOURCE:  # overflow node -> offering
            offering = offerings[heads[arc] - 2]
            seats[offering.slot] += [offering.id] * int(flows[position])
    for slot, people in waiting.items():
        for person, offering_id in zip(people, seats[slot], strict=True):
            chosen[person, slot] = offering_id
    return Allocation(chosen, True, float(network.optimal_cost()))
