"""No overbooking, ever: many people register for the last places at the same time.

Runs on the configured database (SQLite in one CI pass, PostgreSQL in the
other), with one connection per thread, so the database's own locking is what
keeps the count right.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from innoclub.events import services
from innoclub.events.models import Attendance, Registration, RegistrationStatus
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

PLACES = 10
PEOPLE = 40
THREADS = 8


def _run_in_threads(work: list, worker) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)
    chunks = [work[index::THREADS] for index in range(THREADS)]

    def run(chunk: list) -> None:
        try:
            barrier.wait()
            for item in chunk:
                worker(item)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_simultaneous_registrations_fill_the_places_exactly_and_queue_the_rest():
    event = EventFactory(capacity=PLACES)
    people = [MemberFactory() for _ in range(PEOPLE)]

    errors = _run_in_threads(
        people,
        lambda person: services.registration_create(
            event=event, user=person, attendance=Attendance.ONSITE
        ),
    )

    assert errors == []
    event.refresh_from_db()
    queue = list(Registration.objects.filter(event=event).order_by("queued_at", "id"))
    assert len(queue) == PEOPLE
    assert {r.user_id for r in queue} == {p.pk for p in people}
    assert [r.status for r in queue] == (
        [RegistrationStatus.CONFIRMED] * PLACES
        + [RegistrationStatus.WAITLISTED] * (PEOPLE - PLACES)
    )
    waiting = [r for r in queue if r.status == RegistrationStatus.WAITLISTED]
    assert [services.waitlist_position(r) for r in waiting] == list(range(1, PEOPLE - PLACES + 1))
    assert event.seats_taken == PLACES


def test_simultaneous_cancellations_promote_each_waiting_person_once():
    event = EventFactory(capacity=PLACES)
    registrations = [
        services.registration_create(event=event, user=MemberFactory(), attendance="onsite")[0]
        for _ in range(PLACES * 2)
    ]
    confirmed, waiting = registrations[:PLACES], registrations[PLACES:]
    leaving = confirmed[: PLACES // 2]

    errors = _run_in_threads(
        leaving * 2,  # everybody cancels twice, from two threads
        lambda registration: services.registration_cancel(registration=registration),
    )

    assert errors == []
    event.refresh_from_db()
    promoted = set(
        Registration.objects.filter(event=event, promoted_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert promoted == {r.pk for r in waiting[: len(leaving)]}
    assert event.seats_taken == PLACES
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
        == PLACES
    )
