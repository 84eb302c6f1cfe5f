"""The events API: forums, their program and speakers, read as the pages under
/foren/ show them to each persona. Registrations and workshop wishes are in
test_api_event_registrations.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.events.models import (
    EventInvitation,
    EventMode,
    RegistrationStatus,
    SessionFile,
    SessionKind,
    Speaker,
    SpeakerRole,
)
from tests.conftest import login_client
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    MemberFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
)
from tests.test_api_event_registrations import bearer

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


def _days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


@pytest.fixture
def forums():
    """One event per visibility level, all upcoming."""
    return {
        level: EventFactory(slug=f"forum-{level}", title=f"Forum {level}", visibility=level)
        for level in Visibility.values
    }


# --- The list ---------------------------------------------------------------------------


def test_anonymous_visitors_see_only_public_events(anon_client, forums):
    response = anon_client.get(f"{API}/events")

    assert response.status_code == 200
    assert slugs(response) == ["forum-public"]
    assert response.json()["count"] == 1


def test_members_see_public_and_members_events(member_client, forums):
    response = member_client.get(f"{API}/events?ordering=title")

    assert slugs(response) == ["forum-members", "forum-public"]


def test_guests_see_what_the_public_sees_and_the_event_they_are_invited_to(guest, forums):
    EventInvitation.objects.create(event=forums[Visibility.PARTICIPANTS], user=guest)

    response = login_client(guest).get(f"{API}/events?ordering=title")

    assert slugs(response) == ["forum-participants", "forum-public"]


def test_a_registration_opens_a_participants_event_to_its_participant(member, forums):
    RegistrationFactory(event=forums[Visibility.PARTICIPANTS], user=member)

    response = login_client(member).get(f"{API}/events?ordering=title")

    assert slugs(response) == ["forum-members", "forum-participants", "forum-public"]


def test_the_office_sees_every_event(staff_client, forums):
    response = staff_client.get(f"{API}/events?ordering=title")

    assert slugs(response) == ["forum-members", "forum-participants", "forum-public", "forum-staff"]


def test_a_read_token_sees_what_its_owner_sees_in_the_browser(member, forums):
    response = Client().get(f"{API}/events?ordering=title", **bearer(member, "read"))

    assert slugs(response) == ["forum-members", "forum-public"]


def test_an_unknown_token_is_refused_rather_than_treated_as_anonymous(anon_client, forums):
    response = anon_client.get(f"{API}/events", HTTP_AUTHORIZATION="Bearer ic_nonsense")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_list_filters_by_year_upcoming_topic_and_series(anon_client):
    topic = TopicFactory(slug="digitalisierung", name="Digitalisierung")
    series = EventSeriesFactory()
    past = EventFactory(slug="damals", starts_on=datetime.date(2019, 5, 2), series=series)
    past.topics.add(topic)
    EventFactory(slug="bald", starts_on=_days(20))

    assert slugs(anon_client.get(f"{API}/events?year=2019")) == ["damals"]
    assert slugs(anon_client.get(f"{API}/events?upcoming=true")) == ["bald"]
    assert slugs(anon_client.get(f"{API}/events?upcoming=false")) == ["damals"]
    assert slugs(anon_client.get(f"{API}/events?topic=digitalisierung")) == ["damals"]
    assert slugs(anon_client.get(f"{API}/events?series=deutschlandforum")) == ["damals"]
    assert slugs(anon_client.get(f"{API}/events?ordering=starts_on")) == ["damals", "bald"]


def test_an_event_in_the_list_says_what_the_archive_shows(anon_client):
    series = EventSeriesFactory()
    event = EventFactory(
        slug="df-23", title="23. Deutschlandforum", series=series, number=23, capacity=80
    )
    event.topics.add(TopicFactory(slug="klima", name="Klimaschutz"))
    RegistrationFactory(event=event)

    item = anon_client.get(f"{API}/events").json()["items"][0]

    assert item["series"] == {"slug": "deutschlandforum", "name": "Deutschlandforum"}
    assert item["number"] == 23
    assert item["capacity"] == 80
    assert item["seats_left"] == 79
    assert item["topics"] == [{"slug": "klima", "name": "Klimaschutz"}]
    assert item["url"] == "/foren/df-23/"
    assert item["starts_on"] == event.starts_on.isoformat()
    assert "online_url" not in item


@pytest.mark.parametrize(
    "query", ["ordering=capacity", "ordering=-seats_taken", "year=99999", "upcoming=vielleicht"]
)
def test_bad_filters_are_refused_with_a_problem(anon_client, forums, query):
    response = anon_client.get(f"{API}/events?{query}")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/events/a%00b",
        "/events?topic=a%00b",
        "/events?series=a%00b",
        "/events/a%00b/sessions",
        "/events/a%00b/speakers",
        "/speakers/a%00b",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request_not_a_server_error(anon_client, path):
    response = anon_client.get(f"{API}{path}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("count", [1, 5])
def test_the_list_runs_a_fixed_number_of_queries(anon_client, django_assert_num_queries, count):
    topic = TopicFactory()
    for _ in range(count):
        EventFactory(series=EventSeriesFactory()).topics.add(topic)

    # count, page, topics
    with django_assert_num_queries(3):
        response = anon_client.get(f"{API}/events")

    assert len(response.json()["items"]) == count


# --- One event ----------------------------------------------------------------------


def test_an_event_the_caller_may_not_see_answers_404_like_a_missing_one(member_client, forums):
    hidden = member_client.get(f"{API}/events/forum-staff")
    missing = member_client.get(f"{API}/events/gibt-es-nicht")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_anonymous_visitors_get_the_event_without_any_registration_state(anon_client):
    EventFactory(slug="forum", online_url="https://stream.example.org/raum")

    body = anon_client.get(f"{API}/events/forum").json()

    assert body["registration"] is None
    assert body["registration_refusal"] is None
    assert body["online_url"] is None


def test_a_waitlisted_member_sees_their_place_and_the_stream_link(member):
    event = EventFactory(
        slug="forum", capacity=1, mode=EventMode.HYBRID, online_url="https://stream.example.org"
    )
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    mine = RegistrationFactory(event=event, user=member, status=RegistrationStatus.WAITLISTED)

    body = Client().get(f"{API}/events/forum", **bearer(member, "read")).json()

    assert body["registration"] == {
        "id": mine.pk,
        "status": "waitlisted",
        "attendance": "onsite",
        "waitlist_position": 2,
    }
    assert body["online_url"] == "https://stream.example.org"
    assert body["seats_left"] == 0


def test_a_guest_who_is_not_invited_is_told_why_they_cannot_register(guest):
    EventFactory(slug="forum", online_url="https://stream.example.org")

    body = login_client(guest).get(f"{API}/events/forum").json()

    assert body["registration"] is None
    assert body["registration_refusal"] == (
        "Gäste können sich anmelden, sobald die Geschäftsstelle sie eingeladen hat."
    )
    assert body["online_url"] is None


def test_the_office_sees_the_stream_link_without_registering(staff_client):
    EventFactory(slug="forum", online_url="https://stream.example.org")

    assert staff_client.get(f"{API}/events/forum").json()["online_url"] == (
        "https://stream.example.org"
    )


# --- Program ----------------------------------------------------------------------------


@pytest.fixture
def forum_program():
    event = EventFactory(slug="forum")
    keynote = SessionFactory(event=event, kind=SessionKind.KEYNOTE, slug="eroeffnung")
    keynote.topics.add(TopicFactory(slug="klima", name="Klimaschutz"))
    SessionSpeakerFactory(
        session=keynote, speaker=SpeakerFactory(slug="sommer", name="Dr. Petra Sommer")
    )
    SessionSpeakerFactory(
        session=keynote,
        speaker=SpeakerFactory(slug="berg", name="Jan Berg", consent_given_at=None),
        role=SpeakerRole.MODERATOR,
    )
    SessionFile.objects.create(
        session=keynote,
        title="Folien",
        file="dokumentation/folien.pdf",
        content_type="application/pdf",
        size=2048,
    )
    return event, keynote


def test_the_program_lists_sessions_with_speakers_topics_and_files(anon_client, forum_program):
    _event, keynote = forum_program

    response = anon_client.get(f"{API}/events/forum/sessions")

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == keynote.pk
    assert item["kind"] == "keynote"
    assert item["url"] == "/foren/forum/programm/eroeffnung/"
    assert item["topics"] == [{"slug": "klima", "name": "Klimaschutz"}]
    # As in the printed program: everybody appears by name, moderators first.
    assert [(s["slug"], s["role"]) for s in item["speakers"]] == [
        ("berg", "moderator"),
        ("sommer", "speaker"),
    ]
    assert item["files"] == [
        {
            "title": "Folien",
            "content_type": "application/pdf",
            "size": 2048,
            "url": f"/foren/forum/programm/eroeffnung/dateien/{keynote.files.get().pk}/",
        }
    ]


def test_sessions_filter_by_kind(anon_client, forum_program):
    event, _keynote = forum_program
    SessionFactory(event=event, kind=SessionKind.WORKSHOP, slug="werkstatt")

    response = anon_client.get(f"{API}/events/forum/sessions?kind=workshop")

    assert [item["slug"] for item in response.json()["items"]] == ["werkstatt"]


def test_the_program_of_a_hidden_event_answers_404(member_client):
    event = EventFactory(slug="intern", visibility=Visibility.STAFF)
    session = SessionFactory(event=event)

    assert member_client.get(f"{API}/events/intern/sessions").status_code == 404
    assert member_client.get(f"{API}/sessions/{session.pk}").status_code == 404


def test_one_session_follows_its_event(member_client, staff_client):
    session = SessionFactory(event=EventFactory(visibility=Visibility.MEMBERS))

    assert Client().get(f"{API}/sessions/{session.pk}").status_code == 404
    assert member_client.get(f"{API}/sessions/{session.pk}").json()["title"] == session.title
    assert staff_client.get(f"{API}/sessions/{session.pk}").status_code == 200


@pytest.mark.parametrize("session_id", ["0", "abc", str(2**64)])
def test_a_session_id_that_cannot_exist_is_refused(anon_client, session_id):
    assert anon_client.get(f"{API}/sessions/{session_id}").status_code == 422


@pytest.mark.parametrize("count", [1, 4])
def test_the_program_runs_a_fixed_number_of_queries(anon_client, django_assert_num_queries, count):
    event = EventFactory(slug="forum")
    topic = TopicFactory()
    for index in range(count):
        session = SessionFactory(event=event, starts_at=timezone.now() + datetime.timedelta(index))
        session.topics.add(topic)
        SessionSpeakerFactory(session=session)

    # event, count, page, speakers, topics, files
    with django_assert_num_queries(6):
        response = anon_client.get(f"{API}/events/forum/sessions")

    assert len(response.json()["items"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_one_session_and_its_event_run_a_fixed_number_of_queries(
    anon_client, django_assert_num_queries, count
):
    session = SessionFactory(event=EventFactory(slug="forum"))
    for _ in range(count):
        SessionSpeakerFactory(session=session)
        session.topics.add(TopicFactory())
        session.event.topics.add(TopicFactory())

    # session with its event, speakers, topics, files
    with django_assert_num_queries(4):
        one = anon_client.get(f"{API}/sessions/{session.pk}")
    # event, topics
    with django_assert_num_queries(2):
        event = anon_client.get(f"{API}/events/forum")

    assert len(one.json()["speakers"]) == len(event.json()["topics"]) == count


# --- Speakers ---------------------------------------------------------------------------


def test_the_speaker_list_names_only_people_who_agreed_to_publication(anon_client, forum_program):
    response = anon_client.get(f"{API}/speakers")

    assert slugs(response) == ["sommer"]
    assert response.json()["items"][0] == {
        "slug": "sommer",
        "name": "Dr. Petra Sommer",
        "position": "Professorin für Verwaltungswissenschaft",
        "organisation": "Universität Speyer",
        "bio": "Forscht zu Innovation in Kommunen.",
        "photo_url": None,
        "url": "/foren/referierende/sommer/",
    }


def test_speakers_of_hidden_events_stay_hidden(member_client, staff_client):
    session = SessionFactory(event=EventFactory(slug="intern", visibility=Visibility.STAFF))
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="geheim"))

    assert slugs(member_client.get(f"{API}/speakers")) == []
    assert member_client.get(f"{API}/speakers/geheim").status_code == 404
    assert member_client.get(f"{API}/events/intern/speakers").status_code == 404
    assert slugs(staff_client.get(f"{API}/speakers")) == ["geheim"]


def test_a_speaker_without_consent_has_no_speaker_resource(anon_client, forum_program):
    assert anon_client.get(f"{API}/speakers/berg").status_code == 404


def test_no_speaker_answer_contains_an_e_mail_address(anon_client, forum_program):
    account = MemberFactory(email="petra.sommer@example.org")
    Speaker.objects.filter(slug="sommer").update(user=account)

    answers = [
        anon_client.get(f"{API}/speakers"),
        anon_client.get(f"{API}/speakers/sommer"),
        anon_client.get(f"{API}/events/forum/speakers"),
        anon_client.get(f"{API}/events/forum/sessions"),
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    assert all(b"@" not in answer.content for answer in answers)


def test_one_speaker_lists_their_sessions_in_visible_events(anon_client, forum_program):
    _event, keynote = forum_program
    hidden = SessionFactory(event=EventFactory(visibility=Visibility.MEMBERS))
    SessionSpeakerFactory(session=hidden, speaker=keynote.appearances.get(role="speaker").speaker)

    body = anon_client.get(f"{API}/speakers/sommer").json()

    assert [(s["id"], s["role"], s["event"]) for s in body["sessions"]] == [
        (keynote.pk, "speaker", "forum")
    ]


def test_the_speakers_of_one_event(anon_client, forum_program):
    SessionSpeakerFactory(session=SessionFactory(), speaker=SpeakerFactory(slug="anderswo"))

    assert slugs(anon_client.get(f"{API}/events/forum/speakers")) == ["sommer"]
    assert slugs(anon_client.get(f"{API}/speakers?ordering=-name")) == ["anderswo", "sommer"]


@pytest.mark.parametrize("count", [1, 4])
def test_the_speaker_list_runs_a_fixed_number_of_queries(
    anon_client, django_assert_num_queries, count
):
    event = EventFactory()
    for _ in range(count):
        SessionSpeakerFactory(session=SessionFactory(event=event))

    # count, page
    with django_assert_num_queries(2):
        response = anon_client.get(f"{API}/speakers")

    assert len(response.json()["items"]) == count
