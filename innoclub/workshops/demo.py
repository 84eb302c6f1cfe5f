"""Demo workshop allocations: the next Deutschlandforum collects wishes and has a
computed preview for the office to review; the upcoming regional meeting's
allocation is published, so participants see their workshops."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.events.models import (
    Attendance,
    Event,
    Registration,
    RegistrationStatus,
    SessionKind,
)
from innoclub.workshops import services
from innoclub.workshops.layout import event_workshops, ranking_groups
from innoclub.workshops.models import WorkshopAllocation, WorkshopChoice

BERLIN = ZoneInfo("Europe/Berlin")


def seed_workshops(*, demo_member: User, staff: User) -> int:
    """Create the demo allocations; returns how many. Events already allocated are left alone."""
    created = 0
    today = timezone.localdate()
    upcoming = Event.objects.filter(
        starts_on__gte=today, workshop_allocation__isnull=True, state__in=["open", "full"]
    ).filter(Q(series__slug="deutschlandforum") | Q(slug__startswith="regionaltreffen"))
    for event in upcoming.order_by("starts_on"):
        has_workshops = event.sessions.filter(
            kind=SessionKind.WORKSHOP, capacity__isnull=False
        ).exists()
        if not has_workshops:
            continue
        published = event.slug.startswith("regionaltreffen")
        _seed_allocation(event, demo_member=demo_member, staff=staff, publish=published)
        created += 1
    return created


def _seed_allocation(event: Event, *, demo_member: User, staff: User, publish: bool) -> None:
    rng = random.Random(f"workshops-{event.slug}")  # noqa: S311 - demo data
    deadline = datetime.datetime.combine(
        event.starts_on - datetime.timedelta(days=14), datetime.time(23, 59), BERLIN
    )
    allocation = WorkshopAllocation.objects.create(
        event=event, ranking_deadline=deadline, choices=3
    )
    workshops = event_workshops(event)
    groups = ranking_groups(allocation, workshops)
    registrations = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ONSITE
    ).order_by("queued_at", "id")
    rows = []
    for registration in registrations:
        # The demo member ranks on the upcoming forum themselves; most others have.
        if not publish and (registration.user_id == demo_member.pk or rng.random() < 0.12):
            continue
        for group in groups:
            # Popularity is skewed: the first workshops of a slot are wanted far more.
            weights = [1.0 / (position + 1) for position in range(len(group.sessions))]
            picked: list[int] = []
            pool = list(zip(group.sessions, weights, strict=True))
            while pool and len(picked) < group.choices:
                session, _weight = rng.choices(pool, weights=[w for _s, w in pool])[0]
                picked.append(session.pk)
                pool = [(s, w) for s, w in pool if s.pk != session.pk]
            rows += [
                WorkshopChoice(registration=registration, session_id=pk, rank=rank)
                for rank, pk in enumerate(picked, start=1)
            ]
    WorkshopChoice.objects.bulk_create(rows)
    services.allocation_preview(allocation=allocation)
    if publish:
        # Published without the e-mails: nobody should get mail from seeding demo data.
        WorkshopAllocation.objects.filter(pk=allocation.pk).update(
            published_at=timezone.now(), published_by=staff
        )
