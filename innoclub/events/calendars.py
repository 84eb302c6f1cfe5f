"""RFC 5545 calendars built with the icalendar package.

Times are written in Europe/Berlin with a VTIMEZONE. Every session is one
VEVENT whose UID never changes and whose SEQUENCE is the session's revision,
so calendar programs replace an entry when the office moves a session.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse

from innoclub.events.models import Event, Session

BERLIN = ZoneInfo("Europe/Berlin")


def _uid(kind: str, pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "innoclub"
    return f"{kind}-{pk}@{host}"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//innoclub//Programm//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    return calendar


def _location(session: Session) -> str:
    event = session.event
    parts = [session.room, event.venue_name, event.venue_address or event.city]
    return ", ".join(part for part in parts if part)


def session_vevent(session: Session) -> icalendar.Event:
    """One session as a VEVENT. ``session.event`` should be fetched with it."""
    entry = icalendar.Event()
    entry.add("uid", _uid("session", session.pk))
    entry.add("dtstamp", session.updated_at)
    entry.add("sequence", session.sequence)
    entry.add("summary", session.title)
    entry.add("dtstart", session.starts_at.astimezone(BERLIN))
    entry.add("dtend", session.ends_at.astimezone(BERLIN))
    location = _location(session)
    if location:
        entry.add("location", location)
    if session.description:
        entry.add("description", session.description)
    entry.add(
        "url",
        settings.SITE_URL + reverse("events:session", args=[session.event.slug, session.slug]),
    )
    return entry


def event_vevent(event: Event) -> icalendar.Event:
    """The whole event as an all-day entry, for a personal feed."""
    entry = icalendar.Event()
    entry.add("uid", _uid("event", event.pk))
    entry.add("dtstamp", event.updated_at)
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_on)
    entry.add("dtend", event.ends_on + datetime.timedelta(days=1))
    location = ", ".join(part for part in (event.venue_name, event.city) if part)
    if location:
        entry.add("location", location)
    entry.add("url", settings.SITE_URL + reverse("events:detail", args=[event.slug]))
    return entry


def render(name: str, entries: Iterable[icalendar.Event]) -> str:
    calendar = _calendar(name)
    for entry in entries:
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def program_ics(event: Event) -> str:
    """The event's whole program as an iCalendar text."""
    sessions = event.sessions.select_related("event").order_by("starts_at", "id")
    return render(event.title, (session_vevent(session) for session in sessions))
