"""The plan of the demo ideas, drawn before anything is written (see ``demo.py``).

Each idea draws from its own generator seeded by its seed and variant, so the
plan depends only on the demo people and forums, never on what exists.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from innoclub.accounts.models import User
from innoclub.core.access import Visibility
from innoclub.events.models import Session, SessionKind
from innoclub.ideas.demo_engagement import add_demo_evaluations, hide_comments, plan_engagement
from innoclub.ideas.demo_records import (
    CONCEPT,
    DEFERRED,
    IDEA,
    PILOT,
    PROFILES,
    REJECTED,
    TRANSFER,
    Cast,
    GroupEntry,
    IdeaPlan,
    Step,
    at_hours,
    place_words,
)
from innoclub.ideas.demo_texts import (
    CONTEXTS,
    GOAL_EXTRAS,
    RATIONALES,
    RESOURCES,
    RISKS,
    SEEDS,
    SUCCESS,
    IdeaSeed,
)
from innoclub.ideas.models import GROUP
from innoclub.network.models import Municipality, MunicipalityKind
from innoclub.pilots.models import PilotState

STAGE_COUNTS = {IDEA: 60, CONCEPT: 35, PILOT: 20, TRANSFER: 10, DEFERRED: 15, REJECTED: 10}
# The ways to each stage, with weights; all follow stages.TRANSITIONS.
PATHS: dict[str, list[tuple[int, tuple[str, ...]]]] = {
    IDEA: [
        (85, (IDEA,)),
        (8, (IDEA, DEFERRED, IDEA)),
        (5, (IDEA, CONCEPT, IDEA)),
        (2, (IDEA, REJECTED, IDEA)),
    ],
    CONCEPT: [(85, (IDEA, CONCEPT)), (15, (IDEA, DEFERRED, CONCEPT))],
    PILOT: [(85, (IDEA, CONCEPT, PILOT)), (15, (IDEA, CONCEPT, DEFERRED, CONCEPT, PILOT))],
    TRANSFER: [(1, (IDEA, CONCEPT, PILOT, TRANSFER))],
    DEFERRED: [
        (45, (IDEA, DEFERRED)),
        (40, (IDEA, CONCEPT, DEFERRED)),
        (15, (IDEA, CONCEPT, PILOT, DEFERRED)),
    ],
    REJECTED: [
        (50, (IDEA, REJECTED)),
        (35, (IDEA, CONCEPT, REJECTED)),
        (15, (IDEA, DEFERRED, REJECTED)),
    ],
}
ORIGIN_SHARE = 0.7  # of the ideas with a fitting forum session
# How long each step takes relative to the others.
STEP_WEIGHT = {CONCEPT: 1.0, PILOT: 1.4, TRANSFER: 2.5, DEFERRED: 1.0, REJECTED: 0.8, IDEA: 0.7}
MAX_GROUP_IDEAS = 4  # besides the demo member's


@dataclass(frozen=True)
class Own:
    """An idea of the demo member (first author unless shared with a group)."""

    seed: str
    variant: int
    stage: str
    visibility: str
    path: tuple[str, ...]
    forum: int = 0
    session: str = ""
    age_days: int = 0
    moved_days: int = 0  # the last move was this many days ago
    group: str = ""


OWN = [
    Own("bauantrag", 0, PILOT, Visibility.PUBLIC, (IDEA, CONCEPT, PILOT), forum=20, session="Verfahren verschlanken"),
    Own("ki", 0, CONCEPT, Visibility.MEMBERS, (IDEA, CONCEPT), forum=22, session="KI-Assistenz in der Sachbearbeitung", moved_days=8),
    Own("termine", 0, IDEA, Visibility.PUBLIC, (IDEA,), age_days=24),
    Own("ratsarbeit", 0, DEFERRED, Visibility.MEMBERS, (IDEA, CONCEPT, DEFERRED), age_days=560),
    Own("interkommunaleit", 2, IDEA, GROUP, (IDEA,), age_days=75, group="Arbeitskreis Digitale Verwaltung"),
]  # fmt: skip


def _place_tiers(where: str) -> list[Callable[[Municipality], bool]]:
    """Tests a first author's municipality should pass, best first."""
    if where == "land":
        return [
            lambda m: m.kind == MunicipalityKind.LANDKREIS,
            lambda m: (m.population or 0) < 60_000,
        ]
    if where == "stadt":
        return [lambda m: m.kind != MunicipalityKind.LANDKREIS and (m.population or 0) >= 80_000]
    return []


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def plan_ideas(cast: Cast, groups: dict[str, GroupEntry], now: datetime.datetime) -> list[IdeaPlan]:
    """All demo ideas in a fixed order, each with everything around it."""
    rng = random.Random("ideas-demo")  # noqa: S311 - demo data
    own = {(o.seed, o.variant): o for o in OWN}
    slots = [(seed, variant) for seed in SEEDS for variant in range(3)]
    free = [n for n, (seed, variant) in enumerate(slots) if (seed.key, variant) not in own]
    chosen = set(rng.sample(free, sum(STAGE_COUNTS.values()) - len(OWN)))
    stages = [stage for stage, count in STAGE_COUNTS.items() for _ in range(count)]
    for o in OWN:
        stages.remove(o.stage)
    rng.shuffle(stages)
    planner = _Planner(cast, groups, now)
    plans = []
    for n, (seed, variant) in enumerate(slots):
        mine = own.get((seed.key, variant))
        if mine is not None:
            plans.append(planner.plan(seed, variant, mine.stage, mine))
        elif n in chosen:
            plans.append(planner.plan(seed, variant, stages.pop(), None))
    hide_comments(plans)
    add_demo_evaluations(plans, cast, now)
    return plans


