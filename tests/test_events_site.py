"""The forums on the start page and on topic pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.events.models import EventState
from tests.factories import EventFactory, EventSeriesFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_start_page_features_the_next_deutschlandforum_before_smaller_formats(anon_client):
    today = timezone.localdate()
    EventFactory(
        title="8. Werkstattgespräch Glasfaser",
        series=EventSeriesFactory(name="Werkstattgespräch", slug="werkstattgespraech"),
        number=8,
        starts_on=today + datetime.timedelta(days=5),
    )
    EventFactory(title="Regionaltreffen Süd", starts_on=today + datetime.timedelta(days=3))
    EventFactory(
        title="23. Deutschlandforum",
        series=EventSeriesFactory(),
        number=23,
        leitgedanke="Kommune als Plattform",
        starts_on=today + datetime.timedelta(days=90),
    )
    EventFactory(
        title="22. Deutschlandforum",
        series=EventSeriesFactory(),
        number=22,
        starts_on=today - datetime.timedelta(days=200),
        state=EventState.CLOSED,
    )

    page = anon_client.get("/").content.decode()

    assert "23. Deutschlandforum" in page
    assert "Kommune als Plattform" in page
    assert "22. Deutschlandforum" not in page
    assert "Werkstattgespräch Glasfaser" not in page
    assert "Regionaltreffen Süd" not in page


def test_start_page_keeps_forums_in_planning_and_members_only_forums_to_itself(
    anon_client, member_client
):
    EventFactory(title="Forum in Planung", state=EventState.PLANNING)
    EventFactory(title="Mitgliedertreffen", visibility=Visibility.MEMBERS)

    anonymous_page = anon_client.get("/").content.decode()
    member_page = member_client.get("/").content.decode()

    assert "Forum in Planung" not in anonymous_page + member_page
    assert "Mitgliedertreffen" not in anonymous_page
    assert "Mitgliedertreffen" in member_page


def test_topic_page_lists_forums_whose_event_or_sessions_carry_the_topic(anon_client):
    topic = TopicFactory(slug="mobilitaet", name="Mobilität")
    EventFactory(title="Forum Verkehrswende").topics.add(topic)
    SessionFactory(event=EventFactory(title="Forum mit Mobilitäts-Workshop")).topics.add(topic)
    EventFactory(title="Forum ohne Bezug")
    EventFactory(title="Internes Forum", visibility=Visibility.STAFF).topics.add(topic)

    page = anon_client.get("/themen/mobilitaet/").content.decode()

    assert "Forum Verkehrswende" in page
    assert "Forum mit Mobilitäts-Workshop" in page
    assert "Forum ohne Bezug" not in page
    assert "Internes Forum" not in page


def test_account_page_lists_upcoming_registrations_but_not_cancelled_or_past_ones(member):
    from innoclub.events.models import RegistrationStatus
    from tests.conftest import login_client
    from tests.factories import RegistrationFactory

    today = timezone.localdate()
    RegistrationFactory(user=member, event=EventFactory(title="Forum Zukunft"))
    RegistrationFactory(
        user=member,
        event=EventFactory(title="Forum Abgesagt"),
        status=RegistrationStatus.CANCELLED,
    )
    RegistrationFactory(
        user=member,
        event=EventFactory(
            title="Forum Vergangen",
            starts_on=today - datetime.timedelta(days=40),
            state=EventState.CLOSED,
        ),
    )

    page = login_client(member).get("/konto/").content.decode()

    assert "Forum Zukunft" in page
    assert "Forum Abgesagt" not in page
    assert "Forum Vergangen" not in page
