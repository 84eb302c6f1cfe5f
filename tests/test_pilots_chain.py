"""The provenance chain session → idea → pilot → adoptions on each of their pages,
and the pilots on municipality and topic pages: what each persona sees, where the
links lead, and fixed query budgets."""

from __future__ import annotations

import datetime
import html
import re
from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from innoclub.core.access import Visibility
from innoclub.events.models import EventInvitation
from innoclub.ideas.models import Idea, Stage
from innoclub.pilots.chain import (
    chain_for_adoption,
    chain_for_idea,
    chain_for_pilot,
    chain_for_session,
    pilots_of_municipality,
    pilots_of_topic,
)
from innoclub.pilots.models import AdoptionState, PilotState
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import IdeaFactory
from tests.pilots_factories import AdoptionFactory, ParticipantFactory, PilotFactory

pytestmark = pytest.mark.django_db

PILOT = "/pilotprojekte/digitale-bauakte/"
SESSION = "/foren/deutschlandforum-20/programm/verfahren-verschlanken/"


def _idea(title: str, visibility: str, day: datetime.date, **fields: Any) -> Idea:
    idea = cast(Idea, IdeaFactory(title=title, visibility=visibility, stage=Stage.PILOT, **fields))
    at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    Idea.objects.filter(pk=idea.pk).update(created_at=at)
    idea.created_at = at
    return idea


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """A public forum session, two ideas (public, members) and their running public
    pilot, which three municipalities adopt (two implemented)."""
    event = EventFactory(
        title="20. Deutschlandforum",
        slug="deutschlandforum-20",
        starts_on=datetime.date(2023, 9, 14),
    )
    session = SessionFactory(
        event=event, title="Verfahren verschlanken", slug="verfahren-verschlanken"
    )
    pilot = PilotFactory(title="Digitale Bauakte", slug="digitale-bauakte")
    public = _idea(
        "Bauakte ohne Papier",
        Visibility.PUBLIC,
        datetime.date(2023, 9, 20),
        origin_session=session,
        pilot=pilot,
    )
    members = _idea(
        "Bauakte für den Kreis", Visibility.MEMBERS, datetime.date(2024, 1, 10), pilot=pilot
    )
    adoptions = [
        AdoptionFactory(pilot=pilot, state=state, implemented_on=done)
        for state, done in [
            (AdoptionState.IMPLEMENTED, datetime.date(2025, 9, 1)),
            (AdoptionState.IMPLEMENTED, datetime.date(2025, 10, 1)),
            (AdoptionState.INTERESTED, None),
        ]
    ]
    return SimpleNamespace(
        event=event,
        session=session,
        pilot=pilot,
        public=public,
        members=members,
        adoptions=adoptions,
    )


def section(response: Any) -> str:
    found = re.search(
        r'<section class="section chain".*?</section>', response.content.decode(), re.S
    )
    return found.group(0) if found else ""


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def links(fragment: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', fragment)


def current(fragment: str) -> list[str]:
    return [text(found) for found in re.findall(r'aria-current="page">(.*?)</span>', fragment)]


def idea_url(idea: Idea) -> str:
    return f"/ideen/{idea.pk}/"


# --- What the chain says ---------------------------------------------------------


def test_anonymous_visitors_see_the_public_chain_on_an_idea_page(anon_client, world):
    chain = section(anon_client.get(idea_url(world.public)))

    assert text(chain) == (
        "Vom Forum in die Praxis "
        "Sitzung „Verfahren verschlanken“ beim 20. Deutschlandforum, 14. September 2023 "
        "Idee „Bauakte ohne Papier“ eingereicht am 20. September 2023 "
        "Pilotprojekt „Digitale Bauakte“ läuft seit 1. März 2025 "
        "3 Kommunen nutzen es nach (2 umgesetzt)"
    )
    assert links(chain) == [SESSION, PILOT, f"{PILOT}#nachnutzung"]
    assert current(chain) == ["Idee „Bauakte ohne Papier“"]


def test_the_idea_page_links_its_pilot_only_for_those_who_may_see_it(anon_client, world):
    page = anon_client.get(idea_url(world.public)).content.decode()
    world.pilot.visibility = Visibility.MEMBERS
    world.pilot.save()
    hidden = anon_client.get(idea_url(world.public)).content.decode()

    assert f'<a class="kern-link" href="{PILOT}">Digitale Bauakte</a>' in page
    assert "Digitale Bauakte" not in hidden


@pytest.mark.parametrize(
    ("persona", "ideas"),
    [
        ("anonymous", ["Bauakte ohne Papier"]),
        ("guest", ["Bauakte ohne Papier"]),
        ("member", ["Bauakte ohne Papier", "Bauakte für den Kreis"]),
        ("staff", ["Bauakte ohne Papier", "Bauakte für den Kreis"]),
    ],
)
def test_the_pilot_page_names_only_the_ideas_the_viewer_may_see(
    world, anon_client, guest_client, member_client, staff_client, persona, ideas
):
    client = {
        "anonymous": anon_client,
        "guest": guest_client,
        "member": member_client,
        "staff": staff_client,
    }[persona]
    chain = section(client.get(PILOT))

    assert re.findall(r"Idee „([^“]+)“", text(chain)) == ideas
    assert current(chain) == ["Pilotprojekt „Digitale Bauakte“"]
    assert [url for url in links(chain) if url.startswith("/ideen/")] == [
        idea_url(world.public),
        *([idea_url(world.members)] if len(ideas) == 2 else []),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "guest"])
