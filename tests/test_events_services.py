"""The registration workflow: places, waitlist, cancellation, promotion, check-in."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.events import services
from innoclub.events.models import (
    AgendaItem,
    Attendance,
    Event,
    EventMode,
    EventState,
    Registration,
    RegistrationStatus,
)
from innoclub.events.services import RegistrationError
from tests.factories import EventFactory, GuestFactory, MemberFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def register(event: Event, user: User | None = None, attendance: str = "onsite") -> Registration:
    person: User = user or MemberFactory.create()
    registration, _created = services.registration_create(
        event=event, user=person, attendance=attendance
    )
    return registration


def statuses(event: Event) -> list[str]:
    return list(event.registrations.order_by("queued_at", "id").values_list("status", flat=True))


def test_member_gets_a_place_while_places_are_free():
    event = EventFactory(capacity=2)

    registration = register(event)

    event.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert event.seats_taken == 1
    assert event.state == EventState.OPEN


def test_last_place_books_the_event_out_and_the_next_person_waits():
    event = EventFactory(capacity=1)

    first = register(event)
    second = register(event)
    third = register(event)

    event.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    assert [second.status, third.status] == [RegistrationStatus.WAITLISTED] * 2
    assert [services.waitlist_position(second), services.waitlist_position(third)] == [1, 2]
    assert event.seats_taken == 1
    assert event.state == EventState.FULL


def test_registering_twice_returns_the_existing_registration():
    event = EventFactory()
    member = MemberFactory()
    first, created_first = services.registration_create(
        event=event, user=member, attendance=Attendance.ONSITE
    )

    again, created_again = services.registration_create(
        event=event, user=member, attendance=Attendance.ONSITE
    )

    event.refresh_from_db()
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert event.seats_taken == 1
    assert Registration.objects.count() == 1


def test_waitlisted_participant_is_promoted_when_someone_cancels():
    event = EventFactory(capacity=1)
    first = register(event)
    waiting = register(event)
    later = register(event)
    mail.outbox.clear()

    promoted = services.registration_cancel(registration=first)

    waiting.refresh_from_db()
    later.refresh_from_db()
    event.refresh_from_db()
    assert [p.pk for p in promoted] == [waiting.pk]
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert services.waitlist_position(later) == 1
    assert event.seats_taken == 1
    assert [message.to for message in mail.outbox] == [[waiting.user.email]]


def test_cancelling_twice_changes_nothing():
    event = EventFactory(capacity=1)
    first = register(event)
    register(event)
    services.registration_cancel(registration=first)

    assert services.registration_cancel(registration=first) == []
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert statuses(event) == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]


def test_cancelling_a_waitlist_place_frees_no_seat():
    event = EventFactory(capacity=1)
    register(event)
    waiting = register(event)

    assert services.registration_cancel(registration=waiting) == []
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_cancelled_person_who_registers_again_joins_the_end_of_the_waitlist():
    event = EventFactory(capacity=1)
    member = MemberFactory()
    first = register(event, member)
    waiting = register(event)
    services.registration_cancel(registration=first)

    again = register(event, member)

    assert again.pk == first.pk
    assert again.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(again) == 1
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_online_participation_has_no_limit_on_a_hybrid_event():
    event = EventFactory(capacity=1, mode=EventMode.HYBRID)
    register(event)

    online = register(event, attendance=Attendance.ONLINE)

    event.refresh_from_db()
    assert online.status == RegistrationStatus.CONFIRMED
    assert event.seats_taken == 1


@pytest.mark.parametrize(
    ("mode", "attendance"),
    [
        (EventMode.ONSITE, Attendance.ONLINE),
        (EventMode.ONLINE, Attendance.ONSITE),
        (EventMode.HYBRID, "balkon"),
    ],
)
def test_attendance_must_fit_the_format(mode, attendance):
    event = EventFactory(mode=mode)

    with pytest.raises(RegistrationError) as refused:
        register(event, attendance=attendance)

    assert refused.value.code == "attendance"
    assert Registration.objects.count() == 0


def test_registration_after_the_deadline_is_refused():
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(RegistrationError) as refused:
        register(event)

    assert str(refused.value) == "Die Anmeldefrist für diese Veranstaltung ist abgelaufen."
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("state", [EventState.PLANNING, EventState.INVITED, EventState.CLOSED])
def test_registration_is_refused_unless_open(state):
    event = EventFactory(state=state)

    with pytest.raises(RegistrationError) as refused:
        register(event)

    assert refused.value.code == "closed"
    assert Registration.objects.count() == 0


def test_guest_needs_an_invitation(staff):
    event = EventFactory()
    guest = GuestFactory()

    with pytest.raises(RegistrationError) as refused:
        register(event, guest)
    assert refused.value.code == "not_invited"

    services.invitations_create(event=event, users=[guest], invited_by=staff)
    assert register(event, guest).status == RegistrationStatus.CONFIRMED


def test_inviting_again_skips_people_already_invited(staff):
    event = EventFactory(state=EventState.PLANNING)
    guest = GuestFactory()
    member = MemberFactory()
    services.invitations_create(event=event, users=[guest], invited_by=staff)
    mail.outbox.clear()

    created = services.invitations_create(event=event, users=[guest, member], invited_by=staff)

    event.refresh_from_db()
    assert [invitation.user for invitation in created] == [member]
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert event.state == EventState.INVITED


def test_office_confirms_a_waiting_person_beyond_the_capacity():
    event = EventFactory(capacity=1)
    register(event)
    waiting = register(event)

    services.registration_confirm(registration=waiting)

    event.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert (event.capacity, event.seats_taken) == (2, 2)


def test_moving_a_participant_online_gives_the_place_to_the_first_waiting():
    event = EventFactory(capacity=1, mode=EventMode.HYBRID)
    first = register(event)
    waiting = register(event)

    promoted = services.registration_move(registration=first, attendance=Attendance.ONLINE)

    event.refresh_from_db()
    assert [p.pk for p in promoted] == [waiting.pk]
    assert event.seats_taken == 1
    assert statuses(event) == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED]


def test_more_places_move_the_waitlist_up_and_fewer_than_taken_are_refused():
    event = EventFactory(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(3)]

    promoted = services.event_capacity_change(event=event, capacity=3)
    assert [p.pk for p in promoted] == [w.pk for w in waiting[:2]]

    with pytest.raises(RegistrationError) as refused:
        services.event_capacity_change(event=event, capacity=2)
    assert refused.value.code == "capacity"
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken, event.state) == (3, 3, EventState.FULL)


def test_check_in_keeps_the_first_time_and_refuses_the_waitlist():
    event = EventFactory(capacity=1)
    confirmed = register(event)
    waiting = register(event)
    first_time = timezone.now() - datetime.timedelta(minutes=5)

    services.registration_check_in(registration=confirmed, now=first_time)
    again = services.registration_check_in(registration=confirmed)

    assert again.checked_in_at == first_time
    with pytest.raises(RegistrationError):
        services.registration_check_in(registration=waiting)
    undone = services.registration_check_in(registration=confirmed, undo=True)
    assert undone.checked_in_at is None


def test_agenda_is_for_participants_only():
    session = SessionFactory()
    participant = register(session.event).user
    outsider = MemberFactory()

    assert services.agenda_toggle(user=participant, session=session) is True
    with pytest.raises(RegistrationError):
        services.agenda_toggle(user=outsider, session=session)
    assert services.agenda_toggle(user=participant, session=session) is False
    assert AgendaItem.objects.count() == 0


def test_moving_a_session_raises_its_revision_and_tells_agenda_holders():
    session = SessionFactory()
    participant = register(session.event).user
    services.agenda_toggle(user=participant, session=session)
    mail.outbox.clear()

    session.room = "Saal B"
    services.session_save(session=session, changed=["room"])
    session.description = "Neu beschrieben."
    services.session_save(session=session, changed=["description"])

    session.refresh_from_db()
    assert session.sequence == 1
    assert [message.to for message in mail.outbox] == [[participant.email]]


def test_database_refuses_more_confirmed_places_than_capacity():
    from django.db import IntegrityError

    event = EventFactory(capacity=1)
    register(event)

    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(seats_taken=2)


def test_confirming_the_last_waiting_person_into_the_last_place_books_the_event_out():
    event = EventFactory(capacity=1)
    first = register(event)
    waiting = register(event)
    services.registration_cancel(registration=first)  # waiting moves up
    late = register(event)

    services.registration_confirm(registration=late)

    event.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert (event.capacity, event.seats_taken, event.state) == (2, 2, EventState.FULL)


def test_capacity_equal_to_the_places_taken_books_the_event_out_and_more_reopens_it():
    event = EventFactory(capacity=3)
    register(event)
    register(event)

    services.event_capacity_change(event=event, capacity=2)
    event.refresh_from_db()
    assert event.state == EventState.FULL

    services.event_capacity_change(event=event, capacity=5)
    event.refresh_from_db()
    assert event.state == EventState.OPEN


def test_the_office_is_not_invited(staff):
    event = EventFactory()

    assert services.invitations_create(event=event, users=[staff], invited_by=staff) == []
