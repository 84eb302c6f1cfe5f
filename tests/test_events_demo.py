"""The events demo: 22 past Deutschlandforen, the open 23rd, smaller formats."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, QuerySet

from innoclub.accounts.models import User
from innoclub.events.models import (
    Attendance,
    Event,
    EventInvitation,
    EventMode,
    EventState,
    FeedbackResponse,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    Speaker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    call_command("seed_demo", "--force", stdout=io.StringIO())


def _forums() -> list[Event]:
    return list(Event.objects.filter(series__slug="deutschlandforum").order_by("number"))


def _row_counts() -> list[int]:
    return [
        Event.objects.count(),
        Session.objects.count(),
        Speaker.objects.count(),
        SessionSpeaker.objects.count(),
        Registration.objects.count(),
        EventInvitation.objects.count(),
        FeedbackResponse.objects.count(),
    ]


def _events_of(rows: QuerySet[Any]) -> set[int]:
    return set(rows.values_list("event_id", flat=True))


def test_the_archive_has_22_closed_forums_with_distinct_leitgedanken_and_programs(
    seeded: None,
) -> None:
    past = [f for f in _forums() if f.number != 23]

    assert [f.number for f in past] == list(range(1, 23))
    assert [f.starts_on.year for f in past] == list(range(2004, 2026))
    assert {f.state for f in past} == {EventState.CLOSED}
    assert len({f.leitgedanke for f in past}) == 22
    assert all(f.ends_on == f.starts_on + datetime.timedelta(days=1) for f in past)
    programs = Event.objects.filter(pk__in=[f.pk for f in past]).annotate(
        talks=Count("sessions", filter=~Q(sessions__kind=SessionKind.BREAK)),
        workshops=Count("sessions", filter=Q(sessions__kind=SessionKind.WORKSHOP)),
    )
    assert all(p["talks"] >= 8 for p in programs.values("talks"))
    assert {p["workshops"] for p in programs.values("workshops")} <= {2, 3, 4}
    assert all(f.topics.exists() for f in past)
    keynotes = Session.objects.filter(event__in=past, kind=SessionKind.KEYNOTE)
    assert len(set(keynotes.values_list("title", flat=True))) == 22


def test_past_forums_have_check_ins_documentation_and_anonymous_feedback(seeded: None) -> None:
    past = Event.objects.filter(series__slug="deutschlandforum", state=EventState.CLOSED)

    on_site = past.exclude(mode=EventMode.ONLINE)
    checked_in = Registration.objects.filter(event__in=past, checked_in_at__isnull=False)
    documented = Session.objects.filter(event__in=past).exclude(summary="").exclude(results="")
    answered = FeedbackResponse.objects.filter(event__in=past)
    assert _events_of(checked_in) == set(on_site.values_list("pk", flat=True))
    assert len(on_site) == 21
    assert len(_events_of(documented)) >= 8
    assert len(_events_of(answered)) >= 5


def test_speakers_come_from_inside_and_outside_the_club(seeded: None) -> None:
    externals = Speaker.objects.filter(user=None)
    members = Speaker.objects.filter(user__role="member")

    assert externals.filter(consent_given_at__isnull=False).exclude(bio="").exists()
    assert externals.filter(consent_given_at=None).exists()
    assert members.count() >= 20
    assert SessionSpeaker.objects.filter(speaker__in=externals).count() >= 22
    assert SessionSpeaker.objects.filter(speaker__in=members).count() >= 100


def test_the_23rd_forum_is_open_with_free_places_and_a_two_day_program(seeded: None) -> None:
    forum = Event.objects.get(series__slug="deutschlandforum", number=23)
    guest = User.objects.get(email="gast@demo.innoclub.de")
    member = User.objects.get(email="mitglied@demo.innoclub.de")
    workshops = forum.sessions.filter(kind=SessionKind.WORKSHOP)

    assert (forum.state, forum.mode, forum.capacity) == (EventState.OPEN, EventMode.HYBRID, 150)
    assert forum.starts_on == datetime.date(2027, 3, 18)
    assert forum.registration_deadline is not None and forum.online_url != ""
    assert 0 < forum.seats_taken < 150
    assert {s.starts_at.date() for s in forum.sessions.all()} == {
        datetime.date(2027, 3, 18),
        datetime.date(2027, 3, 19),
    }
    assert workshops.count() == 7
    assert not workshops.filter(Q(capacity=None) | Q(room="")).exists()
    assert not Registration.objects.filter(event=forum, user=member).exists()
    assert EventInvitation.objects.filter(event=forum, user=guest).exists()
    assert SessionSpeaker.objects.filter(session__event=forum, speaker__user=guest).exists()


def test_places_taken_equal_confirmed_on_site_registrations_everywhere(seeded: None) -> None:
    events = Event.objects.annotate(
        confirmed=Count(
            "registrations",
            filter=Q(
                registrations__status=RegistrationStatus.CONFIRMED,
                registrations__attendance=Attendance.ONSITE,
            ),
        )
    )
    regional = Event.objects.get(slug="regionaltreffen-sued-2027")

    assert [(e.slug, e.seats_taken) for e in events] == [(e.slug, e.confirmed) for e in events]
    assert (regional.state, regional.seats_taken) == (EventState.FULL, regional.capacity)
    assert regional.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 6


def test_smaller_formats_include_an_open_online_werkstattgespraech(seeded: None) -> None:
    werkstatt = Event.objects.filter(series__slug="werkstattgespraech")

    assert set(werkstatt.values_list("mode", flat=True)) == {EventMode.ONLINE}
    assert list(werkstatt.filter(state=EventState.OPEN).values_list("slug", flat=True)) == [
        "werkstattgespraech-8"
    ]
    assert Event.objects.get(slug="regionaltreffen-sued-2025").mode == EventMode.ONSITE


def test_seeding_twice_changes_nothing(seeded: None) -> None:
    before = _row_counts()
    seats = list(Event.objects.order_by("slug").values_list("slug", "seats_taken"))

    call_command("seed_demo", "--force", stdout=io.StringIO())

    assert _row_counts() == before
    assert list(Event.objects.order_by("slug").values_list("slug", "seats_taken")) == seats
