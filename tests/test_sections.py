"""Sections cached until their data changes (innoclub/core/sections.py)."""

from __future__ import annotations

import pytest
from django.db import transaction

from innoclub.core import sections
from innoclub.core.access import Visibility
from innoclub.core.models import DataVersion
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db


def counting(value: str) -> tuple[list[str], object]:
    calls: list[str] = []

    def compute() -> str:
        calls.append(value)
        return value

    return calls, compute


def test_a_section_is_computed_once_per_key():
    calls, compute = counting("figures")

    first = sections.cached("pilots", ("anon",), compute)
    second = sections.cached("pilots", ("anon",), compute)
    other_audience = sections.cached("pilots", ("members",), compute)

    assert first == second == other_audience == "figures"
    assert calls == ["figures", "figures"]  # once for each audience


def test_a_change_of_watched_data_is_seen_at_once_in_this_process():
    calls, compute = counting("figures")
    sections.cached("pilots", ("anon",), compute)

    AdoptionFactory()  # in the test's transaction, never committed
    sections.cached("pilots", ("anon",), compute)

    assert len(calls) == 2


def test_a_change_committed_by_another_worker_is_seen_through_the_database():
    calls, compute = counting("figures")
    sections.cached("pilots", ("anon",), compute)

    # What _raise_stored does in the worker that made the change, after its commit.
    DataVersion.objects.create(name="pilots", version=7)
    sections.cached("pilots", ("anon",), compute)
    sections.cached("pilots", ("anon",), compute)

    assert len(calls) == 2


def test_the_stored_version_rises_after_the_commit(django_capture_on_commit_callbacks):
    DataVersion.objects.create(name="pilots", version=4)
    with django_capture_on_commit_callbacks() as callbacks:
        MunicipalityFactory()
    assert DataVersion.objects.get(name="pilots").version == 4  # not before the commit

    for callback in callbacks:  # what the commit does
        callback()

    assert DataVersion.objects.get(name="pilots").version == 5


def test_a_transaction_saving_many_rows_raises_the_stored_version_once(
    django_capture_on_commit_callbacks,
):
    DataVersion.objects.create(name="pilots", version=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        PilotFactory.create_batch(3)  # pilots, their places and topics: many saves

    # Once each: the sections that show pilots, people, places or topics (the
    # idea cards name places and topics too), and the search index.
    assert sorted(callback.args[0] for callback in callbacks) == [
        "ideas",
        "people",
        "pilots",
        "search",
    ]
    assert DataVersion.objects.get(name="pilots").version == 2
    assert DataVersion.objects.get(name="search").version == 1


def test_a_change_after_a_rolled_back_savepoint_still_raises_the_version(
    django_capture_on_commit_callbacks,
):
    DataVersion.objects.create(name="pilots", version=1)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                PilotFactory()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        MunicipalityFactory()

    assert DataVersion.objects.get(name="pilots").version == 2


def test_unwatched_data_leaves_sections_alone():
    calls, compute = counting("figures")
    sections.cached("news", ("anon",), compute)

    PilotFactory()
    sections.cached("news", ("anon",), compute)

    assert calls == ["figures"]


def test_the_transfer_overview_shows_a_new_adoption_at_once(anon_client):
    pilot = PilotFactory(title="Offenes Rathaus")
    AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(name="Alsfeld"))
    before = anon_client.get("/transfer/").content.decode()

    AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(name="Lauterbach"))
    after = anon_client.get("/transfer/").content.decode()

    assert "Lauterbach" not in before
    assert "Lauterbach" in after


def test_cached_figures_never_cross_audiences(anon_client, member_client):
    hidden = PilotFactory(title="Internes Projekt", visibility=Visibility.MEMBERS)
    AdoptionFactory(pilot=hidden, municipality=MunicipalityFactory(name="Geheimstadt"))

    anonymous_first = anon_client.get("/transfer/").content.decode()
    member = member_client.get("/transfer/").content.decode()
    anonymous_again = anon_client.get("/transfer/").content.decode()
    start_page_member = member_client.get("/").content.decode()
    start_page_anonymous = anon_client.get("/").content.decode()

    assert "Geheimstadt" in member
    assert "Geheimstadt" not in anonymous_first
    assert "Geheimstadt" not in anonymous_again
    assert "Internes Projekt" in start_page_member
    assert "Internes Projekt" not in start_page_anonymous


def test_a_pilot_made_members_only_leaves_the_public_figures_at_once(anon_client):
    pilot = PilotFactory(title="Bald intern")
    AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(name="Alsfeld"))
    assert "Bald intern" in anon_client.get("/").content.decode()

    pilot.visibility = Visibility.MEMBERS
    pilot.save()

    assert "Bald intern" not in anon_client.get("/").content.decode()
    assert "Alsfeld" not in anon_client.get("/transfer/").content.decode()


def test_a_forum_program_shows_a_new_session_and_a_renamed_speaker_at_once(anon_client):
    event = EventFactory()
    appearance = SessionSpeakerFactory(
        session=SessionFactory(event=event, title="Vortrag: Digitale Akte"),
        speaker=SpeakerFactory(name="Dr. Petra Sommer"),
    )
    first = anon_client.get(f"/foren/{event.slug}/").content.decode()

    SessionFactory(event=event, title="Werkstatt: Wärmeplanung", slug="waermeplanung")
    appearance.speaker.name = "Prof. Dr. Petra Sommer"
    appearance.speaker.save()
    second = anon_client.get(f"/foren/{event.slug}/").content.decode()

    assert "Vortrag: Digitale Akte" in first
    assert "Werkstatt: Wärmeplanung" not in first
    assert "Werkstatt: Wärmeplanung" in second
    assert "Prof. Dr. Petra Sommer" in second


def test_a_forum_program_is_rendered_once_for_everyone_but_participants(
    anon_client, member_client, member, django_assert_num_queries
):
    event = EventFactory()
    SessionFactory.create_batch(3, event=event)
    anon_client.get(f"/foren/{event.slug}/")

    # the event, its topics, the version of the cached program
    with django_assert_num_queries(3):
        anon_client.get(f"/foren/{event.slug}/")
    RegistrationFactory(event=event, user=member)
    participant = member_client.get(f"/foren/{event.slug}/").content.decode()

    assert participant.count(">In meine Agenda<") == 3  # their own buttons, not the cache
