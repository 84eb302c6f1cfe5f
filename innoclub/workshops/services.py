"""Writes of the workshop allocation: wishes, the office's preview, moves and
locks, publication and placing late registrants.

Every function runs in one transaction. Writes of one event's allocation are
serialised on its ``WorkshopAllocation`` row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` takes the write lock at the start),
so a late registrant and an office move cannot both take the last seat.

Refusals raise ``AllocationError`` (``errors.py``) with German messages;
nothing has been changed when one is raised. The shape of an event's workshops
is read in ``layout.py``; computing an allocation without storing it lives in
``compute.py``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.events.models import Attendance, Event, Registration, RegistrationStatus, Session
from innoclub.workshops import emails
from innoclub.workshops.compute import Run, allocation_compute
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.layout import (
    Workshops,
    event_workshops,
    late_registrations,
    moment_label,
    participants,
    placement_rank,
    ranking_groups,
    ranks_by_person,
    seats_taken,
    slot_label,
)
from innoclub.workshops.models import (
    Placement,
    PlacementSource,
    WorkshopAllocation,
    WorkshopChoice,
)


def lock_allocation(allocation: WorkshopAllocation) -> WorkshopAllocation:
    return (
        WorkshopAllocation.objects.select_for_update().select_related("event").get(pk=allocation.pk)
    )


# --- wishes ---------------------------------------------------------------------------


def ranking_refusal(
    *, allocation: WorkshopAllocation, registration: Registration | None, now: datetime.datetime
) -> str | None:
    """Why ``registration`` may not give or change wishes now, or None if it may.

    After the deadline only a person without a seat may still rank, once the
    allocation is published: they are placed into the remaining seats at once.
    """
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return _("Only confirmed participants can rank the workshops.")
    if registration.attendance != Attendance.ONSITE:
        return _("The workshops take place on site; online participants are not allocated.")
    if allocation.is_published:
        if Placement.objects.filter(registration=registration).exists():
            return _("The workshops have been allocated; your places are shown below.")
        return None
    if now > allocation.ranking_deadline:
        return _("The deadline for workshop wishes passed on %(date)s.") % {
            "date": moment_label(allocation.ranking_deadline)
        }
    return None


def choices_save(
    *,
    allocation: WorkshopAllocation,
    registration: Registration,
    choices: dict[str, list[int | None]],
    now: datetime.datetime | None = None,
) -> list[Placement]:
    """Replace the person's wishes. ``choices`` maps a ranking group's key to the
    session ids in order of preference (None for a choice left empty).

    Refuses after the deadline, for workshops of other events, for a workshop
    chosen twice and for more choices than allowed. When the allocation is
    already published (a late registrant), the person is placed into the
    remaining seats right away; the new placements are returned.
    """
    now = now or timezone.now()
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        refusal = ranking_refusal(allocation=allocation, registration=registration, now=now)
        if refusal:
            raise AllocationError(refusal)
        workshops = event_workshops(allocation.event)
        groups = {group.key: group for group in ranking_groups(allocation, workshops)}
        rows: list[WorkshopChoice] = []
        problems: list[str] = []
        for key, picked in choices.items():
            group = groups.get(key)
            if group is None:
                problems.append(_("The form does not fit this event's workshops any more."))
                continue
            allowed = {session.pk: session for session in group.sessions}
            chosen = [pk for pk in picked if pk is not None]
            if len(picked) > group.choices:
                problems.append(
                    _("At most %(count)d choices are possible.") % {"count": group.choices}
                )
            for pk in chosen:
                if pk not in allowed:
                    problems.append(_("A chosen workshop does not belong to this event."))
            needed = min(len(workshops.slots), group.choices)
            if group.slot is None and 0 < len(set(chosen)) < needed:
                # Repeating workshops: one per slot, so fewer wishes than slots would force
                # seats outside the wishes on the person.
                problems.append(
                    _(
                        "Please give at least %(count)d wishes: you attend one workshop per time slot."
                    )
                    % {"count": needed}
                )
            for pk in sorted({pk for pk in chosen if chosen.count(pk) > 1 and pk in allowed}):
                problems.append(
                    _("You chose “%(title)s” more than once.") % {"title": allowed[pk].title}
                )
            # Empty choices in between close up: the ranks count the given wishes.
            rows += [
                WorkshopChoice(registration=registration, session_id=pk, rank=rank)
                for rank, pk in enumerate(chosen, start=1)
                if pk in allowed
            ]
        if problems:
            raise AllocationError(*dict.fromkeys(problems))
        WorkshopChoice.objects.filter(registration=registration).delete()
        WorkshopChoice.objects.bulk_create(rows)
        if allocation.is_published:
            placed = _place_late(allocation, workshops, [registration])
            if placed:
                emails.placements_changed(registration)
            return placed
    return []


# --- the office's preview -------------------------------------------------------------


def allocation_preview(
    *,
    allocation: WorkshopAllocation,
    seed: int | None = None,
    now: datetime.datetime | None = None,
) -> Run:
    """Compute the allocation and store it as the preview the office reviews.

    Locked placements stay; every other placement is replaced. Refused once
    the allocation is published: people have been told their workshops.
    """
    now = now or timezone.now()
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if allocation.is_published:
            raise AllocationError(
                _(
                    "The allocation has been published. You can still move single "
                    "participants, but not compute it again."
                )
            )
        run = allocation_compute(allocation=allocation, seed=seed)
        _store(allocation, run)
        allocation.seed = run.figures["seed"]
        allocation.preview = run.figures
        allocation.computed_at = now
        allocation.save(update_fields=["seed", "preview", "computed_at", "updated_at"])
    return run


def _store(allocation: WorkshopAllocation, run: Run) -> None:
    sessions = run.workshops.by_id()
    registrations = list(run.registrations)
    Placement.objects.filter(
        registration__event=allocation.event, session__in=list(sessions), locked=False
    ).delete()
    # Placements of people who are no longer participants (cancelled, moved online) go too.
    Placement.objects.filter(registration__event=allocation.event).exclude(
        registration_id__in=registrations
    ).delete()
    # Locks on workshops cancelled for too few people were dropped by the solver.
    Placement.objects.filter(session_id__in=run.result.cancelled).delete()
    kept = set(
        Placement.objects.filter(registration_id__in=registrations, locked=True).values_list(
            "registration_id", "session_id"
        )
    )
    rows = []
    for person, placed in run.result.placements.items():
        for session_id in placed.values():
            if (person, session_id) in kept:
                continue
            rank = placement_rank(run.ranks[person], sessions[session_id], run.workshops)
            speaker = session_id in run.speakers.get(person, ())
            rows.append(
                Placement(
                    registration_id=person,
                    session_id=session_id,
                    rank=rank,
                    source=PlacementSource.SPEAKER if speaker else PlacementSource.SOLVER,
                    locked=speaker,
                )
            )
    Placement.objects.bulk_create(rows, batch_size=2000)


# --- adjustments ----------------------------------------------------------------------


def placement_move(
    *,
    allocation: WorkshopAllocation,
    registration: Registration,
    session: Session,
    lock: bool = True,
) -> Placement:
    """Put ``registration`` into ``session``, replacing their seat in that time slot.

    The placement is locked unless ``lock`` is false, so a re-run keeps it.
    Refuses a full session, a session of another event and a workshop the
    person already has in another slot. After publication the person is told.
    """
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        workshops = event_workshops(allocation.event)
        sessions = workshops.by_id()
        if registration.event_id != allocation.event_id or session.pk not in sessions:
            raise AllocationError(_("This workshop does not belong to this event."))
        if registration.status != RegistrationStatus.CONFIRMED:
            raise AllocationError(_("Only confirmed participants can be placed."))
        target = sessions[session.pk]
        if target.pk in allocation.preview.get("cancelled", []):
            raise AllocationError(
                _("“%(title)s” has been called off for too few participants.")
                % {"title": target.title}
            )
        slot = workshops.slot_of(target)
        current = list(
            Placement.objects.filter(registration=registration, session_id__in=list(sessions))
        )
        replaced = [p for p in current if workshops.slot_of(sessions[p.session_id]) is slot]
        if any(p.session_id == target.pk for p in replaced):
            placement = next(p for p in replaced if p.session_id == target.pk)
            if placement.locked != lock:
                placement.locked = lock
                placement.save(update_fields=["locked", "updated_at"])
            return placement
        for other in current:
            other_session = sessions[other.session_id]
            if other not in replaced and other_session.workshop_id == target.workshop_id:
                raise AllocationError(
                    _("%(name)s already attends “%(title)s” at %(when)s.")
                    % {
                        "name": registration.user.get_full_name(),
                        "title": other_session.title,
                        "when": slot_label(workshops.slot_of(other_session)),
                    }
                )
        taken = seats_taken([target.pk]).get(target.pk, 0)
        if target.capacity is not None and taken >= target.capacity:
            raise AllocationError(
                _("“%(title)s” is full (%(capacity)d places).")
                % {"title": target.title, "capacity": target.capacity}
            )
        Placement.objects.filter(pk__in=[p.pk for p in replaced]).delete()
        rank = placement_rank(
            ranks_by_person([registration.pk], workshops)[registration.pk], target, workshops
        )
        placement = Placement.objects.create(
            registration=registration,
            session=target,
            rank=rank,
            source=PlacementSource.OFFICE,
            locked=lock,
        )
        if allocation.is_published:
            emails.placements_changed(registration)
    return placement


def placement_lock(*, placement: Placement, locked: bool) -> Placement:
    """Fix a placement for the next run, or release it."""
    with transaction.atomic():
        lock_allocation(placement.registration.event.workshop_allocation)
        placement.locked = locked
        placement.save(update_fields=["locked", "updated_at"])
    return placement


def allocation_publish(
    *, allocation: WorkshopAllocation, user: User, now: datetime.datetime | None = None
) -> int:
    """Publish the stored preview: participants see their workshops on their agenda
    and in their calendar, and get an e-mail. Returns how many were told."""
    now = now or timezone.now()
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if allocation.is_published:
            raise AllocationError(_("The allocation has already been published."))
        if allocation.computed_at is None:
            raise AllocationError(_("Compute a preview first."))
        allocation.published_at = now
        allocation.published_by = user
        allocation.save(update_fields=["published_at", "published_by", "updated_at"])
        registrations = participants(allocation.event)
        for registration in registrations:
            emails.placements_published(registration)
    return len(registrations)


def place_late(*, allocation: WorkshopAllocation) -> list[Placement]:
    """After publication: place everyone without a seat into the remaining seats by their wishes."""
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not allocation.is_published:
            raise AllocationError(_("Late registrants are placed after publication."))
        workshops = event_workshops(allocation.event)
        late = late_registrations(participants(allocation.event), workshops)
        placed = _place_late(allocation, workshops, late)
        for registration in {placement.registration for placement in placed}:
            emails.placements_changed(registration)
    return placed


def _place_late(
    allocation: WorkshopAllocation, workshops: Workshops, registrations: list[Registration]
) -> list[Placement]:
    """Give each person, slot by slot, their best-ranked workshop with a free seat
    that they do not attend yet, else the emptiest free one. In registration order;
    the caller holds the allocation's lock."""
    sessions = workshops.sessions
    taken = seats_taken([s.pk for s in sessions])
    ranks = ranks_by_person([r.pk for r in registrations], workshops)
    have: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in Placement.objects.filter(
        registration__in=registrations, session_id__in=[s.pk for s in sessions]
    ).values_list("registration_id", "session_id"):
        have[registration_id].add(session_id)
    by_id = workshops.by_id()
    called_off = set(allocation.preview.get("cancelled", []))
    created: list[Placement] = []
    unranked = allocation.choices + 1
    for registration in registrations:
        mine = have[registration.pk]
        workshops_mine = {by_id[pk].workshop_id for pk in mine}
        person = ranks[registration.pk]
        for slot in workshops.slots:
            if any(workshops.slot_of(by_id[pk]) is slot for pk in mine):
                continue
            free = [
                s
                for s in slot.sessions
                if (s.capacity or 0) > taken.get(s.pk, 0)
                and s.workshop_id not in workshops_mine
                and s.pk not in called_off
            ]
            if not free:
                continue
            best = min(
                free,
                key=lambda s: (
                    person.get(s.workshop_id, unranked),
                    taken.get(s.pk, 0) - (s.capacity or 0),
                    s.pk,
                ),
            )
            placement = Placement(
                registration=registration,
                session=best,
                rank=placement_rank(person, best, workshops),
                source=PlacementSource.LATE,
            )
            created.append(placement)
            taken[best.pk] = taken.get(best.pk, 0) + 1
            mine.add(best.pk)
            workshops_mine.add(best.workshop_id)
    Placement.objects.bulk_create(created)
    return created


def allocation_setup(
    *,
    event: Event,
    ranking_deadline: datetime.datetime,
    choices: int,
    cancel_below_minimum: bool,
) -> WorkshopAllocation:
    """Create the event's allocation or change its rules (not after publication)."""
    with transaction.atomic():
        allocation, created = WorkshopAllocation.objects.get_or_create(
            event=event,
            defaults={
                "ranking_deadline": ranking_deadline,
                "choices": choices,
                "cancel_below_minimum": cancel_below_minimum,
            },
        )
        if created:
            return allocation
        allocation = lock_allocation(allocation)
        if allocation.is_published:
            raise AllocationError(_("The allocation has been published; its rules are fixed."))
        allocation.ranking_deadline = ranking_deadline
        allocation.choices = choices
        allocation.cancel_below_minimum = cancel_below_minimum
        allocation.save()
    return allocation
