"""Writes of the workshop allocation: wishes, the office's preview, moves and
locks, publication and placing late registrants.

Every function runs in one transaction. Writes of one event's allocation are
serialised on its ``WorkshopAllocation`` row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` takes the write lock at the start),
so a late registrant and an office move cannot both take the last seat.

Refusals raise ``AllocationError`` with German messages; nothing has been
changed when one is raised.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.events.models import (
    Attendance,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
)
from innoclub.workshops import emails, solver
from innoclub.workshops.models import (
    Placement,
    PlacementSource,
    WorkshopAllocation,
    WorkshopChoice,
)

ACTIVE = ~Q(registration__status=RegistrationStatus.CANCELLED)


class AllocationError(Exception):
    """A step that cannot be taken; ``messages`` are German sentences for the person."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


# --- the shape of an event's workshops ------------------------------------------------


@dataclass
class Slot:
    """Workshop sessions that start at the same time: a person attends one of them."""

    index: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Workshops:
    """An event's workshop sessions with limited places, by time slot.

    ``repeating`` is true when some workshop is offered in several slots; then
    people rank workshops once for the whole event instead of per slot.
    """

    slots: list[Slot]

    @property
    def sessions(self) -> list[Session]:
        return [session for slot in self.slots for session in slot.sessions]

    @property
    def repeating(self) -> bool:
        return any(session.repeat_of_id for session in self.sessions)

    def slot_of(self, session: Session) -> Slot:
        for slot in self.slots:
            if session in slot.sessions:
                return slot
        raise KeyError(session.pk)

    def by_id(self) -> dict[int, Session]:
        return {session.pk: session for session in self.sessions}

    def rankable(self) -> list[Session]:
        """What a person ranks: every session per slot, or each workshop once when they repeat."""
        if self.repeating:
            return [session for session in self.sessions if session.repeat_of_id is None]
        return self.sessions


def event_workshops(event: Event) -> Workshops:
    """Workshop sessions with a place limit, grouped by start time. One query."""
    sessions = list(
        Session.objects.filter(event=event, kind=SessionKind.WORKSHOP, capacity__isnull=False)
        .order_by("starts_at", "title", "id")
        .only(
            "id",
            "event_id",
            "title",
            "slug",
            "starts_at",
            "ends_at",
            "room",
            "capacity",
            "minimum_participants",
            "repeat_of_id",
        )
    )
    slots: list[Slot] = []
    for session in sessions:
        if not slots or slots[-1].starts_at != session.starts_at:
            slots.append(Slot(len(slots), session.starts_at, session.ends_at, []))
        slots[-1].sessions.append(session)
        slots[-1].ends_at = max(slots[-1].ends_at, session.ends_at)
    return Workshops(slots)


def participants(event: Event) -> list[Registration]:
    """Who takes part in the allocation: confirmed registrations on site, in registration order."""
    return list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ONSITE
        )
        .select_related("user")
        .order_by("queued_at", "id")
    )


def _lock(allocation: WorkshopAllocation) -> WorkshopAllocation:
    return (
        WorkshopAllocation.objects.select_for_update().select_related("event").get(pk=allocation.pk)
    )


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _slot_label(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    return formats.date_format(start, "D j. F, H:i")


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
            "date": _when(allocation.ranking_deadline)
        }
    return None


@dataclass
class RankingGroup:
    """One set of choices on the form: a time slot, or the whole event when workshops repeat."""

    key: str
    slot: Slot | None
    sessions: list[Session]
    choices: int


def ranking_groups(allocation: WorkshopAllocation, workshops: Workshops) -> list[RankingGroup]:
    if workshops.repeating:
        sessions = workshops.rankable()
        return [RankingGroup("alle", None, sessions, min(allocation.choices, len(sessions)))]
    return [
        RankingGroup(
            f"z{slot.index + 1}",
            slot,
            slot.sessions,
            min(allocation.choices, len(slot.sessions)),
        )
        for slot in workshops.slots
    ]