def test_a_members_pilot_is_neither_named_nor_linked_for_the_public_and_guests(
    world, anon_client, guest_client, persona
):
    world.pilot.visibility = Visibility.MEMBERS
    world.pilot.save()
    client = anon_client if persona == "anonymous" else guest_client

    idea_chain = section(client.get(idea_url(world.public)))
    session_chain = section(client.get(SESSION))

    assert text(idea_chain) == (
        "Vom Forum in die Praxis "
        "Sitzung „Verfahren verschlanken“ beim 20. Deutschlandforum, 14. September 2023 "
        "Idee „Bauakte ohne Papier“ eingereicht am 20. September 2023"
    )
    assert "Digitale Bauakte" not in session_chain
    assert "nutzen" not in session_chain


def test_members_see_the_members_pilot_in_the_chain(world, member_client):
    world.pilot.visibility = Visibility.MEMBERS
    world.pilot.save()

    chain = text(section(member_client.get(idea_url(world.members))))

    assert "Pilotprojekt „Digitale Bauakte“ läuft seit 1. März 2025" in chain
    assert "Idee „Bauakte für den Kreis“ eingereicht am 10. Januar 2024" in chain


def test_a_session_of_a_members_forum_is_named_only_to_those_who_see_the_forum(world, member):
    world.event.visibility = Visibility.MEMBERS
    world.event.save()
    guest = GuestFactory()
    invited = GuestFactory()
    EventInvitation.objects.create(event=world.event, user=invited, invited_by=member)

    seen = {
        name: "Verfahren verschlanken" in section(client.get(idea_url(world.public)))
        for name, client in [
            ("anonymous", Client()),
            ("guest", login_client(guest)),
            ("invited guest", login_client(invited)),
            ("member", login_client(member)),
        ]
    }

    assert seen == {"anonymous": False, "guest": False, "invited guest": True, "member": True}


def test_the_session_page_shows_where_its_ideas_led(anon_client, world):
    chain = section(anon_client.get(SESSION))

    assert text(chain) == (
        "Vom Forum in die Praxis "
        "Sitzung „Verfahren verschlanken“ beim 20. Deutschlandforum, 14. September 2023 "
        "Idee „Bauakte ohne Papier“ eingereicht am 20. September 2023 "
        "Pilotprojekt „Digitale Bauakte“ läuft seit 1. März 2025 "
        "3 Kommunen nutzen es nach (2 umgesetzt)"
    )
    assert current(chain) == ["Sitzung „Verfahren verschlanken“"]
    assert links(chain) == [idea_url(world.public), PILOT, f"{PILOT}#nachnutzung"]


def test_a_session_with_many_ideas_lists_three_and_counts_the_rest(anon_client, world):
    other = PilotFactory(
        title="Bauantrag online", state=PilotState.COMPLETED, ends_on=datetime.date(2025, 6, 30)
    )
    AdoptionFactory(
        pilot=other, state=AdoptionState.IMPLEMENTED, implemented_on=datetime.date(2025, 8, 1)
    )
    for n in range(4):
        _idea(
            f"Weitere Idee {n}",
            Visibility.PUBLIC,
            datetime.date(2023, 10, n + 1),
            origin_session=world.session,
        )
    _idea(
        "Mit Pilot",
        Visibility.PUBLIC,
        datetime.date(2023, 12, 1),
        origin_session=world.session,
        pilot=other,
    )

    chain = text(section(anon_client.get(SESSION)))

    assert chain == (
        "Vom Forum in die Praxis "
        "Sitzung „Verfahren verschlanken“ beim 20. Deutschlandforum, 14. September 2023 "
        "Idee „Bauakte ohne Papier“ eingereicht am 20. September 2023 "
        "Idee „Mit Pilot“ eingereicht am 1. Dezember 2023 "
        "Idee „Weitere Idee 0“ eingereicht am 1. Oktober 2023 "
        "und 3 weitere Ideen "
        "Pilotprojekt „Bauantrag online“ abgeschlossen am 30. Juni 2025 "
        "Pilotprojekt „Digitale Bauakte“ läuft seit 1. März 2025 "
        "4 Nachnutzungen (3 umgesetzt)"
    )


