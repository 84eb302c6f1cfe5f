"""What happens around each demo idea, planned before anything is written:
comments and replies, supports, "Wir würden mitmachen", follows and
evaluations; then the office's three hidden comments and the demo accounts'
evaluations (see ``demo.py``).

Everyone planned here could see the idea at that moment: members for members'
ideas, also guests for public ones, the group for a group's idea.
"""

from __future__ import annotations

import datetime
import random

from innoclub.accounts.models import User
from innoclub.core.access import Visibility
from innoclub.ideas.demo_records import (
    BERLIN,
    CONCEPT,
    DEFERRED,
    PILOT,
    PROFILES,
    REJECTED,
    Cast,
    CommentPlan,
    EvaluationPlan,
    IdeaPlan,
    at_hours,
    between,
    place_words,
)
from innoclub.ideas.demo_texts import COMMENTS, EVALUATION_NOTES, HIDDEN, INTEREST_NOTES
from innoclub.ideas.models import GROUP

MAX_COMMENTS = 12  # comments and replies on one idea


def _daytime(
    rng: random.Random, moment: datetime.datetime, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    """People write between seven in the morning and ten at night, within the window."""
    return min(max(at_hours(rng, moment, 7, 21), start), end)


def plan_engagement(
    rng: random.Random,
    plan: IdeaPlan,
    cast: Cast,
    viewers: list[User],
    now: datetime.datetime,
    *,
    minimum_comments: int,
) -> None:
    """Fill in the discussion, support, interest, follows and evaluations of ``plan``."""
    start = plan.created_at + datetime.timedelta(hours=2)
    end = now - datetime.timedelta(hours=1)
    if plan.stage in (DEFERRED, REJECTED):
        # Set aside, an idea soon falls quiet.
        end = min(end, plan.steps[-1].at + datetime.timedelta(days=20))
    _comments(rng, plan, cast, viewers, start, end, minimum=minimum_comments)
    members = [v for v in viewers if v.role == "member"]
    _supports_and_interests(rng, plan, cast, members, start, end)
    _evaluations(rng, plan, cast, now)


def _comments(
    rng: random.Random,
    plan: IdeaPlan,
    cast: Cast,
    viewers: list[User],
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    minimum: int,
) -> None:
    count = max(minimum, rng.randint(*PROFILES[plan.stage].comments))
    times = sorted(_daytime(rng, between(rng, start, end), start, end) for _ in range(count))
    threads = rng.sample(range(len(COMMENTS)), count)
    generic = [thread for thread in COMMENTS if "{in_ort}" not in thread[0]]
    authors = plan.author_ids
    others = [v for v in viewers if v.id not in authors]
    total = 0
    for at, index in zip(times, threads, strict=True):
        pool = cast.joined(others, at)
        if not pool or total >= MAX_COMMENTS:
            continue
        author = rng.choice(pool)
        text, answers = COMMENTS[index]
        if "{in_ort}" in text and author.municipality is None:
            text, answers = rng.choice(generic)
        body = text.format(**place_words(author.municipality))
        comment = CommentPlan(author, body, at, edited=rng.random() < 0.06)
        plan.comments.append(comment)
        plan.follow(author, at)
        total += 1
        answered = rng.randint(1, 2) if rng.random() < 0.35 else 0
        previous = at
        # The first answer comes from one of the idea's authors, a second from anyone.
        for number, answer in enumerate(answers[:answered]):
            by = rng.choice(plan.authors) if number == 0 else rng.choice(pool)
            when = _daytime(
                rng, previous + datetime.timedelta(hours=rng.randint(1, 72)), start, end
            )
            if when <= previous:
                when = previous + datetime.timedelta(minutes=rng.randint(20, 240))
            if by == author or when >= end or total >= MAX_COMMENTS:
                continue
            comment.replies.append(CommentPlan(by, answer, when, parent=comment))
            plan.follow(by, when)
            previous = when
            total += 1
    for author in plan.authors:
        plan.follow(author, plan.created_at)


def _supports_and_interests(
    rng: random.Random,
    plan: IdeaPlan,
    cast: Cast,
    members: list[User],
    start: datetime.datetime,
    end: datetime.datetime,
) -> None:
    authors = plan.author_ids
    pool = [m for m in cast.joined(members, end) if m.id not in authors]
    count = min(len(pool), rng.randint(*PROFILES[plan.stage].supports))
    for member in rng.sample(pool, count):
        joined = datetime.datetime.combine(cast.since[member.id], datetime.time(12), BERLIN)
        at = _daytime(rng, between(rng, max(start, joined), end), max(start, joined), end)
        plan.supports.append((member, at))
        if rng.random() < 0.25:
            plan.follow(member, at)
    # One declaration per municipality, never the idea's own.
    wanted = rng.randint(*PROFILES[plan.stage].interests)
    candidates = list(pool)
    rng.shuffle(candidates)
    places = {plan.municipality.pk if plan.municipality else None}
    begin = max(plan.step_at(CONCEPT) or start, start)
    for member in candidates:
        if len(plan.interests) >= wanted:
            break
        if member.municipality_id in places:
            continue
        places.add(member.municipality_id)
        at = _daytime(rng, between(rng, begin, end), begin, end)
        plan.interests.append((member, at, rng.choice(INTEREST_NOTES)))
        plan.follow(member, at)


def _evaluations(rng: random.Random, plan: IdeaPlan, cast: Cast, now: datetime.datetime) -> None:
    """Evaluators asked once the idea reached Konzept, done before its next step."""
    concept_at = plan.step_at(CONCEPT)
    roll = rng.random()
    if plan.own or concept_at is None or roll >= PROFILES[plan.stage].evaluated:
        return
    later = [s.at for s in plan.steps if s.at > concept_at]
    until = later[0] if later else now
    excluded = {cast.demo_member.id, cast.demo_guest.id, *plan.author_ids}
    people = cast.joined([*cast.members, *cast.partners], concept_at)
    pool = [person for person in people if person.id not in excluded]
    quality = PROFILES[plan.stage].quality + rng.choice((-1, 0, 0, 1))
    still_open = plan.steps[-1].to_stage == CONCEPT
    for evaluator in rng.sample(pool, rng.randint(2, 3)):
        assigned = between(rng, concept_at, concept_at + (until - concept_at) * 0.35)
        assigned = _daytime(rng, assigned, concept_at, until)
        submitted = between(rng, assigned + (until - assigned) * 0.2, until)
        submitted = _daytime(rng, submitted, assigned, until)
        scores = (
            min(5, max(1, quality + rng.choice((-1, 0, 0, 1)))),
            min(5, max(1, quality + rng.choice((-1, 0, 1)))),
            rng.randint(2, 5),
        )
        recent = now - assigned < datetime.timedelta(days=21)
        pending = still_open and (rng.random() < 0.25 or recent)
        note = rng.choice(EVALUATION_NOTES)
        plan.evaluations.append(
            EvaluationPlan(evaluator, assigned, None if pending else submitted, scores, note)
        )


def hide_comments(plans: list[IdeaPlan]) -> None:
    """The office hid three comments by members, each on another idea, none answered."""

    def hideable(plan: IdeaPlan) -> list[CommentPlan]:
        return [c for c in plan.comments if not c.replies and c.author.role == "member"]

    candidates = [p for p in plans if not p.own and p.visibility != GROUP and hideable(p)]
    rng = random.Random("ideas-demo-hidden")  # noqa: S311 - demo data
    for plan, (body, reason) in zip(rng.sample(candidates, len(HIDDEN)), HIDDEN, strict=True):
        comment = hideable(plan)[-1]
        comment.body, comment.hidden_reason = body, reason


def add_demo_evaluations(plans: list[IdeaPlan], cast: Cast, now: datetime.datetime) -> None:
    """The demo member evaluated a piloted idea and is asked for a concept; so is the guest."""
    rng = random.Random("ideas-demo-evaluators")  # noqa: S311 - demo data
    open_concepts = sorted(
        (
            p
            for p in plans
            if p.steps[-1].to_stage == CONCEPT and not p.own and p.visibility == Visibility.MEMBERS
        ),
        key=lambda p: p.steps[-1].at,
        reverse=True,
    )
    people = (cast.demo_member, cast.demo_guest)
    for plan, person, days in zip(open_concepts, people, (6, 9), strict=False):
        moved = plan.steps[-1].at + datetime.timedelta(days=1)
        assigned = at_hours(rng, max(moved, now - datetime.timedelta(days=days)), 8, 16)
        plan.evaluations.append(EvaluationPlan(person, assigned, None, (3, 3, 3), ""))
    piloted = next(
        p
        for p in plans
        if p.stage == PILOT and not p.own and p.evaluations and p.visibility == Visibility.MEMBERS
    )
    first = piloted.evaluations[0]
    submitted = min(
        (first.submitted_at or first.assigned_at) + datetime.timedelta(hours=5),
        piloted.pilot_started_at(),
    )
    note = (
        "Bei uns in Heidelberg wäre das sofort übertragbar. Die Kosten für die "
        "Schnittstellen sollten im Pilot genau erfasst werden."
    )
    piloted.evaluations.append(
        EvaluationPlan(cast.demo_member, first.assigned_at, submitted, (4, 5, 3), note)
    )
