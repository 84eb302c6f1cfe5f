"""Writes of the events app: registration, cancellation, the waitlist, check-in
and changes to sessions.

Every function runs in one transaction and lists its side effects and locks.
Registrations of one event are serialised on the event's row: PostgreSQL takes
``SELECT … FOR UPDATE``; SQLite runs every transaction as ``BEGIN IMMEDIATE``
(see settings), which takes the database's write lock at the start. The
``events_event_no_overbooking`` check constraint backs the count up, so no
code path can confirm more on-site places than the event has.

Refusals raise ``RegistrationError`` with a German message for the person;
nothing has been changed when one is raised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.core.access import is_member
from innoclub.events import emails
from innoclub.events.models import (
    AgendaItem,
    Attendance,
    Event,
    EventInvitation,
    EventMode,
    EventState,
    Registration,
    RegistrationStatus,
    Session,
)
from innoclub.search.index import index_object

OPEN_STATES = frozenset({EventState.OPEN, EventState.FULL})

# Fields of a session whose change participants hear about and calendars pick up.
SCHEDULE_FIELDS = ("title", "starts_at", "ends_at", "room")


class RegistrationError(Exception):
    """A registration step that cannot be taken; ``str()`` is a German message."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def registration_check_open(*, event: Event, user: User, now: datetime.datetime) -> None:
    """Raise RegistrationError unless ``user`` may register for ``event`` now."""
    if event.state not in OPEN_STATES:
        raise RegistrationError(_("Registration for this event is not open."), code="closed")
    if event.registration_deadline and now > event.registration_deadline:
        raise RegistrationError(
            _("The registration deadline for this event has passed."), code="deadline"
        )
    if event.ends_on < timezone.localdate(now):
        raise RegistrationError(_("This event is over."), code="closed")
    if not (is_member(user) or event_is_invited(event=event, user=user)):
        raise RegistrationError(
            _("Guests can register after the club office has invited them."), code="not_invited"
        )


def registration_refusal(*, event: Event, user: User) -> RegistrationError | None:
    """Why ``user`` cannot register for ``event`` now, or None when they can."""
    try:
        registration_check_open(event=event, user=user, now=timezone.now())
    except RegistrationError as error:
        return error
    return None


def event_is_invited(*, event: Event, user: User) -> bool:
    return EventInvitation.objects.filter(event=event, user=user).exists()


def _check_attendance(event: Event, attendance: str) -> None:
    if attendance not in Attendance.values:
        raise RegistrationError(_("Please choose how you will take part."), code="attendance")
    if event.mode == EventMode.ONSITE and attendance != Attendance.ONSITE:
        raise RegistrationError(_("This event takes place on site only."), code="attendance")
    if event.mode == EventMode.ONLINE and attendance != Attendance.ONLINE:
        raise RegistrationError(_("This event takes place online only."), code="attendance")


def _save_places(event: Event, *, seats_taken: int, capacity: int | None) -> None:
    """Write the place count and capacity, and the state that follows from them:
    an open event whose places are all taken is fully booked, a fully booked
    one with a free place is open again; other states stay. Needs the event lock."""
    full = capacity is not None and seats_taken >= capacity
    state = event.state
    if full and event.state == EventState.OPEN:
        event.state = EventState.FULL
    elif not full and event.state == EventState.FULL:
        event.state = EventState.OPEN
    event.seats_taken, event.capacity = seats_taken, capacity
    Event.objects.filter(pk=event.pk).update(
        seats_taken=seats_taken, capacity=capacity, state=event.state
    )
    if event.state != state:
        # update() sends no signal; the state is the search's "Stand" facet.
        index_object(event)


