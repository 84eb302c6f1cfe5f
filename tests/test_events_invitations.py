"""The club office invites one person or a group to a forum, after a preview of the count."""

from __future__ import annotations

import pytest
from django.core import mail

from innoclub.events.models import Event, EventInvitation, EventState, RegistrationStatus
from innoclub.network.models import FederalState
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    RegistrationFactory,
    StaffFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def page(event: Event) -> str:
    return f"/geschaeftsstelle/foren/{event.slug}/einladungen/"


def invited(event: Event) -> set[str]:
    return set(EventInvitation.objects.filter(event=event).values_list("user__email", flat=True))


def test_preview_counts_new_and_already_invited_people_and_sends_nothing(staff_client, staff):
    event = EventFactory()
    members = MemberFactory.create_batch(3)
    EventInvitation.objects.create(event=event, user=members[0], invited_by=staff)
    GuestFactory()
    StaffFactory()
    MemberFactory(is_active=False)

    response = staff_client.post(page(event), {"step": "preview", "audience": "members"})

    assert response.status_code == 200
    assert response.context["preview"] == {"total": 3, "already": 1, "new": 2}
    assert EventInvitation.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_office_invites_all_members_and_each_gets_an_email(staff_client, staff):
    event = EventFactory(state=EventState.PLANNING)
    first, second = MemberFactory.create_batch(2)
    EventInvitation.objects.create(event=event, user=first, invited_by=staff)
    GuestFactory()

    response = staff_client.post(page(event), {"step": "send", "audience": "members"})

    assert response.status_code == 302
    assert invited(event) == {first.email, second.email}
    assert [message.to for message in mail.outbox] == [[second.email]]
    event.refresh_from_db()
    assert event.state == EventState.INVITED


@pytest.mark.django_db(transaction=True)
def test_office_invites_one_guest(staff_client, guest):
    event = EventFactory()

    staff_client.post(page(event), {"step": "send", "audience": "person", "person": guest.pk})

    assert invited(event) == {guest.email}
    assert [message.to for message in mail.outbox] == [[guest.email]]


def test_office_invites_members_with_a_topic(staff_client):
    event = EventFactory()
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")
    expert = ProfileFactory()
    expert.topics.add(topic, TopicFactory())
    ProfileFactory()

    preview = staff_client.post(
        page(event), {"step": "preview", "audience": "topic", "topic": topic.pk}
    )
    staff_client.post(page(event), {"step": "send", "audience": "topic", "topic": topic.pk})

    assert preview.context["preview"] == {"total": 1, "already": 0, "new": 1}
    assert invited(event) == {expert.user.email}


def test_office_invites_members_of_a_federal_state(staff_client):
    event = EventFactory()
    bavarian = MemberFactory(
        municipality=MunicipalityFactory(state=FederalState.BY, ags="09162000")
    )
    MemberFactory()  # Hessen

    staff_client.post(page(event), {"step": "send", "audience": "state", "state": "09"})

    assert invited(event) == {bavarian.email}


def test_office_invites_all_guests(staff_client):
    event = EventFactory()
    guests = GuestFactory.create_batch(2)
    MemberFactory()

    staff_client.post(page(event), {"step": "send", "audience": "guests"})

    assert invited(event) == {guest.email for guest in guests}


@pytest.mark.parametrize(
    "data",
    [
        {"audience": "person"},
        {"audience": "person", "person": "999999"},
        {"audience": "topic"},
        {"audience": "state", "state": "99"},
        {"audience": "alle-welt"},
    ],
)
def test_an_incomplete_choice_is_refused_and_nobody_is_invited(staff_client, staff, data):
    event = EventFactory()
    MemberFactory()

    response = staff_client.post(page(event), {"step": "send", **data})

    assert response.status_code == 400
    assert response.context["form"].errors != {}
    assert invited(event) == set()


def test_staff_accounts_cannot_be_invited_as_a_person(staff_client, staff):
    event = EventFactory()

    response = staff_client.post(
        page(event), {"step": "send", "audience": "person", "person": staff.pk}
    )

    assert response.status_code == 400
    assert invited(event) == set()


def test_inviting_the_same_people_again_sends_nothing(staff_client, member):
    event = EventFactory()
    staff_client.post(page(event), {"step": "send", "audience": "members"})

    response = staff_client.post(page(event), {"step": "send", "audience": "members"})

    assert response.status_code == 302
    assert EventInvitation.objects.filter(event=event).count() == 1


def test_the_list_shows_who_has_registered(staff_client, staff):
    event = EventFactory()
    registered, silent = MemberFactory.create_batch(2)
    for person in (registered, silent):
        EventInvitation.objects.create(event=event, user=person, invited_by=staff)
    RegistrationFactory(event=event, user=registered)
    cancelled = MemberFactory()
    EventInvitation.objects.create(event=event, user=cancelled, invited_by=staff)
    RegistrationFactory(event=event, user=cancelled, status=RegistrationStatus.CANCELLED)

    response = staff_client.get(page(event))

    status = {row.user.email: row.registered for row in response.context["invitations"]}
    assert status == {registered.email: True, silent.email: False, cancelled.email: False}


@pytest.mark.parametrize("items", [1, 4])
def test_invitation_page_query_budget(staff_client, staff, django_assert_num_queries, items):
    event = EventFactory()
    for person in MemberFactory.create_batch(items):
        EventInvitation.objects.create(event=event, user=person, invited_by=staff)
    staff_client.get(page(event))

    # session, user, OTP device, event, invitations; the form's people and topics
    with django_assert_num_queries(7):
        response = staff_client.get(page(event))

    assert len(response.context["invitations"]) == items