class _Planner:
    def __init__(self, cast: Cast, groups: dict[str, GroupEntry], now: datetime.datetime) -> None:
        self.cast = cast
        self.groups = groups
        self.now = now
        self.group_ideas = 0
        self.others = [m for m in cast.members if m.id != cast.demo_member.id]

    def plan(self, seed: IdeaSeed, variant: int, stage: str, own: Own | None) -> IdeaPlan:
        cast = self.cast
        rng = random.Random(f"idea-{seed.key}-{variant}")  # noqa: S311 - demo data
        ways = PATHS[stage]
        path = own.path if own else rng.choices([w for _n, w in ways], [n for n, _w in ways])[0]
        visibility, entry = self._sharing(rng, seed, stage, own)
        origin = self._origin(rng, seed, stage, own)
        if origin is not None:
            created = origin.starts_at + datetime.timedelta(days=rng.randint(2, 9))
        else:
            days = own.age_days if own and own.age_days else rng.randint(*PROFILES[stage].age_days)
            created = self.now - datetime.timedelta(days=days)
        created = at_hours(rng, created, 8, 17)
        authors = self._authors(rng, seed, entry, origin, created, own)
        place = authors[0].municipality
        words = place_words(place)
        contexts = [c for c in CONTEXTS if "{population}" not in c or (place and place.population)]
        plan = IdeaPlan(
            title=seed.titles[variant].format(**words),
            title_template=seed.titles[variant],
            kind=seed.kind,
            topics=[cast.topics[slug] for slug in seed.topics if slug in cast.topics],
            stage=stage,
            authors=authors,
            municipality=place,
            origin=origin,
            visibility=visibility,
            group=entry.group if entry else None,
            created_at=created,
            steps=self._steps(rng, path, created, moved_days=own.moved_days if own else 0),
            problem=seed.problem.format(**words),
            proposal=seed.proposal.format(**words),
            context=rng.choice(contexts).format(**words),
            concept=self._concept(rng, seed, path, own),
            own=own is not None,
        )
        if PILOT in path:
            plan.pilot_state = self._pilot_state(plan)
            in_title = "{in_ort}" in seed.titles[variant]
            plan.pilot_title = (
                f"{plan.title}: Erprobung {words['in_ort']}"
                if not in_title and rng.random() < 0.4
                else plan.title
            )
        viewers = self._viewers(plan, entry)
        plan_engagement(rng, plan, cast, viewers, self.now, minimum_comments=3 if own else 0)
        return plan

    def _sharing(
        self, rng: random.Random, seed: IdeaSeed, stage: str, own: Own | None
    ) -> tuple[str, GroupEntry | None]:
        """Who sees the idea: a few early ideas stay in a working group, a good quarter is public."""
        group_roll, public_roll = rng.random(), rng.random()
        fitting = [g for g in self.groups.values() if g.topics & set(seed.topics)]
        if own:
            return own.visibility, self.groups[own.group] if own.group else None
        if (
            stage in (IDEA, CONCEPT)
            and fitting
            and group_roll < 0.15
            and self.group_ideas < MAX_GROUP_IDEAS
        ):
            self.group_ideas += 1
            return GROUP, fitting[0]
        if public_roll < (0.5 if stage in (PILOT, TRANSFER) else 0.27):
            return Visibility.PUBLIC, None
        return Visibility.MEMBERS, None

    def _authors(
        self,
        rng: random.Random,
        seed: IdeaSeed,
        entry: GroupEntry | None,
        origin: Session | None,
        created: datetime.datetime,
        own: Own | None,
    ) -> list[User]:
        """One to three members then in the club, at the forum if it was born there."""
        cast = self.cast
        everyone = entry.members if entry else self.others
        everyone = [m for m in cast.joined(everyone, created) if m.id != cast.demo_member.id]
        pool = everyone
        if origin is not None:
            present = cast.attendees.get(origin.event_id, set())
            pool = [m for m in pool if m.id in present] or pool
        # The first author's place should suit the idea (a Dorfladen is not for
        # a big city); if nobody at the forum fits, a co-author was there.
        local = pool
        for test in _place_tiers(seed.place):
            suitable = [m for m in pool if m.municipality and test(m.municipality)] or [
                m for m in everyone if m.municipality and test(m.municipality)
            ]
            if suitable:
                local = suitable
                break
        first = rng.choice(local)
        count = rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
        if first not in pool:
            count = max(count, 2)
        others = rng.sample([m for m in pool if m != first], min(count - 1, len(pool) - 1))
        if own:
            return [first, cast.demo_member] if own.group else [cast.demo_member, first]
        return [first, *others]

    def _origin(
        self, rng: random.Random, seed: IdeaSeed, stage: str, own: Own | None
    ) -> Session | None:
        sessions = self.cast.sessions
        if own is not None:
            return next(
                (s for s in sessions if s.event.number == own.forum and s.title == own.session),
                None,
            )
        low, high = PROFILES[stage].forums
        candidates = [
            s
            for s in sessions
            if low <= (s.event.number or 0) <= high
            and self.cast.session_topics.get(s.pk, set()) & set(seed.topics)
        ]
        roll = rng.random()
        if not candidates or roll >= ORIGIN_SHARE:
            return None
        # Every fitting forum is as likely, whatever the size of its program.
        forum = rng.choice(sorted({s.event.number or 0 for s in candidates}))
        candidates = [s for s in candidates if s.event.number == forum]
        weights = [3 if s.kind == SessionKind.WORKSHOP else 1 for s in candidates]
        return rng.choices(candidates, weights=weights)[0]

    def _steps(
        self,
        rng: random.Random,
        path: tuple[str, ...],
        created: datetime.datetime,
        *,
        moved_days: int,
    ) -> list[Step]:
        """The history along ``path``; the last move ``moved_days`` ago if given."""
        steps = [Step("", IDEA, created, "")]
        moves = list(itertools.pairwise(path))
        if not moves:
            return steps
        weights = [STEP_WEIGHT[to] * rng.uniform(0.6, 1.4) for _from, to in moves]
        since_last = rng.uniform(0.6, 1.4)
        total = sum(weights) + (0 if moved_days else since_last)
        span = (self.now - datetime.timedelta(days=moved_days or 2)) - created
        elapsed = 0.0
        for (before, after), weight in zip(moves, weights, strict=True):
            elapsed += weight
            at = at_hours(rng, created + span * (elapsed / total), 8, 17)
            at = max(at, steps[-1].at + datetime.timedelta(hours=1))
            steps.append(Step(before, after, at, rng.choice(RATIONALES[(before, after)])))
        return steps

    def _concept(
        self, rng: random.Random, seed: IdeaSeed, path: tuple[str, ...], own: Own | None
    ) -> dict[str, str]:
        if CONCEPT not in path:
            return {}
        months = rng.choice((6, 9, 12, 18, 24))
        budget = f"{rng.choice((15, 25, 40, 60, 80, 120, 150)) * 1000:,}".replace(",", ".")
        concept = {
            "goals": "\n".join(
                f"- {_cap(goal)}" for goal in [seed.goal, *rng.sample(GOAL_EXTRAS, 2)]
            ),
            "audience": _cap(seed.audience) + ".",
            "resources": rng.choice(RESOURCES).format(months=months, budget=budget),
            "risks": "\n".join(f"- {risk}" for risk in rng.sample(RISKS, rng.randint(2, 3))),
            "success_criteria": rng.choice(SUCCESS).format(
                metric=_cap(seed.metric),
                percent=rng.choice((15, 20, 25, 30)),
                months=months,
                towns=rng.randint(2, 5),
            ),
        }
        # A concept still being written has gaps; from Pilot on it is complete.
        gaps = rng.random(), rng.random()
        if path[-1] == CONCEPT:
            if own or gaps[0] < 0.35:
                concept["risks"] = ""
            if own or gaps[1] < 0.3:
                concept["success_criteria"] = ""
        return concept

    def _pilot_state(self, plan: IdeaPlan) -> str:
        if plan.stage == TRANSFER:
            return PilotState.COMPLETED
        if plan.stage != PILOT:
            return PilotState.ABORTED
        running_since = self.now - plan.pilot_started_at()
        return PilotState.PLANNED if running_since.days < 180 else PilotState.RUNNING

    def _viewers(self, plan: IdeaPlan, entry: GroupEntry | None) -> list[User]:
        if entry is not None:
            people = list(entry.members)
        else:
            people = list(self.cast.members)
            if plan.visibility == Visibility.PUBLIC:
                people += self.cast.partners
        known = {p.id for p in people}
        return people + [a for a in plan.authors if a.id not in known]
