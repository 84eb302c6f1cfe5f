"""Demo ideas, seeded idempotently by ``seed_demo``: about 150 ideas in every
stage and topic, many born in sessions of past Deutschlandforen, with their
full stage history, pilot projects, discussion, support, evaluations and the
demo member's notifications.

The rows are written directly and in bulk rather than through the services:
the services notify and e-mail, and the demo must neither send mail nor take
long. What the services keep consistent is kept here too: the counters equal
the rows they count, every history is a path through ``stages.TRANSITIONS``,
every idea that reached Pilot has a pilot project. ``auto_now_add`` fields
cannot be given on insert, so their dates are set right after (``core.demo_dates.set_dates``). The plan is drawn from generators seeded by fixed strings (one per
idea), so a second run draws the same ideas, finds them and creates nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Model
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility
from innoclub.core.demo_dates import set_dates
from innoclub.events.models import Registration, RegistrationStatus, Session, SessionKind
from innoclub.ideas.demo_plan import OWN, plan_ideas
from innoclub.ideas.demo_records import Cast, CommentPlan, GroupEntry, IdeaPlan
from innoclub.ideas.demo_texts import CRITERIA, GROUPS
from innoclub.ideas.models import (
    Comment,
    Criterion,
    EvaluationAssignment,
    Follow,
    Frequency,
    Idea,
    IdeaGroup,
    Notification,
    NotificationKind,
    NotificationSetting,
    PilotInterest,
    Score,
    StageChange,
    Support,
)
from innoclub.network.models import Profile, Topic
from innoclub.pilots.models import PilotProject
from innoclub.pilots.services import pilot_slug_for

BERLIN = ZoneInfo("Europe/Berlin")
# The demo member's in-app list goes back two months (every kind of entry,
# no long scroll); what came in the last ten days is still unread.
NOTIFIED_DAYS = 60
UNREAD_DAYS = 10
M = TypeVar("M", bound=Model)
# Rows per UPDATE when setting dates: two parameters each, well below any limit.


def seed_ideas(*, demo_member: User, demo_guest: User, staff: User) -> int:
    """Create the demo ideas with everything around them; returns how many ideas.

    Side effects: creates idea groups, evaluation criteria, ideas with their
    topics, authors, stage history, pilot projects, comments, supports,
    interests, follows, evaluations and scores, the demo member's
    notifications and a few notification settings. Ideas seeded before are
    left alone, so a second run creates nothing.
    """
    now = timezone.now()
    cast = _load_cast(demo_member=demo_member, demo_guest=demo_guest, staff=staff)
    groups = _seed_groups(cast)
    criteria = _seed_criteria()
    plans = plan_ideas(cast, groups, now)
    titles = set(Idea.objects.values_list("title", flat=True))
    todo = [plan for plan in plans if not _seeded_before(plan, titles)]
    if not todo:
        return 0
    _write_ideas(todo, cast)
    _write_engagement(todo, cast, criteria)
    _write_notifications(todo, cast, now)
    _write_settings(cast)
    return len(todo)


def _seeded_before(plan: IdeaPlan, titles: set[str]) -> bool:
    """Whether an idea with the plan's title template exists.

    The template, not the title: a title names the first author's
    municipality, and who that is may change as the days pass (members who
    joined recently become eligible), so a later run could draw another one.
    """
    prefix, placeholder, suffix = plan.title_template.partition("{in_ort}")
    if not placeholder:
        return plan.title in titles
    return any(
        t.startswith(prefix) and t.endswith(suffix) and len(t) > len(prefix) + len(suffix)
        for t in titles
    )


def _load_cast(*, demo_member: User, demo_guest: User, staff: User) -> Cast:
    members = list(
        User.objects.filter(
            role=Role.MEMBER,
            is_active=True,
            municipality__isnull=False,
            profile__isnull=False,
            profile__left_on__isnull=True,
        )
        .select_related("municipality", "profile")
        .order_by("email")
    )
    partners = list(
        User.objects.filter(role=Role.GUEST, is_active=True, profile__isnull=False)
        .select_related("profile")
        .order_by("email")
    )
    founded = datetime.date(2004, 1, 1)
    since = {u.pk: u.profile.member_since or founded for u in [*members, *partners]}
    expertise: dict[int, set[str]] = {}
    for user_id, slug in Profile.topics.through.objects.filter(
        profile__user__in=members
    ).values_list("profile__user_id", "topic__slug"):
        expertise.setdefault(user_id, set()).add(slug)
    sessions = list(
        Session.objects.filter(
            event__series__slug="deutschlandforum",
            event__starts_on__lt=timezone.localdate(),
            kind__in=[SessionKind.WORKSHOP, SessionKind.PANEL],
        )
        .select_related("event")
        .order_by("starts_at", "id")
    )
    session_topics: dict[int, set[str]] = {}
    for session_id, slug in Session.topics.through.objects.filter(session__in=sessions).values_list(
        "session_id", "topic__slug"
    ):
        session_topics.setdefault(session_id, set()).add(slug)
    attendees: dict[int, set[int]] = {}
    for event_id, user_id in Registration.objects.filter(
        event__series__slug="deutschlandforum", status=RegistrationStatus.CONFIRMED
    ).values_list("event_id", "user_id"):
        attendees.setdefault(event_id, set()).add(user_id)
    return Cast(
        members=members,
        partners=partners,
        since=since,
        expertise=expertise,
        staff=staff,
        demo_member=demo_member,
        demo_guest=demo_guest,
        topics={t.slug: t for t in Topic.objects.all()},
        sessions=sessions,
        session_topics=session_topics,
        attendees=attendees,
    )


def _seed_groups(cast: Cast) -> dict[str, GroupEntry]:
    """The named circles; their members are chosen once, by expertise."""
    entries = {}
    for name, description, slugs in GROUPS:
        group, created = IdeaGroup.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        if created:
            experts = [
                m.pk
                for m in cast.members
                if cast.expertise.get(m.pk, set()) & set(slugs) and m != cast.demo_member
            ][:12]
            if any(own.group == name for own in OWN):
                experts.append(cast.demo_member.pk)
            group.members.set(experts)
            ids = set(experts)
        else:
            ids = set(group.members.values_list("pk", flat=True))
        # In the cast's order either way, so that a second run plans the same.
        people = [m for m in cast.members if m.pk in ids]
        entries[name] = GroupEntry(group=group, members=people, topics=set(slugs))
    return entries


def _seed_criteria() -> list[Criterion]:
    return [
        Criterion.objects.get_or_create(
            name=name,
            defaults={"description": description, "weight": weight, "position": position},
        )[0]
        for position, (name, description, weight) in enumerate(CRITERIA)
    ]


def _pilot_slug(title: str, taken: set[str]) -> str:
    base = pilot_slug_for(title)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _write_ideas(plans: list[IdeaPlan], cast: Cast) -> None:
    """Pilot projects, ideas, their topics and authors, and their histories."""
    taken = set(PilotProject.objects.values_list("slug", flat=True))
    piloted = [plan for plan in plans if plan.pilot_state]
    pilots = [
        PilotProject(
            title=plan.pilot_title,
            slug=_pilot_slug(plan.pilot_title, taken),
            summary=plan.proposal,
            lead_municipality=plan.municipality,
            state=plan.pilot_state,
            visibility=Visibility.PUBLIC
            if plan.visibility == Visibility.PUBLIC
            else Visibility.MEMBERS,
            created_by=cast.staff,
        )
        for plan in piloted
    ]
    PilotProject.objects.bulk_create(pilots)
    for plan, pilot in zip(piloted, pilots, strict=True):
        plan.pilot = pilot
    started = [
        (pilot, plan.pilot_started_at()) for plan, pilot in zip(piloted, pilots, strict=True)
    ]
    set_dates(PilotProject, "created_at", started)
    last = [(pilot, plan.steps[-1].at) for plan, pilot in zip(piloted, pilots, strict=True)]
    set_dates(PilotProject, "updated_at", last)
    PilotProject.topics.through.objects.bulk_create(
        PilotProject.topics.through(pilotproject_id=plan.pilot.pk, topic_id=topic.pk)
        for plan in piloted
        if plan.pilot is not None
        for topic in plan.topics
    )

    ideas = [
        Idea(
            title=plan.title,
            problem=plan.problem,
            proposal=plan.proposal,
            kind=plan.kind,
            municipality=plan.municipality,
            context=plan.context,
            origin_session=plan.origin,
            visibility=plan.visibility,
            group=plan.group,
            stage=plan.stage,
            pilot=plan.pilot,
            support_count=len(plan.supports),
            comment_count=sum(1 for c in plan.all_comments() if c.hidden_reason == ""),
            created_by=plan.authors[0],
            **plan.concept,
        )
        for plan in plans
    ]
    Idea.objects.bulk_create(ideas)
    for plan, idea in zip(plans, ideas, strict=True):
        plan.idea = idea
    pairs = list(zip(plans, ideas, strict=True))
    set_dates(Idea, "created_at", [(idea, plan.created_at) for plan, idea in pairs])
    for name in ("stage_changed_at", "updated_at"):
        set_dates(Idea, name, [(idea, plan.steps[-1].at) for plan, idea in pairs])
    Idea.topics.through.objects.bulk_create(
        Idea.topics.through(idea_id=plan.idea.pk, topic_id=topic.pk)
        for plan in plans
        if plan.idea is not None
        for topic in plan.topics
    )
    Idea.authors.through.objects.bulk_create(
        Idea.authors.through(idea_id=plan.idea.pk, user_id=author.pk)
        for plan in plans
        if plan.idea is not None
        for author in plan.authors
    )

    changes = []
    for plan in plans:
        for index, step in enumerate(plan.steps):
            step.row = StageChange(
                idea=plan.idea,
                from_stage=step.from_stage,
                to_stage=step.to_stage,
                rationale=step.rationale,
                changed_by=plan.authors[0] if index == 0 else cast.staff,
            )
            changes.append((step.row, step.at))
    _create_dated(StageChange, changes, "changed_at")


def _create_dated(
    model: type[M], rows: list[tuple[M, datetime.datetime]], field_name: str
) -> list[M]:
    """Insert rows, then give them their dates (``auto_now_add`` puts "now" on insert)."""
    objects = [row for row, _at in rows]
    model._default_manager.bulk_create(objects)
    set_dates(model, field_name, rows)
    return objects


def _comment_row(plan: IdeaPlan, comment: CommentPlan, cast: Cast) -> Comment:
    hidden = comment.hidden_reason != ""
    comment.row = Comment(
        idea=plan.idea,
        parent=comment.parent.row if comment.parent else None,
        author=comment.author,
        body=comment.body,
        edited_at=comment.at + datetime.timedelta(minutes=6) if comment.edited else None,
        hidden_at=comment.at + datetime.timedelta(hours=20) if hidden else None,
        hidden_by=cast.staff if hidden else None,
        hidden_reason=comment.hidden_reason,
    )
    return comment.row


def _write_engagement(plans: list[IdeaPlan], cast: Cast, criteria: list[Criterion]) -> None:
    """Comments (threads first, then replies), supports, interests, follows, evaluations."""
    tops = [(plan, c) for plan in plans for c in plan.comments]
    _create_dated(Comment, [(_comment_row(p, c, cast), c.at) for p, c in tops], "created_at")
    replies = [(plan, r) for plan, c in tops for r in c.replies]
    _create_dated(Comment, [(_comment_row(p, r, cast), r.at) for p, r in replies], "created_at")
    _create_dated(
        Support,
        [(Support(idea=p.idea, user=user), at) for p in plans for user, at in p.supports],
        "created_at",
    )
    _create_dated(
        PilotInterest,
        [
            (PilotInterest(idea=p.idea, municipality=u.municipality, user=u, note=note), at)
            for p in plans
            for u, at, note in p.interests
        ],
        "created_at",
    )
    _create_dated(
        Follow,
        [(Follow(idea=p.idea, user=u), at) for p in plans for u, at in p.follows.values()],
        "created_at",
    )
    assignments = []
    for plan in plans:
        for evaluation in plan.evaluations:
            evaluation.row = EvaluationAssignment(
                idea=plan.idea,
                evaluator=evaluation.evaluator,
                assigned_by=cast.staff,
                note=evaluation.note if evaluation.submitted_at else "",
                submitted_at=evaluation.submitted_at,
            )
            assignments.append(evaluation)
    _create_dated(
        EvaluationAssignment,
        [(e.row, e.assigned_at) for e in assignments if e.row is not None],
        "assigned_at",
    )
    Score.objects.bulk_create(
        Score(assignment=e.row, criterion=criterion, value=value)
        for e in assignments
        if e.submitted_at is not None
        for criterion, value in zip(criteria, e.scores, strict=True)
    )


def _write_notifications(plans: list[IdeaPlan], cast: Cast, now: datetime.datetime) -> None:
    """What the services would have told the demo member, in their in-app list.

    Comments and stage changes on the ideas they wrote or follow, replies to
    their comments, requests to evaluate. E-mail counts as done, so the
    digest sends nothing for the demo.
    """
    me = cast.demo_member
    staff = cast.staff
    rows: list[tuple[Notification, datetime.datetime]] = []
    for plan in plans:
        authored = me in plan.authors
        followed = plan.follows.get(me.pk)
        since = plan.created_at if authored else (followed[1] if followed else None)
        if since is None and not any(e.evaluator == me for e in plan.evaluations):
            continue
        for step in plan.steps[1:]:
            if since is not None and step.at > since:
                note = Notification(
                    recipient=me, idea=plan.idea, kind=NotificationKind.STAGE, actor=staff
                )
                note.stage_change = step.row
                rows.append((note, step.at))
        for comment in plan.all_comments():
            if comment.author == me or since is None or comment.at <= since:
                continue
            reply_to_me = comment.parent is not None and comment.parent.author == me
            kind = NotificationKind.REPLY if reply_to_me else NotificationKind.COMMENT
            note = Notification(
                recipient=me, idea=plan.idea, kind=kind, actor=comment.author, comment=comment.row
            )
            rows.append((note, comment.at))
        for evaluation in plan.evaluations:
            if evaluation.evaluator == me:
                note = Notification(
                    recipient=me, idea=plan.idea, kind=NotificationKind.EVALUATION, actor=staff
                )
                rows.append((note, evaluation.assigned_at))
    start = now - datetime.timedelta(days=NOTIFIED_DAYS)
    rows = sorted((item for item in rows if item[1] > start), key=lambda item: item[1])
    recent = now - datetime.timedelta(days=UNREAD_DAYS)
    for position, (note, at) in enumerate(rows):
        note.emailed_at = at
        unread = at > recent or position >= len(rows) - 2
        note.read_at = None if unread else at + datetime.timedelta(hours=3 + position % 40)
    _create_dated(Notification, rows, "created_at")


def _write_settings(cast: Cast) -> None:
    """A few members read the daily digest, two want no e-mails."""
    rng = random.Random("ideas-demo-settings")  # noqa: S311 - demo data
    others = [m for m in cast.members if m != cast.demo_member]
    chosen = rng.sample(others, 8)
    NotificationSetting.objects.bulk_create(
        [
            NotificationSetting(user=user, frequency=Frequency.DAILY if n < 6 else Frequency.OFF)
            for n, user in enumerate(chosen)
        ],
        ignore_conflicts=True,
    )