def test_an_idea_without_session_or_pilot_shows_no_chain(anon_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)

    assert section(anon_client.get(idea_url(idea))) == ""


def test_a_planned_pilot_without_ideas_shows_no_chain(anon_client):
    PilotFactory(slug="bald", state=PilotState.PLANNED)

    assert section(anon_client.get("/pilotprojekte/bald/")) == ""


def test_the_adoption_page_marks_the_adoption(world, member_client):
    adoption = world.adoptions[0]
    name = adoption.municipality.name

    chain = section(member_client.get(f"{PILOT}nachnutzung/{adoption.pk}/"))

    assert current(chain) == [f"Nachnutzung in {name}"]
    assert text(chain).endswith(
        f"Nachnutzung in {name} begonnen am 1. Juni 2025 (umgesetzt) "
        "3 Kommunen nutzen es nach (2 umgesetzt)"
    )
    assert links(chain) == [
        SESSION,
        idea_url(world.public),
        idea_url(world.members),
        PILOT,
        f"{PILOT}#nachnutzung",
    ]


# --- Query budgets ----------------------------------------------------------------


def _crowd(world: SimpleNamespace, items: int) -> None:
    """``items`` more ideas (each from another session) and adoptions of the pilot."""
    for n in range(items):
        session = SessionFactory(event=world.event)
        _idea(
            f"Idee {n}",
            Visibility.PUBLIC,
            datetime.date(2024, 2, n + 1),
            origin_session=session,
            pilot=world.pilot,
        )
        _idea(
            f"Sitzungsidee {n}",
            Visibility.PUBLIC,
            datetime.date(2024, 3, n + 1),
            origin_session=world.session,
        )
        AdoptionFactory(pilot=world.pilot, state=AdoptionState.PREPARING)


@pytest.mark.parametrize("items", [1, 5])
def test_the_chain_is_read_in_a_fixed_number_of_queries(
    world, member, django_assert_num_queries, items
):
    _crowd(world, items)
    idea = Idea.objects.select_related("origin_session__event", "pilot").get(pk=world.public.pk)
    ideas = list(Idea.objects.filter(origin_session=world.session))

    with django_assert_num_queries(2):
        assert chain_for_pilot(world.pilot, member)["chain"] is not None
    with django_assert_num_queries(2):
        assert chain_for_adoption(world.adoptions[0], member)["chain"] is not None
    with django_assert_num_queries(2):
        assert chain_for_idea(idea, member)["chain"] is not None
    with django_assert_num_queries(1):
        assert chain_for_session(world.session, member, event=world.event, ideas=ideas)["chain"]
    with django_assert_num_queries(0):
        assert chain_for_idea(IdeaFactory.build(), AnonymousUser())["chain"] is None


def _queries(client: Client, url: str) -> int:
    client.get(url)  # a first request may store the session clock
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("client_name", ["anon_client", "member_client"])
def test_the_pages_run_as_many_queries_with_many_ideas_and_adoptions(world, request, client_name):
    client = request.getfixturevalue(client_name)
    urls = [idea_url(world.public), SESSION, PILOT]
    few = [_queries(client, url) for url in urls]

    _crowd(world, 5)

    assert [_queries(client, url) for url in urls] == few


# --- Municipality and topic pages ---------------------------------------------------


@pytest.fixture
def town(db: None) -> SimpleNamespace:
    """A town that leads a pilot, takes part in one, and adopted a public and a
    members' pilot."""
    place = MunicipalityFactory(name="Fulda", ags="06631009")
    topic = TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    PilotFactory(title="Terminportal", lead_municipality=place, topics=[topic])
    partner = PilotFactory(title="E-Akte", state=PilotState.COMPLETED, topics=[topic])
    ParticipantFactory(pilot=partner, municipality=place, role="Erprobung im ländlichen Raum")
    adopted = PilotFactory(title="Bürgerbüro", topics=[topic])
    done = AdoptionFactory(pilot=adopted, municipality=place, state=AdoptionState.IMPLEMENTED)
    hidden = PilotFactory(title="Krisenstab", visibility=Visibility.MEMBERS, topics=[topic])
    AdoptionFactory(pilot=hidden, municipality=place)
    AdoptionFactory(pilot=partner, state=AdoptionState.IMPLEMENTED)
    AdoptionFactory(pilot=partner, state=AdoptionState.GIVEN_UP)
    return SimpleNamespace(place=place, topic=topic, adopted=adopted, done=done)


