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
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from innoclub.accounts.models import User
from innoclub.events.models import (
    CalendarFeed,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    new_token,
)

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


# --- The personal feed under a secret address ---------------------------------


def calendar_feed_ensure(*, user: User) -> CalendarFeed:
    """The person's feed, created with a fresh token on first use.

    Side effects: inserts one CalendarFeed the first time.
    """
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Give the person's feed a new token; the old address answers 404 at once.

    Locks: the feed row. Side effects: updates (or inserts) one CalendarFeed.
    """
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user)
    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed


def calendar_feed_owner(*, token: str) -> User:
    """The active owner of a feed token; 404 for an unknown, revoked or disabled one."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


def personal_ics(user: User) -> str:
    """The sessions the person marked, their allocated workshops and an all-day entry
    per event they are registered for.

    Cancelled registrations drop out with their marked sessions. No stream link:
    a calendar is copied to other devices and services.
    """
    registrations = Registration.objects.filter(user=user).exclude(
        status=RegistrationStatus.CANCELLED
    )
    events = Event.objects.filter(pk__in=registrations.values("event_id")).order_by("starts_on")
    # Marked sessions, and workshop seats once the allocation is published.
    chosen = Q(agenda_items__user=user) | Q(
        workshop_placements__registration__user=user,
        event__workshop_allocation__published_at__isnull=False,
    )
    sessions = (
        Session.objects.filter(chosen, event_id__in=registrations.values("event_id"))
        .distinct()
        .select_related("event")
        .order_by("starts_at", "id")
    )
    entries = [event_vevent(event) for event in events]
    entries += [session_vevent(session) for session in sessions]
    return render(gettext("My forums – innoclub"), entries)
