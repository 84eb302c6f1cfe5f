"""The events app's e-mails: what they say, to whom, and the reminder that comes only once."""

from __future__ import annotations

import datetime
from io import StringIO

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from innoclub.events import services
from innoclub.events.models import Attendance, EventMode, Registration, RegistrationStatus
from innoclub.events.reminders import reminders_send
from tests.factories import EventFactory, MemberFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def html_of(message) -> str:
    return str(message.alternatives[0][0])


def test_confirmation_carries_the_program_as_a_calendar_and_the_venue(member):
    event = EventFactory(title="23. Deutschlandforum", venue_address="Am Markt 1, 69117 Heidelberg")
    SessionFactory(event=event, title="Eröffnung")
    SessionFactory(event=event, title="Werkstatt Wärmeplanung")

    services.registration_create(event=event, user=member, attendance=Attendance.ONSITE)

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "23. Deutschlandforum" in message.subject
    assert "Am Markt 1, 69117 Heidelberg" in str(message.body)
    assert "Am Markt 1, 69117 Heidelberg" in html_of(message)
    assert f"/foren/{event.slug}/anmeldung/" in str(message.body)
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"{event.slug}.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert sorted(str(entry["summary"]) for entry in calendar.walk("VEVENT")) == [
        "Eröffnung",
        "Werkstatt Wärmeplanung",
    ]


def test_online_participants_get_the_stream_link_and_no_address(member):
    event = EventFactory(
        mode=EventMode.HYBRID,
        online_url="https://konferenz.example.org/forum-23",
        venue_address="Am Markt 1, 69117 Heidelberg",
    )

    services.registration_create(event=event, user=member, attendance=Attendance.ONLINE)

    (message,) = mail.outbox
    assert "https://konferenz.example.org/forum-23" in str(message.body)
    assert 'href="https://konferenz.example.org/forum-23"' in html_of(message)
    assert "Am Markt 1" not in str(message.body)


def test_on_site_participants_do_not_get_the_stream_link(member):
    event = EventFactory(mode=EventMode.HYBRID, online_url="https://konferenz.example.org/x")

    services.registration_create(event=event, user=member, attendance=Attendance.ONSITE)

    (message,) = mail.outbox
    assert "konferenz.example.org" not in str(message.body)
    assert "konferenz.example.org" not in html_of(message)


def test_waitlist_email_names_the_position(member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    Registration.objects.create(
        event=event,
        user=MemberFactory(),
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    services.registration_create(event=event, user=member, attendance=Attendance.ONSITE)

    (message,) = mail.outbox
    assert message.attachments == []
    with translation.override(member.language):
        position = gettext("You are on the waitlist, place %(position)s.") % {"position": 2}
    assert position in str(message.body)
    assert f"<strong>{position}</strong>" in html_of(message)


def test_promotion_email_confirms_the_place_with_the_calendar(member):
    event = EventFactory(capacity=1)
    taken = RegistrationFactory(event=event)
    Registration.objects.create(
        event=event, user=member, status=RegistrationStatus.WAITLISTED, queued_at=timezone.now()
    )

    services.registration_cancel(registration=taken)

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert event.title in message.subject
    assert f"/foren/{event.slug}/anmeldung/stornieren/" in str(message.body)
    assert len(message.attachments) == 1


def test_invitation_links_to_the_event_and_the_registration(member, staff, settings):
    event = EventFactory(leitgedanke="Mut zur Lücke")

    services.invitations_create(event=event, users=[member], invited_by=staff)

    (message,) = mail.outbox
    assert message.to == [member.email]
    body = str(message.body)
    assert f"/foren/{event.slug}/\n" in body
    assert f"/foren/{event.slug}/anmeldung/" in body
    assert "Mut zur Lücke" in body
    assert f'href="{settings.SITE_URL}/foren/{event.slug}/anmeldung/"' in html_of(message)


def test_session_change_reaches_those_who_marked_it(member):
    registration = RegistrationFactory(user=member)
    session = SessionFactory(event=registration.event, title="Werkstatt Rufbus")
    services.agenda_toggle(user=member, session=session)
    SessionFactory(event=registration.event)

    session.room = "Saal B"
    services.session_save(session=session, changed=["room"])

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Werkstatt Rufbus" in message.subject
    assert "Saal B" in str(message.body)
    assert f"/foren/{session.event.slug}/programm/{session.slug}/" in str(message.body)


# --- Reminders ----------------------------------------------------------------------


def test_reminder_goes_once_to_confirmed_participants_of_events_starting_soon(settings):
    settings.INNOCLUB_EVENT_REMINDER_DAYS = 3
    soon = EventFactory(starts_on=timezone.localdate() + datetime.timedelta(days=2))
    later = EventFactory(starts_on=timezone.localdate() + datetime.timedelta(days=10))
    past = EventFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate(),
    )
    confirmed = RegistrationFactory(event=soon, user=MemberFactory(email="dabei@example.org"))
    Registration.objects.create(
        event=soon,
        user=MemberFactory(),
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now(),
    )
    RegistrationFactory(event=soon, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=later)
    RegistrationFactory(event=past)

    first, second = StringIO(), StringIO()
    call_command("send_event_reminders", stdout=first)
    call_command("send_event_reminders", stdout=second)

    assert [message.to for message in mail.outbox] == [["dabei@example.org"]]
    assert first.getvalue().startswith("1 ")
    assert second.getvalue().startswith("0 ")
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None
    assert soon.title in mail.outbox[0].subject
    assert f"/foren/{soon.slug}/" in str(mail.outbox[0].body)


def test_the_reminder_window_follows_the_setting(settings):
    settings.INNOCLUB_EVENT_REMINDER_DAYS = 14
    event = EventFactory(starts_on=timezone.localdate() + datetime.timedelta(days=10))
    RegistrationFactory(event=event)

    assert reminders_send() == 1
    assert reminders_send() == 0


def test_online_reminder_has_the_stream_link():
    event = EventFactory(
        mode=EventMode.ONLINE,
        capacity=None,
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
        online_url="https://konferenz.example.org/werkstatt",
    )
    RegistrationFactory(event=event, attendance=Attendance.ONLINE)

    reminders_send()

    (message,) = mail.outbox
    assert "https://konferenz.example.org/werkstatt" in str(message.body)