def choices_of(registration: Registration) -> dict[int, int]:
    """The person's wishes: session id → rank."""
    return dict(
        WorkshopChoice.objects.filter(registration=registration).values_list("session_id", "rank")
    )


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
        allocation = _lock(allocation)
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


@dataclass
class Run:
    """A computed allocation before it is stored: the solver's result, first come,
    first served on the same data, and the names behind the ids."""

    result: solver.Result
    fcfs: solver.Result
    workshops: Workshops
    registrations: dict[int, Registration]
    figures: dict[str, Any]


def _instance(
    allocation: WorkshopAllocation, workshops: Workshops, registrations: list[Registration]
) -> tuple[solver.Instance, dict[int, set[int]]]:
    """The solver's view of the event. Also returns the speaker locks (person → sessions)."""
    sessions = workshops.sessions
    offerings = tuple(
        solver.Offering(
            id=session.pk,
            workshop=session.workshop_id,
            slot=workshops.slot_of(session).index,
            capacity=session.capacity or 0,
            minimum=session.minimum_participants or 0,
        )
        for session in sessions
    )
    ids = [registration.pk for registration in registrations]
    workshop_of = {session.pk: session.workshop_id for session in sessions}
    ranks: dict[int, dict[int, int]] = defaultdict(dict)
    for registration_id, session_id, rank in WorkshopChoice.objects.filter(
        registration_id__in=ids
    ).values_list("registration_id", "session_id", "rank"):
        if session_id in workshop_of:
            ranks[registration_id][workshop_of[session_id]] = rank
    people = tuple(
        solver.Person(id=registration.pk, ranks=ranks[registration.pk], order=order)
        for order, registration in enumerate(registrations)
    )
    by_user = {registration.user_id: registration.pk for registration in registrations}
    speaker_locks: dict[int, set[int]] = defaultdict(set)
    for user_id, session_id in SessionSpeaker.objects.filter(
        session_id__in=workshop_of, speaker__user_id__in=by_user
    ).values_list("speaker__user_id", "session_id"):
        speaker_locks[by_user[user_id]].add(session_id)
    locks: dict[int, set[int]] = defaultdict(set)
    for person, sessions_ in speaker_locks.items():
        locks[person] |= sessions_
    for registration_id, session_id in Placement.objects.filter(
        registration_id__in=ids, session_id__in=workshop_of, locked=True
    ).values_list("registration_id", "session_id"):
        locks[registration_id].add(session_id)
    instance = solver.Instance(
        offerings=offerings,
        people=people,
        # Per slot (or per event when workshops repeat) a person ranks up to ``choices``.
        choices=allocation.choices,
        locks={person: tuple(sorted(sessions_)) for person, sessions_ in locks.items()},
    )
    return instance, speaker_locks


def _check_locks(
    instance: solver.Instance, workshops: Workshops, registrations: dict[int, Registration]
) -> list[str]:
    """Contradictory locks, in words the office understands."""
    sessions = workshops.by_id()
    problems: list[str] = []
    taken: dict[int, int] = defaultdict(int)
    for person, locked in instance.locks.items():
        name = registrations[person].user.get_full_name()
        slots: dict[int, list[Session]] = defaultdict(list)
        seen: dict[int, Session] = {}
        for session_id in locked:
            session = sessions[session_id]
            taken[session_id] += 1
            slots[workshops.slot_of(session).index].append(session)
            if session.workshop_id in seen:
                problems.append(
                    _("%(name)s is fixed twice to the workshop “%(title)s”.")
                    % {"name": name, "title": session.title}
                )
            seen[session.workshop_id] = session
        for index, clashing in sorted(slots.items()):
            if len(clashing) > 1:
                problems.append(
                    _(
                        "%(name)s is fixed to %(count)d workshops at the same time (%(when)s): %(titles)s."
                    )
                    % {
                        "name": name,
                        "count": len(clashing),
                        "when": _slot_label(workshops.slots[index]),
                        "titles": ", ".join(f"„{session.title}“" for session in clashing),
                    }
                )
    for session_id, count in sorted(taken.items()):
        session = sessions[session_id]
        if session.capacity is not None and count > session.capacity:
            problems.append(
                _("“%(title)s” has %(count)d fixed participants but only %(capacity)d places.")
                % {"title": session.title, "count": count, "capacity": session.capacity}
            )
    return problems


