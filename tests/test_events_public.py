"""The forum pages as the public, guests, members, participants and the office see them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.events.models import EventInvitation, EventState, Registration, RegistrationStatus
from tests.conftest import login_client
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    GuestFactory,
    MemberFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    StaffFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ONLINE_URL = "https://meet.example.org/geheimer-raum"


def past_event(years_ago: int, **kwargs):
    starts = timezone.localdate() - datetime.timedelta(days=365 * years_ago)
    return EventFactory(
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=1),
        state=EventState.CLOSED,
        **kwargs,
    )


# --- Access matrix -----------------------------------------------------------


def clients_by_persona(event):
    participant = MemberFactory()
    RegistrationFactory(event=event, user=participant)
    invited_guest = GuestFactory()
    EventInvitation.objects.create(event=event, user=invited_guest)
    return {
        "anonymous": Client(),
        "guest": login_client(GuestFactory()),
        "invited guest": login_client(invited_guest),
        "member": login_client(MemberFactory()),
        "participant": login_client(participant),
        "staff": login_client(StaffFactory()),
    }


SEES = {
    Visibility.PUBLIC: {"anonymous", "guest", "invited guest", "member", "participant", "staff"},
    Visibility.MEMBERS: {"invited guest", "member", "participant", "staff"},
    Visibility.PARTICIPANTS: {"invited guest", "participant", "staff"},
    Visibility.STAFF: {"staff"},
}


@pytest.mark.parametrize("visibility", list(SEES))
def test_who_sees_a_forum_its_sessions_and_speakers(visibility):
    event = EventFactory(visibility=visibility)
    session = SessionFactory(event=event)
    speaker = SessionSpeakerFactory(session=session).speaker
    pages = [
        f"/foren/{event.slug}/",
        f"/foren/{event.slug}/programm/{session.slug}/",
        f"/foren/referierende/{speaker.slug}/",
    ]
    for persona, client in clients_by_persona(event).items():
        listed = event.title in client.get("/foren/").content.decode()
        statuses = [client.get(page).status_code for page in pages]
        if persona in SEES[visibility]:
            assert (persona, listed, statuses) == (persona, True, [200, 200, 200])
        else:
            assert (persona, listed, statuses) == (persona, False, [404, 404, 404])


def test_unknown_forum_session_and_speaker_answer_404(anon_client):
    event = EventFactory()
    assert anon_client.get("/foren/gibt-es-nicht/").status_code == 404
    assert anon_client.get(f"/foren/{event.slug}/programm/gibt-es-nicht/").status_code == 404
    assert anon_client.get("/foren/referierende/niemand/").status_code == 404


def test_session_of_another_forum_is_not_found_under_this_one(anon_client):
    session = SessionFactory()
    other = EventFactory()
    assert anon_client.get(f"/foren/{other.slug}/programm/{session.slug}/").status_code == 404


# --- The stream link ---------------------------------------------------------


def test_stream_link_is_only_in_the_html_for_participants_and_staff(staff):
    event = EventFactory(mode="hybrid", online_url=ONLINE_URL)
    participant = MemberFactory()
    RegistrationFactory(event=event, user=participant)
    waiting = MemberFactory()
    cancelled = MemberFactory()
    Registration.objects.create(
        event=event, user=cancelled, status=RegistrationStatus.CANCELLED, queued_at=timezone.now()
    )
    Registration.objects.create(
        event=event, user=waiting, status=RegistrationStatus.WAITLISTED, queued_at=timezone.now()
    )
    found = {
        name: ONLINE_URL in client.get(f"/foren/{event.slug}/").content.decode()
        for name, client in {
            "anonymous": Client(),
            "member": login_client(MemberFactory()),
            "cancelled": login_client(cancelled),
            "participant": login_client(participant),
            "waitlisted": login_client(waiting),
            "staff": login_client(staff),
        }.items()
    }
    assert found == {
        "anonymous": False,
        "member": False,
        "cancelled": False,
        "participant": True,
        "waitlisted": True,
        "staff": True,
    }


# --- List and archive --------------------------------------------------------


def test_upcoming_forum_comes_first_with_its_call_to_register(anon_client):
    series = EventSeriesFactory()
    past_event(2, title="Forum von früher", series=series, number=21)
    EventFactory(title="Das nächste Forum", series=series, number=23, state=EventState.OPEN)
    html = anon_client.get("/foren/").content.decode()
    assert html.index("Das nächste Forum") < html.index("Forum von früher")
    assert "23. Deutschlandforum" in html
    assert "#anmeldung" in html


def test_archive_filters_by_year_and_topic(anon_client):
    heat = TopicFactory(name="Wärmeplanung", slug="waerme")
    old = past_event(3, title="Forum Alpha")
    old.topics.add(heat)
    past_event(3, title="Forum Beta")
    newer = past_event(1, title="Forum Gamma")
    newer.topics.add(heat)

    by_year = anon_client.get("/foren/", {"jahr": old.starts_on.year}).content.decode()
    by_topic = anon_client.get("/foren/", {"thema": "waerme"}).content.decode()
    both = anon_client.get("/foren/", {"thema": "waerme", "jahr": newer.starts_on.year})
    titles = ["Forum Alpha", "Forum Beta", "Forum Gamma"]
    assert [t in by_year for t in titles] == [
        True,
        True,
        newer.starts_on.year == old.starts_on.year,
    ]
    assert [t in by_topic for t in titles] == [True, False, True]
    assert [t in both.content.decode() for t in titles] == [False, False, True]


def test_invalid_filters_are_ignored(anon_client):
    past_event(2, title="Forum Alpha")
    for query in ({"jahr": "zwanzig"}, {"jahr": "1200"}, {"thema": "<script>"}, {"jahr": "-1"}):
        response = anon_client.get("/foren/", query)
        assert (response.status_code, "Forum Alpha" in response.content.decode()) == (200, True)


def test_hidden_topic_does_not_appear_in_the_filter(anon_client):
    secret = TopicFactory(name="Geheimes Thema", slug="geheim")
    past_event(2, visibility=Visibility.MEMBERS).topics.add(secret)
    assert "Geheimes Thema" not in anon_client.get("/foren/").content.decode()


# --- Forum, session and speaker pages ---------------------------------------------


def test_forum_page_shows_numbering_theme_and_program_by_day(anon_client):
    event = EventFactory(
        series=EventSeriesFactory(),
        number=23,
        leitgedanke="Mut zur Lücke",
        description="**Zwei** Tage.",
    )
    SessionFactory(event=event, title="Eröffnung am ersten Tag")
    workshop = SessionFactory(event=event, title="Workshop A", kind="workshop", room="Raum 1")
    SessionFactory(
        event=event,
        title="Workshop B",
        kind="workshop",
        room="Raum 2",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
    )
    html = anon_client.get(f"/foren/{event.slug}/").content.decode()
    assert "23. Deutschlandforum" in html
    assert "Mut zur Lücke" in html
    assert "<strong>Zwei</strong>" in html
    assert f'href="/foren/{event.slug}/programm/{workshop.slug}/"' in html


def test_session_page_lists_speakers_and_moderators_with_links(anon_client):
    session = SessionFactory(kind="workshop", capacity=25, description="Wir *arbeiten*.")
    speaker = SessionSpeakerFactory(session=session, speaker__name="Dr. Petra Sommer").speaker
    moderator = SessionSpeakerFactory(
        session=session, speaker__name="Jonas Keller", role="moderator"
    ).speaker
    html = anon_client.get(f"/foren/{session.event.slug}/programm/{session.slug}/").content.decode()
    assert f'href="/foren/referierende/{speaker.slug}/"' in html
    assert f'href="/foren/referierende/{moderator.slug}/"' in html
    assert "<em>arbeiten</em>" in html
    assert "25" in html


def test_speaker_bio_and_photo_only_after_consent(anon_client):
    session = SessionFactory()
    agreed = SessionSpeakerFactory(session=session, speaker__bio="Forscht seit Jahren.").speaker
    silent = SessionSpeakerFactory(
        session=session, speaker__bio="Privates Detail.", speaker__consent_given_at=None
    ).speaker
    assert (
        "Forscht seit Jahren."
        in anon_client.get(f"/foren/referierende/{agreed.slug}/").content.decode()
    )
    html = anon_client.get(f"/foren/referierende/{silent.slug}/").content.decode()
    assert ("Privates Detail." in html, silent.name in html) == (False, True)
    assert anon_client.get(f"/foren/referierende/{silent.slug}/foto/").status_code == 404


def test_speaker_page_lists_only_visible_sessions_newest_first(anon_client):
    speaker = SpeakerFactory()
    old = SessionFactory(event=past_event(3), title="Alter Vortrag")
    new = SessionFactory(title="Neuer Vortrag")
    hidden = SessionFactory(
        event=EventFactory(visibility=Visibility.MEMBERS), title="Interner Vortrag"
    )
    for session in (old, new, hidden):
        SessionSpeakerFactory(session=session, speaker=speaker)
    html = anon_client.get(f"/foren/referierende/{speaker.slug}/").content.decode()
    assert "Interner Vortrag" not in html
    assert html.index("Neuer Vortrag") < html.index("Alter Vortrag")


def test_speaker_photo_is_served_after_consent(anon_client, settings, tmp_path):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    out = BytesIO()
    Image.new("RGB", (40, 40), "steelblue").save(out, format="JPEG")
    speaker = SpeakerFactory()
    speaker.photo.save("foto.jpg", ContentFile(out.getvalue()))
    SessionSpeakerFactory(speaker=speaker)
    response = anon_client.get(f"/foren/referierende/{speaker.slug}/foto/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")


# --- Query budgets --------------------------------------------------------------


def test_list_query_budget_does_not_grow_with_events(anon_client, django_assert_num_queries):
    topic = TopicFactory()
    past_event(2).topics.add(topic)
    EventFactory()
    with django_assert_num_queries(3):
        anon_client.get("/foren/")
    for years in range(3, 8):
        past_event(years, series=EventSeriesFactory(), number=years).topics.add(
            topic, TopicFactory()
        )
        EventFactory()
    with django_assert_num_queries(3):
        anon_client.get("/foren/")


def test_forum_page_query_budget_does_not_grow_with_the_program(django_assert_num_queries):
    event = EventFactory(online_url=ONLINE_URL)
    participant = MemberFactory()
    RegistrationFactory(event=event, user=participant)
    client = login_client(participant)
    SessionSpeakerFactory(session__event=event)
    client.get(f"/foren/{event.slug}/")
    with django_assert_num_queries(BUDGET_DETAIL):
        client.get(f"/foren/{event.slug}/")
    for _n in range(6):
        SessionSpeakerFactory(session__event=event, session__kind="workshop").session.topics.add(
            TopicFactory()
        )
    # The program changed: rendered again once for this agenda.
    with django_assert_num_queries(BUDGET_DETAIL + BUDGET_PROGRAM):
        client.get(f"/foren/{event.slug}/")
    with django_assert_num_queries(BUDGET_DETAIL):
        client.get(f"/foren/{event.slug}/")


def test_session_and_speaker_query_budget(anon_client, django_assert_num_queries):
    speaker = SpeakerFactory()
    session = SessionSpeakerFactory(speaker=speaker).session
    url = f"/foren/{session.event.slug}/programm/{session.slug}/"
    with django_assert_num_queries(BUDGET_SESSION):
        anon_client.get(url)
    with django_assert_num_queries(2):
        anon_client.get(f"/foren/referierende/{speaker.slug}/")
    for _n in range(5):
        SessionSpeakerFactory(session=session)
        SessionSpeakerFactory(speaker=speaker)
        session.topics.add(TopicFactory())
    with django_assert_num_queries(BUDGET_SESSION):
        anon_client.get(url)
    with django_assert_num_queries(2):
        anon_client.get(f"/foren/referierende/{speaker.slug}/")


# session, user, event, registration, topics, agenda, the version of the kept
# program; +1: a confirmed on-site participant's registration box asks for the
# workshop allocation.
BUDGET_DETAIL = 8
# The program when it is not kept: sessions, their speakers and topics.
BUDGET_PROGRAM = 3
# +1: the ideas born in the session (idea forge).
BUDGET_SESSION = 6
