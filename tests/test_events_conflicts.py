"""Planning conflicts the office sees: speakers and rooms twice, sessions outside the days."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innoclub.events import conflicts
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def session(event, start: int, end: int, *, day: int = 0, **kwargs):
    date = event.starts_on + datetime.timedelta(days=day)
    return SessionFactory(event=event, starts_at=at(date, start), ends_at=at(date, end), **kwargs)


def kinds(found: list[conflicts.Conflict]) -> list[tuple[str, tuple[int, ...]]]:
    return sorted((c.kind, c.session_ids) for c in found)


def test_speaker_in_two_overlapping_sessions_is_a_conflict():
    event = EventFactory()
    first = session(event, 10, 11, room="Saal A")
    second = session(event, 10, 12, room="Saal B")
    speaker = SpeakerFactory(name="Dr. Petra Sommer")
    SessionSpeakerFactory(session=first, speaker=speaker)
    SessionSpeakerFactory(session=second, speaker=speaker)
    found = conflicts.event_conflicts(event)
    assert kinds(found) == [("speaker", (first.pk, second.pk))]
    assert "Dr. Petra Sommer" in found[0].message


def test_speaker_in_sessions_one_after_the_other_is_fine():
    event = EventFactory()
    speaker = SpeakerFactory()
    SessionSpeakerFactory(session=session(event, 10, 11, room="A"), speaker=speaker)
    SessionSpeakerFactory(session=session(event, 11, 12, room="B"), speaker=speaker)
    assert conflicts.event_conflicts(event) == []


def test_speaker_booked_at_the_same_time_by_another_event_is_a_conflict():
    event = EventFactory(title="Regionaltreffen Süd")
    other = EventFactory(starts_on=event.starts_on, ends_on=event.ends_on, title="Werkstatt Nord")
    speaker = SpeakerFactory()
    here = session(event, 10, 11)
    there = session(other, 10, 11)
    SessionSpeakerFactory(session=here, speaker=speaker)
    SessionSpeakerFactory(session=there, speaker=speaker)
    found = conflicts.event_conflicts(event)
    assert kinds(found) == [("speaker", tuple(sorted((here.pk, there.pk))))]
    assert "Werkstatt Nord" in found[0].message


def test_room_booked_twice_is_a_conflict_ignoring_case_and_spaces():
    event = EventFactory()
    first = session(event, 10, 12, room="Saal A")
    second = session(event, 11, 13, room=" saal a")
    session(event, 13, 14, room="Saal A")  # starts when the second ends
    found = conflicts.event_conflicts(event)
    assert kinds(found) == [("room", (first.pk, second.pk))]
    assert "Saal A" in found[0].message


def test_breaks_without_a_room_never_clash():
    event = EventFactory()
    session(event, 12, 13, room="", kind="break")
    session(event, 12, 13, room="", kind="break")
    session(event, 12, 13, room="", kind="talk")
    assert conflicts.event_conflicts(event) == []


def test_same_room_in_different_events_is_fine():
    event = EventFactory()
    other = EventFactory(starts_on=event.starts_on, ends_on=event.ends_on)
    session(event, 10, 11, room="Saal A")
    session(other, 10, 11, room="Saal A")
    assert conflicts.event_conflicts(event) == []


def test_session_outside_the_days_of_the_event_is_a_conflict():
    event = EventFactory()  # two days
    before = session(event, 10, 11, day=-1)
    after = session(event, 10, 11, day=2)
    session(event, 22, 23, day=1)
    found = conflicts.event_conflicts(event)
    assert kinds(found) == sorted([("dates", (before.pk,)), ("dates", (after.pk,))])


def test_dates_are_compared_in_berlin_time():
    event = EventFactory()
    # 23:30 UTC on the day before is 00:30 or 01:30 in Berlin: inside the event.
    day_before = event.starts_on - datetime.timedelta(days=1)
    starts = datetime.datetime.combine(day_before, datetime.time(23, 30), tzinfo=datetime.UTC)
    SessionFactory(event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    # Ending exactly at midnight on the last day still belongs to that day.
    session_end = datetime.datetime.combine(
        event.ends_on + datetime.timedelta(days=1),
        datetime.time(0, 0),
        tzinfo=timezone.get_default_timezone(),
    )
    SessionFactory(
        event=event, starts_at=session_end - datetime.timedelta(hours=2), ends_at=session_end
    )
    assert conflicts.event_conflicts(event) == []


def test_session_conflicts_name_only_the_sessions_concerned():
    event = EventFactory()
    first = session(event, 10, 12, room="Saal A")
    second = session(event, 11, 13, room="Saal A")
    calm = session(event, 10, 11, room="Saal B")
    assert [c.kind for c in conflicts.session_conflicts(first)] == ["room"]
    assert [c.kind for c in conflicts.session_conflicts(second)] == ["room"]
    assert conflicts.session_conflicts(calm) == []
    assert set(conflicts.conflicts_by_session(conflicts.event_conflicts(event))) == {
        first.pk,
        second.pk,
    }