def _figures(result: solver.Result, choices: int) -> dict[str, Any]:
    """Rank 0 in the histogram: seats of people who gave no wishes for that slot. They are
    counted as placed but left out of the shares, which speak of wishes."""
    placed = sum(result.histogram.values())
    wished = placed - result.histogram.get(0, 0)
    outside = result.histogram.get(choices + 1, 0)
    return {
        "histogram": {
            str(rank): count for rank, count in sorted(result.histogram.items()) if count
        },
        "placed": placed,
        "without_wishes": placed - wished,
        "worst_rank": result.worst_rank,
        "first_share": round(result.histogram.get(1, 0) / wished, 4) if wished else 0.0,
        "outside": outside,
        "outside_share": round(outside / wished, 4) if wished else 0.0,
        "unplaced": len(result.unplaced),
        "cost": result.cost,
    }


def allocation_compute(
    *, allocation: WorkshopAllocation, seed: int | None = None, workshops: Workshops | None = None
) -> Run:
    """Solve the allocation (and first come, first served for comparison) without storing it."""
    event = allocation.event
    workshops = workshops or event_workshops(event)
    if not workshops.slots:
        raise AllocationError(_("This event has no workshops with limited places."))
    registrations = participants(event)
    if not registrations:
        raise AllocationError(_("No confirmed on-site participants yet."))
    by_id = {registration.pk: registration for registration in registrations}
    instance, speaker_locks = _instance(allocation, workshops, registrations)
    problems = _check_locks(instance, workshops, by_id)
    if problems:
        raise AllocationError(*problems)
    seed = allocation.seed if seed is None else seed
    try:
        result = solver.solve(
            instance, seed=seed, cancel_below_minimum=allocation.cancel_below_minimum
        )
    except solver.InstanceError as error:
        raise AllocationError(*error.problems) from error
    fcfs = solver.first_come_first_served(instance)
    choices = instance.choices
    figures = {
        "seed": seed,
        "method": result.method,
        "optimal": result.optimal,
        "seconds": round(result.seconds, 3),
        "bound": result.bound,
        "people": len(registrations),
        "seats": sum(session.capacity or 0 for session in workshops.sessions),
        "slots": len(workshops.slots),
        "choices": choices,
        "repeating": workshops.repeating,
        "ranked": sum(1 for person in instance.people if person.ranks),
        "allocation": _figures(result, choices),
        "fcfs": _figures(fcfs, choices),
        "unplaced": [
            {
                "registration": item.person,
                "slot": workshops.slots[item.slot].starts_at.isoformat(),
                "reason": item.reason,
            }
            for item in result.unplaced
        ],
        "cancelled": list(result.cancelled),
        "below_minimum": list(result.below_minimum),
        "speakers": sorted(speaker_locks),
    }
    return Run(result, fcfs, workshops, by_id, figures)


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
        allocation = _lock(allocation)
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
    kept = set(
        Placement.objects.filter(registration_id__in=registrations, locked=True).values_list(
            "registration_id", "session_id"
        )
    )
    # Locks on workshops cancelled for too few people were dropped by the solver.
    Placement.objects.filter(session_id__in=run.result.cancelled).delete()
    speakers = set(run.figures["speakers"])
    ranks = _ranks(registrations, run.workshops)
    rows = []
    for person, placed in run.result.placements.items():
        for session_id in placed.values():
            if (person, session_id) in kept:
                continue
            rank = _placement_rank(ranks[person], sessions[session_id], run.workshops)
            speaker = person in speakers and not rank
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