def _pilot_section(response: Any) -> str:
    found = re.search(
        r'<section class="section" aria-labelledby="pilots-title">.*?</section>',
        response.content.decode(),
        re.S,
    )
    return text(found.group(0)) if found else ""


def test_the_municipality_page_lists_the_pilots_it_leads_takes_part_in_and_adopted(
    town, anon_client, member_client
):
    public = _pilot_section(anon_client.get("/kommunen/06631009/"))
    members = _pilot_section(member_client.get("/kommunen/06631009/"))

    assert public == (
        "Pilotprojekte und Nachnutzung "
        "Federführend Terminportal (laufend) "
        "Beteiligt E-Akte (Erprobung im ländlichen Raum; abgeschlossen) "
        "Hier nachgenutzt Bürgerbüro – Nachnutzung: umgesetzt"
    )
    assert members == (
        "Pilotprojekte und Nachnutzung "
        "Federführend Terminportal (laufend) "
        "Beteiligt E-Akte (Erprobung im ländlichen Raum; abgeschlossen) "
        "Hier nachgenutzt Bürgerbüro – Nachnutzung: umgesetzt "
        "Krisenstab – Nachnutzung: interessiert"
    )
    page = anon_client.get("/kommunen/06631009/").content.decode()
    adoption_url = f"/pilotprojekte/{town.adopted.slug}/nachnutzung/{town.done.pk}/"
    assert f'href="{adoption_url}"' in page


def test_a_municipality_without_pilots_shows_no_pilot_section(anon_client):
    MunicipalityFactory(ags="06611000")

    assert _pilot_section(anon_client.get("/kommunen/06611000/")) == ""


def test_the_topic_page_lists_its_pilots_with_their_adoptions(town, anon_client, member_client):
    public = _pilot_section(anon_client.get("/themen/digitale-verwaltung/"))
    members = _pilot_section(member_client.get("/themen/digitale-verwaltung/"))

    assert public.startswith("Pilotprojekte zu diesem Thema ")
    assert "E-Akte" in public and "2 Kommunen nutzen es nach (1 umgesetzt)" in public
    assert "Krisenstab" not in public
    assert "Terminportal (Fulda, laufend)" in public
    assert "Krisenstab" in members


@pytest.mark.parametrize("items", [1, 5])
def test_municipality_and_topic_sections_run_one_query(
    town, member, django_assert_num_queries, items
):
    for _n in range(items):
        pilot = PilotFactory(lead_municipality=town.place, topics=[town.topic])
        AdoptionFactory(pilot=pilot)
        ParticipantFactory(municipality=town.place)
        AdoptionFactory(municipality=town.place)

    with django_assert_num_queries(1):
        found = pilots_of_municipality(user=member, municipality=town.place)
    with django_assert_num_queries(1):
        pilots = pilots_of_topic(user=member, topic=town.topic)

    assert (len(found.led), len(found.participating), len(found.adopted)) == (
        1 + items,
        1 + items,
        2 + items,
    )
    assert len(pilots) == 4 + items


@pytest.mark.parametrize("client_name", ["anon_client", "member_client"])
def test_the_municipality_and_topic_pages_run_as_many_queries_with_many_pilots(
    town, request, client_name
):
    client = request.getfixturevalue(client_name)
    urls = ["/kommunen/06631009/", "/themen/digitale-verwaltung/"]
    few = [_queries(client, url) for url in urls]
    for _n in range(5):
        pilot = PilotFactory(lead_municipality=town.place, topics=[town.topic])
        AdoptionFactory(pilot=pilot)
        ParticipantFactory(municipality=town.place)
        AdoptionFactory(municipality=town.place)

    assert [_queries(client, url) for url in urls] == few


def test_a_member_from_elsewhere_sees_the_same_as_any_member(town):
    stranger = MemberFactory()

    found = pilots_of_municipality(user=stranger, municipality=town.place)

    assert [row.pilot.title for row in found.adopted] == ["Bürgerbüro", "Krisenstab"]
