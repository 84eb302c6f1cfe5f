"""A person registers for a forum, changes their details, cancels, and sees who else comes."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from innoclub.core.access import Visibility
from innoclub.events.forms import NEEDS_PRIVACY_NOTE
from innoclub.events.models import (
    Attendance,
    Event,
    EventInvitation,
    EventMode,
    EventState,
    Registration,
    RegistrationStatus,
)
from tests.conftest import login_client
from tests.factories import EventFactory, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def url(event: Event, page: str = "anmeldung/") -> str:
    return f"/foren/{event.slug}/{page}"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def register(client: Client, event: Event, **data: str) -> object:
    return client.post(url(event), {"action": "register", **data})


# --- Registering -----------------------------------------------------------------


def test_member_sees_the_registration_form(member_client):
    event = EventFactory(mode=EventMode.HYBRID)

    response = member_client.get(url(event))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "attendance",
        "dietary_needs",
        "accessibility_needs",
        "list_consent",
    ]
    assert str(NEEDS_PRIVACY_NOTE) in response.content.decode()


def test_the_way_of_taking_part_is_asked_only_for_hybrid_events(member_client):
    event = EventFactory(mode=EventMode.ONSITE)

    response = member_client.get(url(event))

    assert "attendance" not in response.context["form"].fields


@pytest.mark.django_db(transaction=True)
def test_member_registers_and_gets_a_confirmation(member, member_client):
    event = EventFactory(capacity=10)

    response = register(member_client, event, dietary_needs=" vegetarisch ", list_consent="on")

    assert response.status_code == 302
    assert response["Location"] == url(event)
    registration = Registration.objects.get(event=event, user=member)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.attendance == Attendance.ONSITE
    assert registration.dietary_needs == "vegetarisch"
    assert registration.list_consent is True
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert messages_of(response) == [
        gettext(
            "You are registered for %(event)s. We have sent you a confirmation by e-mail, "
            "with the program for your calendar."
        )
        % {"event": event.title}
    ]


def test_hybrid_event_registers_online_without_taking_a_place(member, member_client):
    event = EventFactory(mode=EventMode.HYBRID, capacity=1)

    register(member_client, event, attendance="online")

    registration = Registration.objects.get(event=event, user=member)
    assert (registration.status, registration.attendance) == ("confirmed", "online")
    event.refresh_from_db()
    assert event.seats_taken == 0


def test_online_event_registers_online(member, member_client):
    event = EventFactory(mode=EventMode.ONLINE, capacity=None)

    register(member_client, event)

    assert Registration.objects.get(event=event, user=member).attendance == Attendance.ONLINE


def test_registering_twice_returns_the_existing_registration(member, member_client):
    event = EventFactory()
    register(member_client, event, dietary_needs="vegan")

    response = register(member_client, event, dietary_needs="Fisch")

    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=member)
    assert registration.dietary_needs == "vegan"
    assert Registration.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert messages_of(response)[-1] == gettext(
        "You were already registered for %(event)s. Here is your registration."
    ) % {"event": event.title}


@pytest.mark.django_db(transaction=True)
def test_full_event_puts_the_person_on_the_waitlist_with_position(member, member_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    Registration.objects.create(
        event=event,
        user=MemberFactory(),
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    response = register(member_client, event)

    registration = Registration.objects.get(event=event, user=member)
    assert registration.status == RegistrationStatus.WAITLISTED
    (text,) = messages_of(response)
    assert "2" in text
    page = member_client.get(url(event))
    assert page.context["position"] == 2
    (message,) = mail.outbox
    assert "2" in str(message.body)


def test_the_form_says_beforehand_that_the_event_is_full(member_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    response = member_client.get(url(event))

    assert response.context["event"].seats_left == 0
    assert 'class="kern-alert kern-alert--warning"' in response.content.decode()


# --- Refusals ------------------------------------------------------------------------


def test_registration_after_the_deadline_is_refused(member, member_client):
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))

    response = register(member_client, event)

    assert response.status_code == 400
    assert response.context["refusal"] == gettext(
        "The registration deadline for this event has passed."
    )
    assert not Registration.objects.filter(event=event).exists()


@pytest.mark.parametrize("state", [EventState.PLANNING, EventState.INVITED, EventState.CLOSED])
def test_registration_for_an_event_that_is_not_open_is_refused(member_client, state):
    event = EventFactory(state=state)

    get = member_client.get(url(event))
    post = register(member_client, event)

    assert get.status_code == 200
    assert get.context["form"] is None
    assert get.context["refusal"] != ""
    assert post.status_code == 400
    assert not Registration.objects.filter(event=event).exists()


def test_guest_without_invitation_cannot_register(guest_client):
    event = EventFactory()

    response = register(guest_client, event)

    assert response.status_code == 400
    assert response.context["refusal"] == gettext(
        "Guests can register after the club office has invited them."
    )
    assert not Registration.objects.filter(event=event).exists()


def test_invited_guest_registers(guest, guest_client):
    event = EventFactory()
    EventInvitation.objects.create(event=event, user=guest)

    register(guest_client, event)

    assert Registration.objects.get(event=event).user == guest


@pytest.mark.parametrize("value", ["", "irgendwo", "onsite'--"])
def test_an_invalid_way_of_taking_part_is_refused(member_client, value):
    event = EventFactory(mode=EventMode.HYBRID)

    response = register(member_client, event, attendance=value)

    assert response.status_code == 400
    assert response.context["form"].errors["attendance"] == [
        gettext("Please choose how you will take part.")
    ]
    assert not Registration.objects.filter(event=event).exists()


def test_needs_that_are_too_long_are_refused(member_client):
    event = EventFactory()

    response = register(member_client, event, dietary_needs="x" * 301)

    assert response.status_code == 400
    assert "dietary_needs" in response.context["form"].errors
    assert not Registration.objects.filter(event=event).exists()


def test_an_event_hidden_from_the_person_answers_404(guest_client):
    event = EventFactory(visibility=Visibility.MEMBERS)

    assert guest_client.get(url(event)).status_code == 404
    assert register(guest_client, event).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(anon_client):
    event = EventFactory()

    for page in ("anmeldung/", "anmeldung/stornieren/", "teilnehmende/"):
        response = anon_client.get(url(event, page))
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/")


# --- Changing and cancelling --------------------------------------------------------


def test_participant_changes_their_needs_and_consent(member, member_client):
    registration = RegistrationFactory(user=member, dietary_needs="vegan")

    response = member_client.post(
        url(registration.event),
        {"action": "update", "accessibility_needs": "Rollstuhl", "list_consent": "on"},
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.dietary_needs == ""
    assert registration.accessibility_needs == "Rollstuhl"
    assert registration.list_consent is True
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_asks_for_confirmation_first(member, member_client):
    registration = RegistrationFactory(user=member)

    response = member_client.get(url(registration.event, "anmeldung/stornieren/"))

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_waitlisted_participant_is_promoted_when_someone_cancels(member, member_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, user=member)
    first = Registration.objects.create(
        event=event,
        user=MemberFactory(email="erste@example.org"),
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now() - datetime.timedelta(minutes=2),
    )
    second = Registration.objects.create(
        event=event,
        user=MemberFactory(email="zweite@example.org"),
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    response = member_client.post(url(event, "anmeldung/stornieren/"))

    assert response.status_code == 302
    assert response["Location"] == f"/foren/{event.slug}/"
    assert Registration.objects.get(event=event, user=member).status == "cancelled"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert [message.to for message in mail.outbox] == [["erste@example.org"]]


def test_cancelling_touches_only_ones_own_registration(member_client):
    event = EventFactory()
    other = RegistrationFactory(event=event)

    response = member_client.post(url(event, "anmeldung/stornieren/"), {"registration": other.pk})

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == RegistrationStatus.CONFIRMED
    assert messages_of(response) == [gettext("You are not registered for this event.")]


def test_a_cancelled_person_may_register_again(member, member_client):
    registration = RegistrationFactory(user=member)
    member_client.post(url(registration.event, "anmeldung/stornieren/"))

    register(member_client, registration.event)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


# --- The list of participants -----------------------------------------------------


def test_participants_see_confirmed_people_who_agreed_to_be_listed(member, member_client):
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event, user=member, list_consent=True)
    listed = RegistrationFactory(
        event=event, user=MemberFactory(first_name="Anna", last_name="Adler"), list_consent=True
    )
    RegistrationFactory(event=event, user=MemberFactory(last_name="Ungenannt"))
    Registration.objects.create(
        event=event,
        user=MemberFactory(last_name="Wartend"),
        status=RegistrationStatus.WAITLISTED,
        list_consent=True,
        queued_at=timezone.now(),
    )

    response = member_client.get(url(event, "teilnehmende/"))

    assert response.status_code == 200
    assert [r.user.last_name for r in response.context["people"]] == ["Adler", "Berger"]
    assert listed.user.email not in response.content.decode()


def test_the_list_of_participants_is_hidden_from_others(member_client, guest):
    event = EventFactory()
    RegistrationFactory(event=event, list_consent=True)

    assert member_client.get(url(event, "teilnehmende/")).status_code == 404
    assert login_client(guest).get(url(event, "teilnehmende/")).status_code == 404


def test_the_office_sees_the_list_of_participants(staff_client):
    event = EventFactory()
    RegistrationFactory(event=event, list_consent=True)

    response = staff_client.get(url(event, "teilnehmende/"))

    assert response.status_code == 200
    assert len(response.context["people"]) == 1


@pytest.mark.parametrize("items", [1, 4])
def test_list_of_participants_query_budget(member, member_client, django_assert_num_queries, items):
    event = EventFactory()
    RegistrationFactory(event=event, user=member, list_consent=True)
    for _ in range(items):
        RegistrationFactory(event=event, list_consent=True)
    member_client.get(url(event, "teilnehmende/"))

    # session, user, event, participant check, list
    with django_assert_num_queries(5):
        response = member_client.get(url(event, "teilnehmende/"))

    assert len(response.context["people"]) == items + 1


def test_guest_who_is_invited_sees_a_registration_form(guest):
    event = EventFactory(visibility=Visibility.MEMBERS)
    EventInvitation.objects.create(event=event, user=guest)

    response = login_client(guest).get(url(event))

    assert response.status_code == 200
    assert response.context["refusal"] == ""
    assert "attendance" not in response.context["form"].fields


# --- The registration box on the event page -------------------------------------------


def box(response) -> str:
    html = response.content.decode()
    start = html.index('<section class="registration-box"')
    return html[start : html.index("</section>", start)]


def test_box_sends_anonymous_visitors_to_the_login(anon_client):
    event = EventFactory()

    html = box(anon_client.get(f"/foren/{event.slug}/"))

    assert f'href="/konto/anmelden/?next=/foren/{event.slug}/anmeldung/"' in html


def test_box_tells_a_guest_without_invitation_why_they_cannot_register(guest_client):
    event = EventFactory()

    html = box(guest_client.get(f"/foren/{event.slug}/"))

    assert gettext("Guests can register after the club office has invited them.") in html
    assert f'href="/foren/{event.slug}/anmeldung/"' not in html


def test_box_offers_registration_and_names_free_places(member_client):
    event = EventFactory(capacity=10)
    RegistrationFactory(event=event)

    html = box(member_client.get(f"/foren/{event.slug}/"))

    assert f'href="/foren/{event.slug}/anmeldung/"' in html
    assert "9" in html


def test_box_shows_the_waitlist_position(member, member_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    for minutes, user in ((5, MemberFactory()), (1, member)):
        Registration.objects.create(
            event=event,
            user=user,
            status=RegistrationStatus.WAITLISTED,
            queued_at=timezone.now() - datetime.timedelta(minutes=minutes),
        )

    html = box(member_client.get(f"/foren/{event.slug}/"))

    assert "registration-box__position" in html
    assert gettext("You are on the waitlist, place %(position)s.") % {"position": 2} in html
    assert f'href="/foren/{event.slug}/anmeldung/stornieren/"' in html


def test_box_shows_a_confirmed_registration(member, member_client):
    event = EventFactory()
    RegistrationFactory(event=event, user=member)

    html = box(member_client.get(f"/foren/{event.slug}/"))

    assert "kern-badge--success" in html
    assert f'href="/foren/{event.slug}/teilnehmende/"' in html


def test_changing_details_after_cancelling_registers_nobody(member, member_client):
    registration = RegistrationFactory(user=member, status=RegistrationStatus.CANCELLED)

    response = member_client.post(
        url(registration.event), {"action": "update", "dietary_needs": "vegan"}
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.dietary_needs) == ("cancelled", "")
    assert messages_of(response) == [gettext("You are not registered for this event.")]