def _placement_rank(person: dict[int, int], session: Session, workshops: Workshops) -> int | None:
    """The rank stored with a seat: the person's rank for the workshop; None outside their
    wishes; 0 when they gave no wishes for the slot (any seat suits them)."""
    rank = person.get(session.workshop_id)
    if rank is not None:
        return rank
    in_slot = {s.workshop_id for s in workshops.slot_of(session).sessions}
    return None if in_slot & person.keys() else 0


def _ranks(registration_ids: Iterable[int], workshops: Workshops) -> dict[int, dict[int, int]]:
    """Person → workshop id → rank they gave it."""
    workshop_of = {session.pk: session.workshop_id for session in workshops.sessions}
    ranks: dict[int, dict[int, int]] = defaultdict(dict)
    for registration_id, session_id, rank in WorkshopChoice.objects.filter(
        registration_id__in=list(registration_ids)
    ).values_list("registration_id", "session_id", "rank"):
        if session_id in workshop_of:
            ranks[registration_id][workshop_of[session_id]] = rank
    return ranks


# --- adjustments ----------------------------------------------------------------------


def _seats_taken(session_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Placement.objects.filter(ACTIVE, session_id__in=list(session_ids))
        .values("session_id")
        .annotate(count=Count("id"))
        .values_list("session_id", "count")
    )


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
        allocation = _lock(allocation)
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
                        "when": _slot_label(workshops.slot_of(other_session)),
                    }
                )
        taken = _seats_taken([target.pk]).get(target.pk, 0)
        if target.capacity is not None and taken >= target.capacity:
            raise AllocationError(
                _("“%(title)s” is full (%(capacity)d places).")
                % {"title": target.title, "capacity": target.capacity}
            )
        Placement.objects.filter(pk__in=[p.pk for p in replaced]).delete()
        rank = _placement_rank(
            _ranks([registration.pk], workshops)[registration.pk], target, workshops
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
        _lock(placement.registration.event.workshop_allocation)
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
        allocation = _lock(allocation)
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


def late_registrations(allocation: WorkshopAllocation, workshops: Workshops) -> list[Registration]:
    """Participants who miss a seat in some slot: they registered late or moved up."""
    registrations = participants(allocation.event)
    counts = dict(
        Placement.objects.filter(
            registration__in=registrations, session_id__in=[s.pk for s in workshops.sessions]
        )
        .values("registration_id")
        .annotate(count=Count("id"))
        .values_list("registration_id", "count")
    )
    return [r for r in registrations if counts.get(r.pk, 0) < len(workshops.slots)]


def place_late(*, allocation: WorkshopAllocation) -> list[Placement]:
    """After publication: place everyone without a seat into the remaining seats by their wishes."""
    with transaction.atomic():
        allocation = _lock(allocation)
        if not allocation.is_published:
            raise AllocationError(_("Late registrants are placed after publication."))
        workshops = event_workshops(allocation.event)
        late = late_registrations(allocation, workshops)
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
    taken = _seats_taken([s.pk for s in sessions])
    ranks = _ranks([r.pk for r in registrations], workshops)
    have: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in Placement.objects.filter(
        registration__in=registrations, session_id__in=[s.pk for s in sessions]
    ).values_list("registration_id", "session_id"):
        have[registration_id].add(session_id)
    by_id = workshops.by_id()
    called_off = set(allocation.preview.get("cancelled", []))
    created: list[Placement] = []
    for registration in registrations:
        mine = have[registration.pk]
        workshops_mine = {by_id[pk].workshop_id for pk in mine}
        for slot in workshops.slots:
            if any(by_id[pk] in slot.sessions for pk in mine):
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
            person = ranks[registration.pk]
            unranked = allocation.choices + 1
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
                rank=_placement_rank(person, best, workshops),
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
        allocation = _lock(allocation)
        if allocation.is_published:
            raise AllocationError(_("The allocation has been published; its rules are fixed."))
        allocation.ranking_deadline = ranking_deadline
        allocation.choices = choices
        allocation.cancel_below_minimum = cancel_below_minimum
        allocation.save()
    return allocation