def _take_seat(event: Event) -> bool:
    """Take an on-site place if one is free and nobody waits for it. Needs the event lock."""
    if event.capacity is not None:
        if event.seats_taken >= event.capacity:
            return False
        if event.registrations.filter(status=RegistrationStatus.WAITLISTED).exists():
            return False  # a free place belongs to the first person waiting
    _save_places(event, seats_taken=event.seats_taken + 1, capacity=event.capacity)
    return True


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: User,
    attendance: str,
    dietary_needs: str = "",
    accessibility_needs: str = "",
    list_consent: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[Registration, bool]:
    """Register ``user`` for ``event``; returns the registration and whether it is new.

    An active registration of the same person is returned unchanged. On site
    the person gets a place while one is free, otherwise joins the end of the
    waitlist; online participation has no limit. A cancelled registration is
    taken up again and joins as if new.

    Locks: the event row. Side effects: inserts or updates one registration,
    updates the event's place count and state, and e-mails a confirmation
    (with the program as .ics) or the waitlist position after commit.
    """
    now = now or timezone.now()
    event = _lock_event(event)
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None and existing.is_active:
        return existing, False
    registration_check_open(event=event, user=user, now=now)
    _check_attendance(event, attendance)
    if attendance == Attendance.ONLINE or _take_seat(event):
        status = RegistrationStatus.CONFIRMED
    else:
        status = RegistrationStatus.WAITLISTED
    registration = existing or Registration(event=event, user=user)
    registration.status = status
    registration.attendance = attendance
    registration.dietary_needs = dietary_needs.strip()
    registration.accessibility_needs = accessibility_needs.strip()
    registration.list_consent = list_consent
    # Taken after the lock, so the waitlist order is the order the lock was granted.
    registration.queued_at = timezone.now()
    registration.cancelled_at = None
    registration.promoted_at = None
    registration.checked_in_at = None
    registration.save()
    if status == RegistrationStatus.CONFIRMED:
        emails.registration_confirmed(registration)
    else:
        emails.registration_waitlisted(registration)
    return registration, True


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None for anybody not on the waitlist."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            queued_at__lte=registration.queued_at,
        )
        .exclude(queued_at=registration.queued_at, id__gte=registration.id)
        .count()
    )
    return ahead + 1


