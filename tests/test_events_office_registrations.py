"""The club office keeps the registrations of a forum: counts, search, waitlist, actions, CSV."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from innoclub.events.models import (
    Attendance,
    Event,
    EventMode,
    EventState,
    Registration,
    RegistrationStatus,
)
from tests.factories import EventFactory, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def office(event: Event, page: str = "") -> str:
    return f"/geschaeftsstelle/foren/{event.slug}/anmeldungen/{page}"


def waiting(event: Event, minutes_ago: int, **user: Any):
    return RegistrationFactory(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **{f"user__{name}": value for name, value in user.items()},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Access ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["", "export.csv", "plaetze/", "1/bestaetigen/", "1/teilnahme/", "1/stornieren/"],
)
def test_office_pages_are_hidden_from_everybody_but_the_office(
    anon_client, member_client, guest_client, page
):
    event = EventFactory()
    RegistrationFactory(event=event)

    assert anon_client.get(office(event, page)).status_code == 302
    for client in (member_client, guest_client):
        assert client.get(office(event, page)).status_code == 404
        assert client.post(office(event, page)).status_code == 404
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_invitation_page_is_hidden_from_members_and_guests(member_client, guest_client):
    event = EventFactory()

    for client in (member_client, guest_client):
        assert client.get(f"/geschaeftsstelle/foren/{event.slug}/einladungen/").status_code == 404


def test_unknown_event_answers_404(staff_client):
    assert staff_client.get("/geschaeftsstelle/foren/gibt-es-nicht/anmeldungen/").status_code == 404


# --- The list ----------------------------------------------------------------------------


def test_office_sees_counts_and_the_waitlist_in_order(staff_client):
    event = EventFactory(mode=EventMode.HYBRID, capacity=2)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, attendance=Attendance.ONLINE)
    second = waiting(event, 1, last_name="Zweiter")
    first = waiting(event, 5, last_name="Erster")
    RegistrationFactory(
        event=event, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )

    response = staff_client.get(office(event))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts.onsite, counts.online, counts.waitlisted, counts.cancelled) == (2, 1, 2, 1)
    assert response.context["waitlist"] == [(1, first), (2, second)]
    assert len(response.context["registrations"]) == 6


def test_office_searches_and_filters_registrations(staff_client):
    event = EventFactory()
    RegistrationFactory(event=event, user=MemberFactory(first_name="Jana", last_name="Schulz"))
    RegistrationFactory(event=event, user=MemberFactory(first_name="Olaf", last_name="Schulz"))
    waiting(event, 1, first_name="Jana", last_name="Berg")

    by_name = staff_client.get(office(event), {"q": "jana schulz"})
    by_status = staff_client.get(office(event), {"status": "waitlisted"})
    bad_status = staff_client.get(office(event), {"status": "geloescht"})

    assert [r.user.first_name for r in by_name.context["registrations"]] == ["Jana"]
    assert [r.user.last_name for r in by_status.context["registrations"]] == ["Berg"]
    assert bad_status.status_code == 200
    assert len(bad_status.context["registrations"]) == 3


@pytest.mark.parametrize("items", [1, 5])
def test_registration_list_query_budget(staff_client, django_assert_num_queries, items):
    event = EventFactory(mode=EventMode.HYBRID, capacity=items)
    RegistrationFactory.create_batch(items, event=event)
    for n in range(items):
        waiting(event, n)
    staff_client.get(office(event))  # the first request of a login stores the session clock

    # session, user, OTP device, event, counts, waitlist, list
    with django_assert_num_queries(7):
        response = staff_client.get(office(event))

    assert len(response.context["registrations"]) == items * 2


# --- Actions ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_office_confirms_someone_from_the_waitlist(staff_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    person = waiting(event, 1, email="warteliste@example.org")

    response = staff_client.post(office(event, f"{person.pk}/bestaetigen/"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == RegistrationStatus.CONFIRMED
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken) == (2, 2)
    assert [message.to for message in mail.outbox] == [["warteliste@example.org"]]


def test_confirming_a_confirmed_person_is_refused(staff_client):
    registration = RegistrationFactory()

    response = staff_client.post(office(registration.event, f"{registration.pk}/bestaetigen/"))

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    registration.event.refresh_from_db()
    assert registration.event.seats_taken == 1


@pytest.mark.django_db(transaction=True)
def test_moving_someone_online_gives_their_place_to_the_first_waiting(staff_client):
    event = EventFactory(mode=EventMode.HYBRID, capacity=1)
    registration = RegistrationFactory(event=event)
    first = waiting(event, 2, email="erste@example.org")

    response = staff_client.post(
        office(event, f"{registration.pk}/teilnahme/"), {"attendance": "online"}
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    first.refresh_from_db()
    assert (registration.attendance, registration.status) == ("online", "confirmed")
    assert first.status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [["erste@example.org"]]


def test_moving_to_an_unknown_way_of_taking_part_changes_nothing(staff_client):
    event = EventFactory(mode=EventMode.HYBRID)
    registration = RegistrationFactory(event=event)

    response = staff_client.post(
        office(event, f"{registration.pk}/teilnahme/"), {"attendance": "mond"}
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ONSITE
    assert len(messages_of(response)) == 1


@pytest.mark.django_db(transaction=True)
def test_office_cancels_a_registration_and_the_first_waiting_moves_up(staff_client):
    event = EventFactory(capacity=1)
    registration = RegistrationFactory(event=event)
    first = waiting(event, 2, email="erste@example.org")

    response = staff_client.post(office(event, f"{registration.pk}/stornieren/"))

    assert response.status_code == 302
    registration.refresh_from_db()
    first.refresh_from_db()
    assert (registration.status, first.status) == ("cancelled", "confirmed")
    assert [message.to for message in mail.outbox] == [["erste@example.org"]]


@pytest.mark.parametrize("page", ["bestaetigen/", "teilnahme/", "stornieren/"])
def test_another_events_registration_id_answers_404(staff_client, page):
    event = EventFactory()
    other = RegistrationFactory(event=EventFactory())

    response = staff_client.post(office(event, f"{other.pk}/{page}"), {"attendance": "online"})

    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.status, other.attendance) == ("confirmed", "onsite")


def test_office_actions_need_post(staff_client):
    registration = RegistrationFactory()

    response = staff_client.get(office(registration.event, f"{registration.pk}/stornieren/"))

    assert response.status_code == 405
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


# --- Capacity ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_more_places_move_people_up_from_the_waitlist(staff_client):
    event = EventFactory(capacity=1, state=EventState.FULL)
    RegistrationFactory(event=event)
    first = waiting(event, 2)

    response = staff_client.post(office(event, "plaetze/"), {"capacity": "5"})

    assert response.status_code == 302
    first.refresh_from_db()
    event.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    assert (event.capacity, event.seats_taken, event.state) == (5, 2, EventState.OPEN)
    assert len(mail.outbox) == 1


def test_fewer_places_than_taken_are_refused(staff_client):
    event = EventFactory(capacity=5)
    RegistrationFactory.create_batch(3, event=event)

    response = staff_client.post(office(event, "plaetze/"), {"capacity": "2"})

    assert response.status_code == 400
    assert "3" in response.context["capacity_form"].errors["capacity"][0]
    event.refresh_from_db()
    assert event.capacity == 5


@pytest.mark.parametrize("value", ["-1", "viele", "1e9"])
def test_a_nonsense_capacity_is_refused(staff_client, value):
    event = EventFactory(capacity=5)

    response = staff_client.post(office(event, "plaetze/"), {"capacity": value})

    assert response.status_code == 400
    event.refresh_from_db()
    assert event.capacity == 5


def test_an_empty_capacity_removes_the_limit(staff_client):
    event = EventFactory(capacity=5)

    staff_client.post(office(event, "plaetze/"), {"capacity": ""})

    event.refresh_from_db()
    assert event.capacity is None


# --- CSV -------------------------------------------------------------------------------------


def test_csv_lists_active_registrations_with_their_needs(staff_client):
    event = EventFactory()
    RegistrationFactory(
        event=event,
        user=MemberFactory(first_name="Jana", last_name="Schulz", email="jana@example.org"),
        dietary_needs="vegan",
        accessibility_needs="=HYPERLINK()",
    )
    RegistrationFactory(
        event=event, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )

    response = staff_client.get(office(event, "export.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="anmeldungen-{event.slug}.csv"'
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 2
    cells = lines[1].split(";")
    assert cells[:3] == ["Schulz", "Jana", "jana@example.org"]
    assert cells[6:8] == ["vegan", "'=HYPERLINK()"]
