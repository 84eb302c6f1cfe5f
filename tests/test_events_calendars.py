"""Calendars: the program as .ics, the personal feed under a secret address, revoking it."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from innoclub.core.access import Visibility
from innoclub.events import services
from innoclub.events.models import AgendaItem, CalendarFeed, RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list[icalendar.cal.Component]:
    return list(calendar.walk("VEVENT"))


def test_program_calendar_has_uid_dtstamp_sequence_and_berlin_time_zone(anon_client):
    event = EventFactory(slug="forum-23", online_url="https://stream.example.org/geheim")
    session = SessionFactory(event=event, title="Keynote: Mut zur Lücke")

    response = anon_client.get("/foren/forum-23/programm.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="forum-23.ics"'
    calendar = parse(response)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (entry,) = vevents(calendar)
    assert str(entry["UID"]) == f"session-{session.pk}@127.0.0.1"
    assert entry["SUMMARY"] == "Keynote: Mut zur Lücke"
    assert entry["SEQUENCE"] == 0
    assert entry["DTSTAMP"].dt.tzinfo is not None
    assert entry["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert entry["DTSTART"].dt.hour == 10
    assert entry["DTEND"].dt - entry["DTSTART"].dt == datetime.timedelta(hours=1)


def test_program_calendar_never_contains_the_stream_link(anon_client):
    event = EventFactory(slug="hybrid", online_url="https://stream.example.org/geheim")
    SessionFactory(event=event)

    response = anon_client.get("/foren/hybrid/programm.ics")

    assert b"stream.example.org" not in response.content


def test_sequence_rises_when_the_office_moves_a_session(anon_client):
    session = SessionFactory(event=EventFactory(slug="forum"))
    session.starts_at += datetime.timedelta(hours=2)
    session.ends_at += datetime.timedelta(hours=2)
    services.session_save(session=session, changed=["starts_at", "ends_at"])

    (entry,) = vevents(parse(anon_client.get("/foren/forum/programm.ics")))

    assert entry["SEQUENCE"] == 1
    assert entry["DTSTART"].dt.hour == 12


def test_program_calendar_of_a_hidden_event_answers_404(anon_client, member_client):
    EventFactory(slug="intern", visibility=Visibility.STAFF)

    assert anon_client.get("/foren/intern/programm.ics").status_code == 404
    assert member_client.get("/foren/intern/programm.ics").status_code == 404


def test_program_calendar_query_budget(anon_client, django_assert_num_queries):
    event = EventFactory(slug="forum")
    SessionFactory(event=event)
    with django_assert_num_queries(2):
        anon_client.get("/foren/forum/programm.ics")
    for _ in range(5):
        SessionFactory(event=event)
    with django_assert_num_queries(2):
        anon_client.get("/foren/forum/programm.ics")


def test_personal_feed_has_marked_sessions_and_registered_events(member, anon_client):
    event = EventFactory(title="23. Deutschlandforum", slug="df-23")
    marked = SessionFactory(event=event, title="Workshop Wärmeplanung")
    SessionFactory(event=event, title="Nicht markiert")
    RegistrationFactory(event=event, user=member)
    AgendaItem.objects.create(user=member, session=marked)
    cancelled_event = EventFactory(title="Abgesagt")
    RegistrationFactory(event=cancelled_event, user=member, status=RegistrationStatus.CANCELLED)
    feed = CalendarFeed.objects.create(user=member)

    response = anon_client.get(f"/foren/kalender/{feed.token}.ics")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entries = vevents(parse(response))
    assert [str(entry["SUMMARY"]) for entry in entries] == [
        "23. Deutschlandforum",
        "Workshop Wärmeplanung",
    ]
    assert entries[0]["DTSTART"].dt == event.starts_on
    assert entries[0]["DTEND"].dt == event.ends_on + datetime.timedelta(days=1)
    assert str(entries[0]["UID"]) == f"event-{event.pk}@127.0.0.1"


def test_marked_sessions_drop_out_when_the_registration_is_cancelled(member, anon_client):
    event = EventFactory()
    session = SessionFactory(event=event)
    registration = RegistrationFactory(event=event, user=member)
    AgendaItem.objects.create(user=member, session=session)
    services.registration_cancel(registration=registration)
    feed = CalendarFeed.objects.create(user=member)

    calendar = parse(anon_client.get(f"/foren/kalender/{feed.token}.ics"))

    assert vevents(calendar) == []


def test_wrong_token_answers_404(anon_client, member):
    CalendarFeed.objects.create(user=member)

    assert anon_client.get("/foren/kalender/falsch.ics").status_code == 404


def test_calendar_page_shows_the_secret_address_created_on_first_use(member, member_client):
    assert CalendarFeed.objects.filter(user=member).count() == 0

    response = member_client.get("/foren/kalender/")

    feed = CalendarFeed.objects.get(user=member)
    assert response.status_code == 200
    assert f"http://127.0.0.1:8000/foren/kalender/{feed.token}.ics" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    member_client.get("/foren/kalender/")
    assert CalendarFeed.objects.get(user=member).token == feed.token


def test_revoking_gives_a_new_address_and_the_old_one_answers_404(
    member, member_client, anon_client
):
    old = CalendarFeed.objects.create(user=member).token

    response = member_client.post("/foren/kalender/", follow=True)

    new = CalendarFeed.objects.get(user=member).token
    assert new != old
    assert anon_client.get(f"/foren/kalender/{old}.ics").status_code == 404
    assert anon_client.get(f"/foren/kalender/{new}.ics").status_code == 200
    assert [message.level_tag for message in response.context["messages"]] == ["success"]


def test_feed_of_a_deactivated_account_answers_404(member, anon_client):
    feed = CalendarFeed.objects.create(user=member)
    member.is_active = False
    member.save()

    assert anon_client.get(f"/foren/kalender/{feed.token}.ics").status_code == 404


def test_calendar_page_sends_anonymous_visitors_to_the_login(anon_client):
    response = anon_client.get("/foren/kalender/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
