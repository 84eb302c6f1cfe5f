"""Workshop allocation at forum scale: the solver next to first come, first served.

Generated forums with skewed popularity: workshop weights follow Zipf (1/i), each person
draws their ranked choices by weighted sampling without replacement, and every slot has
5-15 % more seats than people, split over its offerings in proportion to the square root of
their popularity (popular workshops get bigger rooms, but not big enough). Cases:

- ``fixed``: 5,000 people, 60 workshops in 3 fixed slots (20 each); people rank 3 per slot
  (``choices`` = 3, 9 ranks in all; ranks are per slot, as the ranking form asks them);
  target: proven optimal in <= 2 s including model building;
- ``large``: 10,000 people, 200 workshops in 4 fixed slots, 3 ranks per slot; target <= 10 s;
- ``repeat``: 5,000 people, 60 workshops each offered in all 3 slots (180 offerings), nobody
  twice, 9 ranks across the event; target <= 60 s to a proven optimum.

    .venv/bin/python benchmarks/workshop_allocation.py
    .venv/bin/python benchmarks/workshop_allocation.py --case repeat --seed 2

Every (case, method) runs in a child process of its own. "peak MB" is that child's peak
resident memory (ru_maxrss, which includes the interpreter, numpy, OR-Tools and HiGHS);
"+solve MB" is how much it grew during the call, i.e. the memory of the solve itself.
"seconds" is wall time of the call (validation, model building, solving, decoding).
Not a test: it prints figures (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from innoclub.workshops.solver import (  # noqa: E402 - after the path set-up above
    Instance,
    Offering,
    Person,
    Result,
    first_come_first_served,
    solve,
)


@dataclass(frozen=True)
class Case:
    people: int
    workshops: int
    slots: int
    choices: int
    repeat: bool
    target: float  # seconds


CASES = {
    "fixed": Case(people=5_000, workshops=60, slots=3, choices=3, repeat=False, target=2.0),
    "large": Case(people=10_000, workshops=200, slots=4, choices=3, repeat=False, target=10.0),
    "repeat": Case(people=5_000, workshops=60, slots=3, choices=9, repeat=True, target=60.0),
}


def generate(case: Case, seed: int) -> Instance:
    """A forum as described in the module docstring; the same seed gives the same forum."""
    rng = np.random.default_rng(seed)
    weight = 1.0 / np.arange(1, case.workshops + 1)
    rng.shuffle(weight)  # popularity independent of workshop number and slot
    if case.repeat:
        groups = [np.arange(case.workshops)] * case.slots
    else:
        groups = np.array_split(rng.permutation(case.workshops), case.slots)
    offerings = []
    for slot, workshops in enumerate(groups):
        seats = case.people * rng.uniform(1.05, 1.15)
        room = np.sqrt(weight[workshops])
        capacity = np.maximum(1, np.floor(seats * room / room.sum())).astype(int)
        offerings += [
            Offering(id=1000 * slot + int(w), workshop=int(w), slot=slot, capacity=int(c))
            for w, c in zip(workshops, capacity, strict=True)
        ]
    # Rank groups: per slot when slots are fixed, the whole event when workshops repeat.
    rank_groups = [np.arange(case.workshops)] if case.repeat else groups
    ranked = []
    for workshops in rank_groups:
        # Gumbel top-k: the k largest of log(weight) + Gumbel noise are a weighted sample
        # without replacement, in order of drawing.
        keys = np.log(weight[workshops]) + rng.gumbel(size=(case.people, len(workshops)))
        ranked.append(workshops[np.argsort(-keys, axis=1)[:, : case.choices]])
    orders = rng.permutation(case.people)
    people = tuple(
        Person(
            id=number,
            ranks={
                int(workshop): rank
                for picks in ranked
                for rank, workshop in enumerate(picks[number], start=1)
            },
            order=int(orders[number]),
        )
        for number in range(case.people)
    )
    return Instance(offerings=tuple(offerings), people=people, choices=case.choices)


def figures(result: Result, choices: int) -> dict[str, Any]:
    placed = sum(result.histogram.values())
    return {
        "method": result.method,
        "worst": result.worst_rank,
        "first": result.histogram[1] / placed if placed else 0.0,
        "outside": result.histogram[choices + 1] / placed if placed else 0.0,
        "unplaced": len(result.unplaced),
        "cost": result.cost,
        "optimal": result.optimal,
    }


def child(name: str, method: str, seed: int) -> None:
    case = CASES[name]
    instance = generate(case, seed)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = solve(instance, seed=seed) if method == "solver" else first_come_first_served(instance)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                **figures(result, case.choices),
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "solve_mb": (peak - before) / 1024,
            }
        )
    )


def run(name: str, method: str, seed: int) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our own script with our own arguments
        [sys.executable, __file__, "--child", name, method, "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    # HiGHS prints its banner to stdout; the figures are the last line.
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("CASE", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, method = args.child
        child(name, method, args.seed)
        return
    names = list(CASES) if args.case == "all" else [args.case]
    print(
        f"{'case':<7} {'method':<7} {'seconds':>8} {'peak MB':>8} {'+solve MB':>9} "
        f"{'worst':>5} {'1st':>6} {'outside':>7} {'unplaced':>8} {'cost':>9} optimal"
    )
    for name in names:
        for method in ("solver", "fcfs"):
            row = run(name, method, args.seed)
            print(
                f"{name:<7} {row['method']:<7} {row['seconds']:>8.2f} {row['peak_mb']:>8.0f} "
                f"{row['solve_mb']:>9.0f} {row['worst']!s:>5} {row['first']:>6.1%} "
                f"{row['outside']:>7.2%} {row['unplaced']:>8} {row['cost']:>9} "
                f"{'yes' if row['optimal'] else 'no'}"
            )
        case = CASES[name]
        print(f"        target: {case.target:g} s for the solver, proven optimal\n")


if __name__ == "__main__":
    main()
