"""The events API for one's own part: registrations (and the office's view of an
event's registrations), registering and cancelling, with the same refusals as the
web form. Workshop wishes are in test_api_workshop_ranking.py."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from innoclub.api.tokens import token_create
from innoclub.core.access import Visibility
from innoclub.events.models import (
    EventInvitation,
    EventMode,
    EventState,
    Registration,
    RegistrationStatus,
)
from tests.factories import EventFactory, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


def bearer(user, scope: str) -> dict[str, str]:
    _token, plain = token_create(user=user, name="t", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def send(method: str, path: str, body: object = None, **headers: str):
    """A JSON call with a fresh client (tokens, not sessions)."""
    data = json.dumps(body) if body is not None else ""
    return getattr(Client(), method)(
        f"{API}{path}", data=data, content_type="application/json", **headers
    )


def german(message: str) -> str:
    with override("de"):
        return gettext(message)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


# --- Reading registrations ------------------------------------------------------------


@pytest.fixture
def two_members_registered(member):
    other = MemberFactory()
    event = EventFactory(slug="forum")
    return (
        RegistrationFactory(event=event, user=member, dietary_needs="vegetarisch"),
        RegistrationFactory(event=event, user=other),
    )


def test_anonymous_callers_have_no_registrations(anon_client, two_members_registered):
    assert problem(anon_client.get(f"{API}/registrations"), 401)["status"] == 401


def test_a_member_sees_only_their_own_registrations(member, two_members_registered):
    mine, _theirs = two_members_registered

    body = send("get", "/registrations", **bearer(member, "read")).json()

    assert [item["id"] for item in body["items"]] == [mine.pk]
    assert body["items"][0]["dietary_needs"] == "vegetarisch"
    assert body["items"][0]["participant"] is None
    # Naming the event does not widen it for a member.
    filtered = send("get", "/registrations?event=forum", **bearer(member, "read")).json()
    assert [item["id"] for item in filtered["items"]] == [mine.pk]


def test_a_member_cannot_read_another_members_registration(member, two_members_registered):
    mine, theirs = two_members_registered
    headers = bearer(member, "read")

    assert send("get", f"/registrations/{mine.pk}", **headers).json()["id"] == mine.pk
    assert problem(send("get", f"/registrations/{theirs.pk}", **headers), 404)
    assert problem(send("get", "/registrations/987654", **headers), 404)


def test_the_office_sees_every_registration_of_an_event(staff, two_members_registered):
    mine, theirs = two_members_registered
    headers = bearer(staff, "read")

    body = send("get", "/registrations?event=forum&ordering=registered", **headers).json()

    assert [item["id"] for item in body["items"]] == [mine.pk, theirs.pk]
    assert body["items"][0]["participant"] == {"id": mine.user.pk, "name": "Thomas Berger"}
    assert send("get", f"/registrations/{theirs.pk}", **headers).status_code == 200
    # Without an event the office sees its own, like everybody.
    assert send("get", "/registrations", **headers).json()["count"] == 0


def test_registrations_filter_by_status_and_time(member):
    past = EventFactory(starts_on=timezone.localdate() - datetime.timedelta(days=90))
    old = RegistrationFactory(event=past, user=member)
    cancelled = RegistrationFactory(
        user=member, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    headers = bearer(member, "read")

    upcoming = send("get", "/registrations?upcoming=true", **headers).json()
    gone = send("get", "/registrations?status=cancelled", **headers).json()
    done = send("get", "/registrations?upcoming=false", **headers).json()

    assert [item["id"] for item in upcoming["items"]] == [cancelled.pk]
    assert [item["id"] for item in gone["items"]] == [cancelled.pk]
    assert [item["id"] for item in done["items"]] == [old.pk]
    assert problem(send("get", "/registrations?ordering=user__email", **headers), 422)
    assert problem(send("get", "/registrations?event=a%00b", **headers), 400)


@pytest.mark.parametrize("count", [1, 4])
def test_the_registration_list_runs_a_fixed_number_of_queries(
    staff, django_assert_num_queries, count
):
    event = EventFactory(slug="forum", capacity=count)
    for _ in range(count):
        RegistrationFactory(event=event)
        RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    headers = bearer(staff, "read")
    send("get", "/registrations", **headers)  # the token's first use is recorded once

    # token, count, page, waitlist places
    with django_assert_num_queries(4):
        response = send("get", "/registrations?event=forum", **headers)

    items = response.json()["items"]
    assert len(items) == 2 * count
    assert sorted(i["waitlist_position"] or 0 for i in items) == [0] * count + list(
        range(1, count + 1)
    )


# --- Registering ------------------------------------------------------------------------


def test_a_write_token_registers_the_caller(member, django_capture_on_commit_callbacks):
    EventFactory(slug="forum", capacity=10)

    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            "post",
            "/events/forum/registration",
            {"dietary_needs": " vegan ", "list_consent": True},
            **bearer(member, "write"),
        )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["attendance"], body["dietary_needs"]) == (
        "confirmed",
        "onsite",
        "vegan",
    )
    registration = Registration.objects.get(user=member)
    assert (registration.pk, registration.list_consent) == (body["id"], True)
    assert registration.event.seats_taken == 1
    assert len(mail.outbox) == 1


def test_a_read_token_cannot_register(member):
    EventFactory(slug="forum")

    assert problem(send("post", "/events/forum/registration", {}, **bearer(member, "read")), 403)
    assert Registration.objects.count() == 0


def test_a_session_must_send_the_csrf_token_to_register(member):
    EventFactory(slug="forum")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(f"{API}/events/forum/registration", "{}", "application/json")

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_anonymous_callers_cannot_register(anon_client):
    EventFactory(slug="forum")

    assert problem(anon_client.post(f"{API}/events/forum/registration", {}), 401)


def test_registering_twice_is_refused_and_changes_nothing(member):
    event = EventFactory(slug="forum")
    RegistrationFactory(event=event, user=member, dietary_needs="vegetarisch")

    response = send(
        "post", "/events/forum/registration", {"dietary_needs": "vegan"}, **bearer(member, "write")
    )

    assert problem(response, 409)["detail"] == german("You are already registered for this event.")
    assert Registration.objects.get(user=member).dietary_needs == "vegetarisch"


def test_a_full_event_puts_newcomers_on_the_waitlist_in_order(member):
    event = EventFactory(slug="forum", capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    body = send("post", "/events/forum/registration", {}, **bearer(member, "write")).json()

    assert (body["status"], body["waitlist_position"]) == ("waitlisted", 2)
    event.refresh_from_db()
    assert event.seats_taken == 1


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"state": EventState.CLOSED}, "Die Anmeldung für diese Veranstaltung ist nicht geöffnet."),
        (
            {"state": EventState.PLANNING},
            "Die Anmeldung für diese Veranstaltung ist nicht geöffnet.",
        ),
    ],
)
def test_a_closed_event_refuses_registrations(member, changes, detail):
    EventFactory(slug="forum", **changes)

    response = send("post", "/events/forum/registration", {}, **bearer(member, "write"))

    assert problem(response, 409)["detail"] == detail
    assert Registration.objects.count() == 0


def test_a_guest_registers_only_after_an_invitation(guest):
    event = EventFactory(slug="forum")

    refused = send("post", "/events/forum/registration", {}, **bearer(guest, "write"))
    EventInvitation.objects.create(event=event, user=guest)
    accepted = send("post", "/events/forum/registration", {}, **bearer(guest, "write"))

    assert problem(refused, 409)["detail"] == (
        "Gäste können sich anmelden, sobald die Geschäftsstelle sie eingeladen hat."
    )
    assert accepted.status_code == 201


def test_a_hybrid_event_asks_how_the_caller_takes_part(member):
    EventFactory(slug="forum", mode=EventMode.HYBRID)
    headers = bearer(member, "write")

    missing = send("post", "/events/forum/registration", {}, **headers)
    online = send("post", "/events/forum/registration", {"attendance": "online"}, **headers)

    assert problem(missing, 422)["errors"] == [
        {"field": "attendance", "message": "Bitte wählen Sie, wie Sie teilnehmen."}
    ]
    assert (online.status_code, online.json()["attendance"]) == (201, "online")


def test_an_on_site_event_refuses_online_participation(member):
    EventFactory(slug="forum", mode=EventMode.ONSITE)

    response = send(
        "post", "/events/forum/registration", {"attendance": "online"}, **bearer(member, "write")
    )

    assert problem(response, 422)["errors"] == [
        {"field": "attendance", "message": "Diese Veranstaltung findet nur vor Ort statt."}
    ]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"attendance": "vielleicht"},
        {"list_consent": [1]},
        {"dietary_needs": "x" * 301},
        {"accessibility_needs": 5},
        {"dietary_needs": "vegan\u0000"},
        {"user": 1},
    ],
)
def test_bad_input_is_refused_and_nothing_is_registered(member, body):
    EventFactory(slug="forum", mode=EventMode.HYBRID)

    response = send("post", "/events/forum/registration", body, **bearer(member, "write"))

    assert problem(response, 422)["errors"] != []
    assert Registration.objects.count() == 0


def test_registering_for_an_unknown_or_hidden_event_answers_404(member):
    EventFactory(slug="intern", visibility=Visibility.STAFF)
    headers = bearer(member, "write")

    assert problem(send("post", "/events/intern/registration", {}, **headers), 404)
    assert problem(send("post", "/events/gibt-es-nicht/registration", {}, **headers), 404)
    assert Registration.objects.count() == 0


# --- Cancelling -------------------------------------------------------------------------


def test_cancelling_frees_the_place_for_the_first_person_waiting(member):
    event = EventFactory(slug="forum", capacity=1)
    mine = RegistrationFactory(event=event, user=member)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    response = send("delete", "/events/forum/registration", **bearer(member, "write"))

    assert (response.status_code, response.json()["id"]) == (200, mine.pk)
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_cancelling_without_a_registration_is_refused(member):
    EventFactory(slug="forum")

    response = send("delete", "/events/forum/registration", **bearer(member, "write"))

    assert problem(response, 409)["detail"] == "Sie sind für diese Veranstaltung nicht angemeldet."


def test_a_member_cannot_cancel_another_members_registration(member, two_members_registered):
    _mine, theirs = two_members_registered

    response = send("post", f"/registrations/{theirs.pk}/cancel", **bearer(member, "write"))

    assert problem(response, 404)
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.CONFIRMED


def test_a_read_token_cannot_cancel(member, two_members_registered):
    mine, _theirs = two_members_registered
    headers = bearer(member, "read")

    assert problem(send("post", f"/registrations/{mine.pk}/cancel", **headers), 403)
    assert problem(send("delete", "/events/forum/registration", **headers), 403)
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.CONFIRMED


def test_the_owner_and_the_office_cancel_by_id_but_only_once(member, staff, two_members_registered):
    mine, theirs = two_members_registered

    own = send("post", f"/registrations/{mine.pk}/cancel", **bearer(member, "write"))
    office = send("post", f"/registrations/{theirs.pk}/cancel", **bearer(staff, "write"))
    again = send("post", f"/registrations/{mine.pk}/cancel", **bearer(member, "write"))

    assert (own.json()["status"], office.json()["status"]) == ("cancelled", "cancelled")
    assert office.json()["participant"]["id"] == theirs.user.pk
    assert problem(again, 409)["detail"] == "Diese Anmeldung ist storniert."
