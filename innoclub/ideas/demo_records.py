"""What the plan of the demo ideas is made of (``demo_plan.py``,
``demo_engagement.py``): the people and forums it draws on, how ideas in
each stage look, and one record per idea with everything around it.
``demo.py`` fills in the saved rows (``row``, ``idea``, ``pilot``).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from innoclub.accounts.models import User
from innoclub.events.models import Session
from innoclub.ideas.models import Comment, EvaluationAssignment, Idea, IdeaGroup, Stage, StageChange
from innoclub.network.models import Municipality, MunicipalityKind, Topic
from innoclub.pilots.models import PilotProject

BERLIN = ZoneInfo("Europe/Berlin")
IDEA, CONCEPT, PILOT = Stage.IDEA.value, Stage.CONCEPT.value, Stage.PILOT.value
TRANSFER, DEFERRED, REJECTED = Stage.TRANSFER.value, Stage.DEFERRED.value, Stage.REJECTED.value


class StageProfile(NamedTuple):
    """How ideas now in a stage look; (low, high) are ranges to draw from."""

    age_days: tuple[int, int]  # how long ago written, unless born in a forum
    forums: tuple[int, int]  # which Deutschlandforen (by number) it can come from
    supports: tuple[int, int]
    comments: tuple[int, int]  # threads; replies come on top
    interests: tuple[int, int]
    evaluated: float  # share with evaluators, of those that went through Konzept
    quality: int  # the evaluators' scores scatter around this


PROFILES = {
    IDEA: StageProfile((5, 700), (19, 22), (0, 18), (0, 6), (0, 3), 0.0, 3),
    CONCEPT: StageProfile((150, 1300), (17, 22), (6, 30), (2, 8), (1, 6), 0.8, 3),
    PILOT: StageProfile((400, 2000), (14, 21), (15, 40), (2, 8), (2, 8), 0.8, 4),
    TRANSFER: StageProfile((1100, 3000), (10, 18), (20, 40), (1, 6), (3, 10), 0.5, 4),
    DEFERRED: StageProfile((200, 2200), (12, 22), (0, 12), (0, 4), (0, 2), 0.4, 3),
    REJECTED: StageProfile((150, 2400), (12, 22), (0, 8), (0, 4), (0, 1), 0.6, 2),
}


@dataclass
class Cast:
    """Who and what the demo ideas draw on, loaded once."""

    members: list[User]  # active members with a municipality, by e-mail
    partners: list[User]  # guests with a profile
    since: dict[int, datetime.date]
    expertise: dict[int, set[str]]
    staff: User
    demo_member: User
    demo_guest: User
    topics: dict[str, Topic]
    sessions: list[Session]  # workshops and panels of past Deutschlandforen
    session_topics: dict[int, set[str]]
    attendees: dict[int, set[int]]  # event → users registered

    def joined(self, people: list[User], moment: datetime.datetime) -> list[User]:
        day = moment.date()
        return [p for p in people if self.since[p.id] <= day]


@dataclass
class GroupEntry:
    group: IdeaGroup
    members: list[User]
    topics: set[str]


@dataclass
class Step:
    from_stage: str
    to_stage: str
    at: datetime.datetime
    rationale: str
    row: StageChange | None = None


@dataclass
class CommentPlan:
    author: User
    body: str
    at: datetime.datetime
    parent: CommentPlan | None = None
    edited: bool = False
    hidden_reason: str = ""
    replies: list[CommentPlan] = field(default_factory=list)
    row: Comment | None = None


@dataclass
class EvaluationPlan:
    evaluator: User
    assigned_at: datetime.datetime
    submitted_at: datetime.datetime | None
    scores: tuple[int, int, int]  # Wirkung, Übertragbarkeit, Aufwand
    note: str
    row: EvaluationAssignment | None = None


@dataclass
class IdeaPlan:
    title: str
    title_template: str  # with "{in_ort}" where the municipality goes
    kind: str
    topics: list[Topic]
    stage: str
    authors: list[User]
    municipality: Municipality | None
    origin: Session | None
    visibility: str
    group: IdeaGroup | None
    created_at: datetime.datetime
    steps: list[Step]
    problem: str
    proposal: str
    context: str
    concept: dict[str, str]
    pilot_state: str = ""
    pilot_title: str = ""
    comments: list[CommentPlan] = field(default_factory=list)
    supports: list[tuple[User, datetime.datetime]] = field(default_factory=list)
    interests: list[tuple[User, datetime.datetime, str]] = field(default_factory=list)
    follows: dict[int, tuple[User, datetime.datetime]] = field(default_factory=dict)
    evaluations: list[EvaluationPlan] = field(default_factory=list)
    own: bool = False
    idea: Idea | None = None
    pilot: PilotProject | None = None

    @property
    def author_ids(self) -> set[int]:
        return {author.id for author in self.authors}

    def all_comments(self) -> Iterator[CommentPlan]:
        for comment in self.comments:
            yield comment
            yield from comment.replies

    def step_at(self, stage: str) -> datetime.datetime | None:
        """When the idea first reached ``stage``."""
        return next((s.at for s in self.steps if s.to_stage == stage), None)

    def pilot_started_at(self) -> datetime.datetime:
        return self.step_at(PILOT) or self.created_at

    def follow(self, user: User, at: datetime.datetime) -> None:
        known = self.follows.get(user.pk)
        if known is None or at < known[1]:
            self.follows[user.pk] = (user, at)


def place_words(place: Municipality | None) -> dict[str, Any]:
    """``{in_ort}``, ``{In_ort}`` and ``{population}`` for the texts."""
    if place is None:
        return {"in_ort": "bei uns", "In_ort": "Bei uns", "population": ""}
    if place.kind == MunicipalityKind.LANDKREIS:
        where = f"in der {place.name}" if place.name.startswith("Region ") else f"im {place.name}"
    else:
        where = f"in {place.name}"
    population = f"{round(place.population or 0, -3):,}".replace(",", ".")
    return {"in_ort": where, "In_ort": where[0].upper() + where[1:], "population": population}


def between(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def at_hours(
    rng: random.Random, moment: datetime.datetime, first: int, last: int
) -> datetime.datetime:
    """The same day in Berlin, at a random time between ``first`` and ``last`` o'clock."""
    local = moment.astimezone(BERLIN)
    return local.replace(
        hour=rng.randint(first, last), minute=rng.randint(0, 59), second=0, microsecond=0
    )