def _promote_waiting(event: Event, now: datetime.datetime) -> list[Registration]:
    """Give free places to the first people on the waitlist. Needs the event lock."""
    promoted: list[Registration] = []
    if event.capacity is None:
        waiting = list(event.registrations.filter(status=RegistrationStatus.WAITLISTED))
    else:
        free = event.capacity - event.seats_taken
        if free <= 0:
            return promoted
        waiting = list(event.registrations.filter(status=RegistrationStatus.WAITLISTED)[:free])
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        promoted.append(registration)
    if promoted:
        seats_taken = event.seats_taken + len(promoted)
        _save_places(event, seats_taken=seats_taken, capacity=event.capacity)
        for registration in promoted:
            emails.registration_promoted(registration)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, now: datetime.datetime | None = None
) -> list[Registration]:
    """Cancel a registration; returns the registrations promoted into the freed place.

    Cancelling twice changes nothing. Locks: the event row. Side effects:
    marks the registration cancelled, frees its on-site place and its workshop
    seats, and promotes the first person on the waitlist, who is told by e-mail
    after commit.
    """
    now = now or timezone.now()
    event = _lock_event(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    held_seat = (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.attendance == Attendance.ONSITE
    )
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.checked_in_at = None
    registration.save(update_fields=["status", "cancelled_at", "checked_in_at", "updated_at"])
    # Workshop seats (workshops app) go with the registration, for late registrants.
    registration.workshop_placements.all().delete()
    if not held_seat:
        return []
    _save_places(event, seats_taken=event.seats_taken - 1, capacity=event.capacity)
    return _promote_waiting(event, now)


@transaction.atomic
def registration_confirm(
    *, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The office confirms a waitlisted person out of turn, beyond the capacity if need be.

    The capacity is raised by one when no place is free, so the count stays
    true. Locks: the event row. Side effects: updates the registration and the
    event; e-mails the person.
    """
    now = now or timezone.now()
    event = _lock_event(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != RegistrationStatus.WAITLISTED:
        raise RegistrationError(_("Only people on the waitlist can be confirmed."), code="state")
    capacity = event.capacity
    if capacity is not None and event.seats_taken >= capacity:
        capacity += 1
    _save_places(event, seats_taken=event.seats_taken + 1, capacity=capacity)
    registration.status = RegistrationStatus.CONFIRMED
    registration.promoted_at = now
    registration.save(update_fields=["status", "promoted_at", "updated_at"])
    emails.registration_promoted(registration)
    return registration


@transaction.atomic
def registration_move(*, registration: Registration, attendance: str) -> list[Registration]:
    """The office switches a person between on site and online.

    Moving online frees the place (and promotes from the waitlist); moving on
    site takes a free place or puts the person on the waitlist. Locks: the
    event row. Returns the registrations promoted by the move.
    """
    event = _lock_event(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    _check_attendance(event, attendance)
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("This registration has been cancelled."), code="state")
    if registration.attendance == attendance:
        return []
    now = timezone.now()
    promoted: list[Registration] = []
    if attendance == Attendance.ONLINE:
        held_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CONFIRMED
        registration.attendance = attendance
        registration.save(update_fields=["status", "attendance", "updated_at"])
        # Workshops happen on site: the person's workshop seats are freed.
        registration.workshop_placements.all().delete()
        if held_seat:
            _save_places(event, seats_taken=event.seats_taken - 1, capacity=event.capacity)
            promoted = _promote_waiting(event, now)
    else:
        registration.attendance = attendance
        if _take_seat(event):
            registration.status = RegistrationStatus.CONFIRMED
        else:
            registration.status = RegistrationStatus.WAITLISTED
            registration.queued_at = now
        registration.save(update_fields=["status", "attendance", "queued_at", "updated_at"])
    return promoted


@transaction.atomic
def event_capacity_change(*, event: Event, capacity: int | None) -> list[Registration]:
    """Set the on-site places; more places promote people from the waitlist.

    Refuses fewer places than are already taken. Locks: the event row.
    """
    event = _lock_event(event)
    if capacity is not None and capacity < event.seats_taken:
        raise RegistrationError(
            _("%(taken)s places are already taken; the event cannot have fewer.")
            % {"taken": event.seats_taken},
            code="capacity",
        )
    _save_places(event, seats_taken=event.seats_taken, capacity=capacity)
    return _promote_waiting(event, timezone.now())


@transaction.atomic
def registration_check_in(
    *, registration: Registration, undo: bool = False, now: datetime.datetime | None = None
) -> Registration:
    """Mark a confirmed participant as arrived (or take that back).

    Checking in twice keeps the first time. Side effects: updates one row.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(
            _("Only confirmed participants can be checked in."), code="not_confirmed"
        )
    if undo:
        registration.checked_in_at = None
    elif registration.checked_in_at is None:
        registration.checked_in_at = now or timezone.now()
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def invitations_create(
    *, event: Event, users: Iterable[User], invited_by: User
) -> list[EventInvitation]:
    """Invite people to an event; people already invited, inactive accounts
    and the office itself are skipped.

    Side effects: inserts invitations and e-mails each newly invited person
    after commit; an event in planning moves to "invitations sent" (and is
    re-indexed for search). Returns the new invitations.
    """
    created: list[EventInvitation] = []
    with transaction.atomic():
        already = set(EventInvitation.objects.filter(event=event).values_list("user_id", flat=True))
        for user in users:
            if user.pk in already or not user.is_active or user.is_staff:
                continue
            try:
                with transaction.atomic():
                    invitation = EventInvitation.objects.create(
                        event=event, user=user, invited_by=invited_by
                    )
            except IntegrityError:
                continue
            already.add(user.pk)
            created.append(invitation)
            emails.invitation_sent(invitation)
        if created and event.state == EventState.PLANNING:
            Event.objects.filter(pk=event.pk).update(state=EventState.INVITED)
            # update() sends no signal; the state is the search's "Stand" facet.
            index_object(Event.objects.get(pk=event.pk))
    return created


@transaction.atomic
def session_save(*, session: Session, changed: Iterable[str]) -> Session:
    """Save a session the office edited.

    When its title, time or room changed, the iCalendar revision is raised
    and everybody who marked the session in their agenda is told by e-mail.
    Side effects: updates the session; e-mails after commit.
    """
    schedule_changed = bool(set(changed) & set(SCHEDULE_FIELDS)) and session.pk is not None
    if schedule_changed:
        session.sequence += 1
    session.save()
    if schedule_changed:
        emails.session_changed(session)
    return session


def agenda_toggle(*, user: User, session: Session) -> bool:
    """Add the session to the person's agenda or take it out; returns whether it is in.

    Only participants (confirmed or waitlisted) keep an agenda. Side effects:
    inserts or deletes one agenda entry.
    """
    registered = (
        Registration.objects.filter(event_id=session.event_id, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    )
    if not registered:
        raise RegistrationError(
            _("Register for the event to put sessions in your agenda."), code="not_registered"
        )
    deleted, _rows = AgendaItem.objects.filter(user=user, session=session).delete()
    if deleted:
        return False
    AgendaItem.objects.get_or_create(user=user, session=session)
    return True


@transaction.atomic
def registration_update(
    *,
    registration: Registration,
    dietary_needs: str,
    accessibility_needs: str,
    list_consent: bool,
) -> Registration:
    """The participant changes their needs or their consent to the list of participants.

    Refused for a cancelled registration. Locks: the registration row.
    Side effects: updates one row.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("This registration has been cancelled."), code="state")
    registration.dietary_needs = dietary_needs.strip()
    registration.accessibility_needs = accessibility_needs.strip()
    registration.list_consent = list_consent
    registration.save(
        update_fields=["dietary_needs", "accessibility_needs", "list_consent", "updated_at"]
    )
    return registration
