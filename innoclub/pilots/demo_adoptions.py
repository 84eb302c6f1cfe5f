"""Who adopted the demo pilots, and when: about 200 adoptions in every Land.

Each pilot gets a way of spreading by its state: a few finished pilots spread
fast, most steadily, some stall (early interest, little follows, some give
up); running pilots spread less, planned ones not yet, and those who were
interested in an aborted pilot gave up. Every adoption is a timeline
interessiert → vorbereitung → umgesetzt (or aufgegeben, with a reason) cut at
today. The demo member's municipality has adopted one public finished pilot
and prepares a second, and has not adopted the other public running pilots,
so "Nachnutzen" can be shown.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from innoclub.accounts.models import User
from innoclub.core.access import Visibility
from innoclub.network.models import FederalState, Municipality
from innoclub.pilots.demo_plan import (
    DAY,
    IndicatorPlan,
    PilotPlan,
    Planner,
    berlin,
    changed,
    measured,
)
from innoclub.pilots.demo_texts import ADAPTATIONS, GIVE_UP_ABORTED, GIVE_UP_REASONS
from innoclub.pilots.models import AdoptionState, PilotState

TARGET = 200

INTERESTED, PREPARING = AdoptionState.INTERESTED.value, AdoptionState.PREPARING.value
IMPLEMENTED, GIVEN_UP = AdoptionState.IMPLEMENTED.value, AdoptionState.GIVEN_UP.value


class Spread(NamedTuple):
    """How a pilot spreads: when interest starts and how often it goes on."""

    lag_days: int  # after the pilot's start, before the first adopters show up
    shape: float  # below 1: most adopters came recently (the curve steepens)
    window: float  # share of the time since then in which adopters come
    prepare: float  # chance that interest turns into preparation
    implement: float  # chance that preparation ends in implementation
    give_up: float  # chance that an adoption that did not get further is given up


SPREADS = {
    "fast": Spread(60, 0.6, 1.0, 0.9, 0.85, 0.05),
    "steady": Spread(120, 1.0, 1.0, 0.75, 0.65, 0.12),
    "stalling": Spread(30, 1.0, 0.4, 0.35, 0.3, 0.5),
    "aborted": Spread(30, 1.0, 1.0, 0.3, 0.0, 1.0),
}
# Per pilot state: the ways of spreading in order (the rest "none"), and how many adopt.
CATEGORIES = {
    PilotState.COMPLETED: ["fast"] * 3 + ["steady"] * 5,
    PilotState.RUNNING: ["fast"] * 2 + ["steady"] * 9,
    PilotState.ABORTED: ["aborted"] * 9,
}
STALLING = {PilotState.COMPLETED: "stalling", PilotState.RUNNING: "stalling"}
COUNTS: dict[tuple[str, str], tuple[int, int]] = {
    (PilotState.COMPLETED, "fast"): (20, 24),
    (PilotState.COMPLETED, "steady"): (8, 11),
    (PilotState.COMPLETED, "stalling"): (3, 4),
    (PilotState.RUNNING, "fast"): (12, 15),
    (PilotState.RUNNING, "steady"): (3, 6),
    (PilotState.RUNNING, "stalling"): (1, 3),
    (PilotState.ABORTED, "aborted"): (1, 3),
}
RUNNING_STALLING = 5  # running pilots that stall; the rest have no adopters yet


@dataclass
class AdoptionPlan:
    plan: PilotPlan
    municipality: Municipality
    steps: list[tuple[str, datetime.date]]
    contact: User | None
    declared_by: User
    reason: str = ""
    adaptations: str = ""
    verified_at: datetime.datetime | None = None
    values: list[tuple[IndicatorPlan, Decimal, Decimal]] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.steps[-1][0]

    def on(self, state: str) -> datetime.date | None:
        return next((at for s, at in self.steps if s == state), None)


class AdoptionPlanner(Planner):
    rng: random.Random

    def plan(self, plans: list[PilotPlan]) -> list[AdoptionPlan]:
        self.rng = random.Random("pilot-demo-adoptions")  # noqa: S311 - demo data
        spreads = self._spreads(plans)
        counts = self._counts(plans, spreads)
        adoptions: list[AdoptionPlan] = []
        for plan in plans:
            taken = set(plan.partner_ids) | {self.home}
            for _n in range(counts[plan.pilot.pk]):
                place = self._adopter(plan, taken)
                taken.add(place.pk)
                adoptions.append(self._adoption(plan, place, spreads[plan.pilot.pk]))
        adoptions += self._every_land(plans, adoptions, spreads)
        adoptions += self._demo_member(plans)
        return adoptions

    def _spreads(self, plans: list[PilotPlan]) -> dict[int, str]:
        spreads: dict[int, str] = {}
        for state, order in CATEGORIES.items():
            of_state = [p for p in plans if p.pilot.state == state]
            if state == PilotState.RUNNING:
                # Pilots running for years have had the time to spread.
                of_state.sort(key=lambda p: (p.starts_on, p.pilot.slug))
            else:
                of_state.sort(key=lambda p: random.Random(f"spread-{p.pilot.slug}").random())  # noqa: S311
            for index, plan in enumerate(of_state):
                if index < len(order):
                    spreads[plan.pilot.pk] = order[index]
                elif state == PilotState.COMPLETED or index < len(order) + RUNNING_STALLING:
                    spreads[plan.pilot.pk] = STALLING.get(state, "none")
        return spreads

    def _counts(self, plans: list[PilotPlan], spreads: dict[int, str]) -> dict[int, int]:
        """How many adopt each pilot, scaled so that all together are about ``TARGET``."""
        raw = {}
        for plan in plans:
            spread = spreads.get(plan.pilot.pk, "none")
            low, high = COUNTS.get((plan.pilot.state, spread), (0, 0))
            raw[plan.pilot.pk] = self.rng.randint(low, high)
        total = sum(raw.values()) or 1
        return {pk: round(count * TARGET / total) if count else 0 for pk, count in raw.items()}

    def _adopter(self, plan: PilotPlan, taken: set[int | None]) -> Municipality:
        lead = plan.source.lead
        candidates = [p for p in self.places if p.pk not in taken]
        weights = [
            (2 if p.kind == lead.kind else 1) * (2 if self.members.get(p.pk) else 1)
            for p in candidates
        ]
        return self.rng.choices(candidates, weights)[0]

    def _timeline(
        self, plan: PilotPlan, spread: Spread
    ) -> tuple[list[tuple[str, datetime.date]], str]:
        rng, today = self.rng, self.today
        first = plan.starts_on + spread.lag_days * DAY
        last = today - 10 * DAY
        if plan.pilot.state == PilotState.ABORTED:
            last = min(last, plan.ends_on)
        if first >= last:
            first = last - 60 * DAY
        span = (last - first).days * spread.window
        at = first + round(span * rng.random() ** spread.shape) * DAY
        steps = [(INTERESTED, at)]
        if rng.random() < spread.prepare:
            at += rng.randint(30, 180) * DAY
            if at <= today:
                steps.append((PREPARING, at))
                if rng.random() < spread.implement:
                    at += rng.randint(90, 360) * DAY
                    if at <= today:
                        steps.append((IMPLEMENTED, at))
        reason = ""
        if plan.pilot.state == PilotState.ABORTED:
            at = min(max(at, plan.ends_on) + rng.randint(10, 90) * DAY, today)
            reason = GIVE_UP_ABORTED
        elif steps[-1][0] != IMPLEMENTED and rng.random() < spread.give_up:
            at += rng.randint(60, 270) * DAY
            reason = rng.choice(GIVE_UP_REASONS)
        if reason and at <= today:
            steps.append((GIVEN_UP, at))
        return steps, reason if steps[-1][0] == GIVEN_UP else ""

    def _adoption(self, plan: PilotPlan, place: Municipality, spread_name: str) -> AdoptionPlan:
        rng = self.rng
        steps, reason = self._timeline(plan, SPREADS[spread_name])
        people = self.members.get(place.pk, [])
        contact = rng.choice(people) if people else None
        adoption = AdoptionPlan(
            plan=plan,
            municipality=place,
            steps=steps,
            contact=contact,
            declared_by=contact or self.staff,
            reason=reason,
        )
        if adoption.state in (PREPARING, IMPLEMENTED) and rng.random() < 0.6:
            adoption.adaptations = rng.choice(ADAPTATIONS)
        implemented = adoption.on(IMPLEMENTED)
        if implemented is not None and rng.random() < 0.5:
            checked = min(implemented + rng.randint(7, 60) * DAY, self.today)
            adoption.verified_at = berlin(checked, 11)
        if implemented is not None and rng.random() < 0.4:
            adoption.values = self._values(plan)
        return adoption

    def _values(self, plan: PilotPlan) -> list[tuple[IndicatorPlan, Decimal, Decimal]]:
        values = []
        for indicator in plan.indicators:
            if indicator.before is None:
                continue
            before = float(indicator.before) * self.rng.uniform(0.7, 1.3)
            after = changed(indicator.seed, before, self.rng)
            unit = indicator.seed.unit
            values.append((indicator, measured(before, unit), measured(after, unit)))
        return values

    def _every_land(
        self, plans: list[PilotPlan], adoptions: list[AdoptionPlan], spreads: dict[int, str]
    ) -> list[AdoptionPlan]:
        """One more adoption of the most adopted pilot in each Land nobody adopted in."""
        covered = {a.municipality.state for a in adoptions}
        if not plans:
            return []
        adopted: dict[int, set[int]] = {}
        for a in adoptions:
            adopted.setdefault(a.plan.pilot.pk, set()).add(a.municipality.pk)
        top = max(plans, key=lambda p: (len(adopted.get(p.pilot.pk, ())), p.pilot.slug))
        taken = top.partner_ids | adopted.get(top.pilot.pk, set()) | {self.home}
        extra = []
        for land in FederalState.values:
            places = [p for p in self.places if p.state == land and p.pk not in taken]
            if land in covered or not places:
                continue
            place = self.rng.choice(places)
            extra.append(self._adoption(top, place, spreads.get(top.pilot.pk, "steady")))
        return extra

    def _demo_member(self, plans: list[PilotPlan]) -> list[AdoptionPlan]:
        """The demo member's municipality implemented a public finished pilot and
        prepares a members' running one."""
        me, home = self.demo_member, self.home
        if home is None:
            return []
        place = next(p for p in self.places if p.pk == home)
        free = [p for p in plans if home not in p.partner_ids]
        # Long enough ago that the whole way to "umgesetzt" lies in the past.
        finished = [
            p
            for p in free
            if p.pilot.state == PilotState.COMPLETED
            and p.pilot.visibility == Visibility.PUBLIC
            and p.starts_on < self.today - 400 * DAY
        ]
        running = [
            p
            for p in free
            if p.pilot.state == PilotState.RUNNING and p.pilot.visibility == Visibility.MEMBERS
        ]
        adoptions = []
        if finished:
            plan = finished[0]
            started = max(plan.starts_on + 120 * DAY, self.today - 700 * DAY)
            steps = [
                (INTERESTED, started),
                (PREPARING, started + 75 * DAY),
                (IMPLEMENTED, min(started + 300 * DAY, self.today - 30 * DAY)),
            ]
            adoptions.append(
                AdoptionPlan(
                    plan=plan,
                    municipality=place,
                    steps=steps,
                    contact=me,
                    declared_by=me,
                    adaptations=ADAPTATIONS[3],
                    verified_at=berlin(steps[-1][1] + 14 * DAY, 11),
                    values=self._values(plan),
                )
            )
        if running:
            plan = running[0]
            started = max(plan.starts_on + 60 * DAY, self.today - 200 * DAY)
            steps = [(INTERESTED, started), (PREPARING, started + 50 * DAY)]
            adoptions.append(
                AdoptionPlan(
                    plan=plan,
                    municipality=place,
                    steps=[s for s in steps if s[1] <= self.today],
                    contact=me,
                    declared_by=me,
                    adaptations=ADAPTATIONS[6],
                )
            )
        return adoptions
