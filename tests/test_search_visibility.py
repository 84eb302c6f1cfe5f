"""Who finds what: every kind of content, for every persona.

The documents are written by the real sources (model signals), so these
tests check the whole way from an object to a result list. Each test uses a
word that occurs nowhere else, so a total of 0 means the object is invisible
and the facets must then count nothing: a count or a snippet that shows a
hidden object would tell its secret as well as a result.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.core.access import Visibility
from innoclub.events.models import EventInvitation, RegistrationStatus, SessionKind
from innoclub.ideas.models import GROUP
from innoclub.search.documents import source_for_model
from innoclub.search.models import Kind
from innoclub.search.query import Results, search
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    ArticleFactory,
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    PublicationFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    StaffFactory,
    TopicFactory,
)
from tests.ideas_factories import EvaluationAssignmentFactory, IdeaFactory, IdeaGroupFactory
from tests.pilots_factories import PilotFactory
from tests.search_helpers import ANONYMOUS, found

pytestmark = pytest.mark.django_db


def assert_nothing(results: Results) -> None:
    """No result, no count, no snippet: the search does not know the object."""
    assert results.hits == []
    assert results.total == 0
    assert all(values == [] for values in results.facets.values())


# --- The matrix: every kind, every persona ---------------------------------------


@pytest.fixture
def everything(member, guest, staff):
    """One object of every kind and audience with the word "Zaunkönig" in its title."""
    insider = MemberFactory()
    participant = MemberFactory()
    word = "Zaunkönig"
    events = {
        level: EventFactory(title=f"{word} {level}", visibility=level)
        for level in Visibility.values
    }
    RegistrationFactory(event=events["participants"], user=participant)
    objects = {
        "municipality": MunicipalityFactory(name=word),
        "publication": PublicationFactory(title=word),
        "article": ArticleFactory(title=word),
        "draft": ArticleFactory(title=f"{word} Entwurf", published_at=None),
        **{f"event_{level}": event for level, event in events.items()},
        "session_participants": SessionFactory(
            event=events["participants"], title=f"{word} Vortrag"
        ),
        "idea_public": IdeaFactory(title=word, visibility=Visibility.PUBLIC),
        "idea_members": IdeaFactory(title=word),
        "idea_group": IdeaFactory(
            title=word, visibility=GROUP, group=IdeaGroupFactory(members=[insider])
        ),
        "pilot_public": PilotFactory(title=word),
        "pilot_members": PilotFactory(title=word, visibility=Visibility.MEMBERS),
        "profile_listed": ProfileFactory(user=MemberFactory(last_name=word)),
        "profile_unlisted": ProfileFactory(user=MemberFactory(last_name=word), in_directory=False),
    }
    personas = {
        "anonymous": ANONYMOUS,
        "guest": guest,
        "member": member,
        "group member": insider,
        "participant": participant,
        "staff": staff,
    }
    return objects, personas


PUBLIC = {"municipality", "publication", "article", "event_public", "idea_public", "pilot_public"}
MEMBERS = PUBLIC | {"event_members", "idea_members", "pilot_members", "profile_listed"}
EVERYTHING = MEMBERS | {
    "draft",
    "event_participants",
    "event_staff",
    "session_participants",
    "idea_group",
    "profile_unlisted",
}
MATRIX = {
    "anonymous": PUBLIC,
    "guest": PUBLIC,
    "member": MEMBERS,
    "group member": MEMBERS | {"idea_group"},
    "participant": MEMBERS | {"event_participants", "session_participants"},
    "staff": EVERYTHING,
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_each_persona_finds_exactly_what_it_may_see_and_counts_nothing_else(everything, persona):
    objects, personas = everything
    expected = {
        (source_for_model(type(objects[name])).kind, objects[name].pk) for name in MATRIX[persona]
    }
    results = search("Zaunkönig", user=personas[persona], per_page=50)
    assert {(hit.kind, hit.object_id) for hit in results.hits} == expected
    assert results.total == len(expected)
    assert sum(value.count for value in results.facets["kind"]) == len(expected)


# --- Ideas ------------------------------------------------------------------


@pytest.fixture
def ideas(member, guest):
    """A public idea, a members' idea and one shared with a working group."""
    insider = MemberFactory(first_name="Gerda", last_name="Gruppenmitglied")
    group = IdeaGroupFactory(members=[insider])
    topic = TopicFactory(slug="wasser", name="Wasser")
    return {
        "public": IdeaFactory(
            title="Quallenbrunnen am Marktplatz", visibility=Visibility.PUBLIC, topics=[topic]
        ),
        "members": IdeaFactory(
            title="Pelikanbrücke für Pendler", problem="Staus am Fluss.", topics=[topic]
        ),
        "group": IdeaFactory(
            title="Otterschleuse im Stadtpark",
            problem="Pelikanbrücke reicht nicht.",
            visibility=GROUP,
            group=group,
            topics=[topic],
        ),
        "insider": insider,
    }


def test_a_public_idea_is_found_by_everybody(ideas, member, guest, staff):
    idea = ideas["public"]
    for user in (ANONYMOUS, guest, member, staff):
        assert found("Quallenbrunnen", user) == [(Kind.IDEA, idea.pk)]


def test_a_members_idea_is_hidden_from_visitors_and_guests_with_its_counts(ideas, guest):
    assert_nothing(search("Pelikanbrücke", user=ANONYMOUS))
    assert_nothing(search("Pelikanbrücke", user=guest))


def test_a_members_idea_is_found_by_members_and_the_office(ideas, member, staff):
    idea = ideas["members"]
    assert found("Pelikanbrücke", member) == [(Kind.IDEA, idea.pk)]
    assert {hit for hit in found("Pelikanbrücke", staff)} == {
        (Kind.IDEA, idea.pk),
        (Kind.IDEA, ideas["group"].pk),
    }


def test_a_group_idea_is_hidden_from_members_outside_the_group_with_its_counts(ideas, member):
    assert_nothing(search("Otterschleuse", user=member))
    # The word also stands in the group idea's text: counts show the members' idea only.
    results = search("Pelikanbrücke", user=member)
    assert results.total == 1
    assert [(value.value, value.count) for value in results.facets["kind"]] == [("idea", 1)]
    assert [(value.value, value.count) for value in results.facets["topic"]] == [("wasser", 1)]
    assert [(value.value, value.count) for value in results.facets["stage"]] == [("idee", 1)]
    assert "Otterschleuse" not in str(results.hits[0].snippet)


def test_a_group_idea_is_found_by_the_group_its_authors_and_evaluators(ideas, staff):
    idea = ideas["group"]
    guest_author = GuestFactory()
    idea.authors.add(guest_author)
    evaluator = GuestFactory()
    EvaluationAssignmentFactory(idea=idea, evaluator=evaluator)
    for user in (ideas["insider"], guest_author, evaluator, staff):
        assert found("Otterschleuse", user) == [(Kind.IDEA, idea.pk)]


def test_a_guest_who_evaluates_a_members_idea_finds_it(ideas):
    evaluator = GuestFactory()
    EvaluationAssignmentFactory(idea=ideas["members"], evaluator=evaluator)
    assert found("Pelikanbrücke", evaluator) == [(Kind.IDEA, ideas["members"].pk)]


def test_a_public_idea_names_its_authors_only_if_they_agreed(member):
    shy = MemberFactory(first_name="Hedwig", last_name="Zurückhaltend")
    ProfileFactory(user=shy, public_listing=False)
    listed = MemberFactory(first_name="Ottokar", last_name="Öffentlich")
    ProfileFactory(user=listed, public_listing=True)
    idea = IdeaFactory(title="Mitfahrbank", visibility=Visibility.PUBLIC, authors=[shy, listed])
    assert found("Zurückhaltend", ANONYMOUS) == []
    assert found("Öffentlich", ANONYMOUS) == [(Kind.IDEA, idea.pk)]


# --- Members and external partners ---------------------------------------------


@pytest.fixture
def people():
    return {
        "listed": ProfileFactory(
            user=MemberFactory(first_name="Lotte", last_name="Lamaflüsterer"),
            bio="Kennt sich mit Kamelidenhaltung aus.",
            can_help_with="Gürteltierzucht im Stadtzoo",
            show_can_help_with=False,
            phone="0621 998877",
            show_phone=True,
            show_email=True,
        ),
        "unlisted": ProfileFactory(
            user=MemberFactory(first_name="Xaverius", last_name="Quendelmann"),
            in_directory=False,
        ),
        "partner": ProfileFactory(
            user=GuestFactory(first_name="Pia", last_name="Partnerin"),
            organisation="Hochschule Nordwestwind",
        ),
    }


def test_a_profile_in_the_directory_is_found_by_members_and_the_office_only(
    people, member, guest, staff
):
    profile = people["listed"]
    assert_nothing(search("Lamaflüsterer", user=ANONYMOUS))
    assert_nothing(search("Lamaflüsterer", user=guest))
    for user in (member, staff):
        assert found("Lamaflüsterer", user) == [(Kind.MEMBER, profile.pk)]
        assert found("Kamelidenhaltung", user) == [(Kind.MEMBER, profile.pk)]


def test_an_external_partner_is_found_by_organisation(people, member):
    assert found("Nordwestwind", member) == [(Kind.MEMBER, people["partner"].pk)]


def test_a_field_its_owner_does_not_share_finds_nothing_even_for_the_office(people, member, staff):
    for user in (member, staff):
        assert_nothing(search("Gürteltierzucht", user=user))


def test_telephone_numbers_and_email_addresses_are_never_found(people, staff):
    email = people["listed"].user.email.split("@")[0]
    for query in ("998877", "0621", email):
        assert_nothing(search(query, user=staff))


def test_a_profile_outside_the_directory_is_found_by_the_office_only(people, member, staff):
    assert_nothing(search("Quendelmann", user=member))
    assert found("Quendelmann", staff) == [(Kind.MEMBER, people["unlisted"].pk)]


def test_a_deactivated_account_is_found_by_nobody(people, staff):
    person = people["listed"].user
    person.is_active = False
    person.save()
    assert_nothing(search("Lamaflüsterer", user=staff))


def test_office_accounts_have_no_search_entry_as_people(staff):
    ProfileFactory(user=StaffFactory(first_name="Olga", last_name="Officina"))
    assert_nothing(search("Officina", user=staff))


# --- Events and sessions --------------------------------------------------------


@pytest.fixture
def events():
    return {
        level: EventFactory(title=f"Tapirtagung {level}", visibility=level)
        for level in Visibility.values
    }


def titles(query: str, user: User | AnonymousUser) -> set[str]:
    return {
        hit.title.replace("<mark>", "").replace("</mark>", "")
        for hit in search(query, user=user).hits
    }


def test_events_are_found_by_their_level(events, member, guest, staff):
    assert titles("Tapirtagung", ANONYMOUS) == {"Tapirtagung public"}
    assert titles("Tapirtagung", guest) == {"Tapirtagung public"}
    assert titles("Tapirtagung", member) == {"Tapirtagung public", "Tapirtagung members"}
    assert titles("Tapirtagung", staff) == {f"Tapirtagung {level}" for level in Visibility.values}


def test_participants_find_their_event_and_invited_guests_the_members_event(events, guest):
    participant = MemberFactory()
    RegistrationFactory(event=events["participants"], user=participant)
    assert titles("Tapirtagung", participant) == {
        "Tapirtagung public",
        "Tapirtagung members",
        "Tapirtagung participants",
    }
    EventInvitation.objects.create(event=events["members"], user=guest)
    assert titles("Tapirtagung", guest) == {"Tapirtagung public", "Tapirtagung members"}


def test_a_cancelled_registration_still_opens_the_event_as_its_page_does(events):
    person = MemberFactory()
    RegistrationFactory(
        event=events["participants"], user=person, status=RegistrationStatus.CANCELLED
    )
    assert "Tapirtagung participants" in titles("Tapirtagung", person)


def test_sessions_follow_their_event(events, member, staff):
    hidden = SessionFactory(event=events["participants"], title="Nasenaffen im Dialog")
    SessionSpeakerFactory(session=hidden, speaker=SpeakerFactory(name="Sigrun Sprechbach"))
    assert_nothing(search("Nasenaffen", user=member))
    assert_nothing(search("Sprechbach", user=member))
    participant = MemberFactory()
    RegistrationFactory(event=events["participants"], user=participant)
    for user in (participant, staff):
        assert found("Nasenaffen", user) == [(Kind.SESSION, hidden.pk)]
        assert found("Sprechbach", user) == [(Kind.SESSION, hidden.pk)]


def test_a_public_session_is_found_with_its_documentation_by_everybody(events):
    session = SessionFactory(
        event=events["public"],
        title="Werkstatt Zukunft",
        results="Wir vereinbaren eine **Wombatpatenschaft**.",
    )
    assert found("Wombatpatenschaft", ANONYMOUS) == [(Kind.SESSION, session.pk)]


def test_breaks_are_no_search_results(events, staff):
    SessionFactory(event=events["public"], kind=SessionKind.BREAK, title="Kaffeepause Yakmilch")
    assert_nothing(search("Yakmilch", user=staff))


# --- Pilots -----------------------------------------------------------------------


def test_a_members_pilot_is_hidden_from_visitors_and_guests(member, guest, staff):
    pilot = PilotFactory(title="Lurchtunnel unter der Kreisstraße", visibility=Visibility.MEMBERS)
    assert_nothing(search("Lurchtunnel", user=ANONYMOUS))
    assert_nothing(search("Lurchtunnel", user=guest))
    for user in (member, staff):
        assert found("Lurchtunnel", user) == [(Kind.PILOT, pilot.pk)]


def test_a_public_pilot_names_contact_people_only_as_its_page_does(member):
    shy = MemberFactory(first_name="Kunigunde", last_name="Kontaktscheu")
    ProfileFactory(user=shy, public_listing=False)
    listed = MemberFactory(first_name="Bruno", last_name="Bekanntmann")
    ProfileFactory(user=listed, public_listing=True)
    public = PilotFactory(title="Smarte Parkbank", contacts=[shy, listed])
    members_only = PilotFactory(
        title="Smarte Laterne", visibility=Visibility.MEMBERS, contacts=[shy]
    )
    assert found("Kontaktscheu", ANONYMOUS) == []
    assert found("Bekanntmann", ANONYMOUS) == [(Kind.PILOT, public.pk)]
    # On the members' pilot members see every contact person.
    assert (Kind.PILOT, members_only.pk) in found("Kontaktscheu", member)
    assert (Kind.PILOT, public.pk) not in found("Kontaktscheu", member)


def test_a_pilot_is_found_by_its_lead_municipality_and_filtered_by_its_state():
    place = MunicipalityFactory(name="Ameisenhausen", ags="09123456", state="09")
    pilot = PilotFactory(title="Digitale Bauakte", lead_municipality=place)
    assert found("Ameisenhausen", ANONYMOUS, kind="pilot") == [(Kind.PILOT, pilot.pk)]
    assert found("Bauakte", ANONYMOUS, land="09") == [(Kind.PILOT, pilot.pk)]
    assert found("Bauakte", ANONYMOUS, land="06") == []


# --- News, publications, municipalities ----------------------------------------------


def test_drafts_and_scheduled_articles_are_found_by_the_office_only(member, staff):
    draft = ArticleFactory(title="Nasenbärgesetz im Entwurf", published_at=None)
    scheduled = ArticleFactory(
        title="Nasenbärgesetz kommt", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    for user in (ANONYMOUS, member):
        assert_nothing(search("Nasenbärgesetz", user=user))
    assert {hit for hit in found("Nasenbärgesetz", staff)} == {
        (Kind.ARTICLE, draft.pk),
        (Kind.ARTICLE, scheduled.pk),
    }


def test_a_scheduled_article_is_found_by_everybody_once_its_date_has_passed(member):
    article = ArticleFactory(
        title="Koalagesetz tritt in Kraft",
        published_at=timezone.now() + datetime.timedelta(seconds=1.5),
    )
    assert_nothing(search("Koalagesetz", user=ANONYMOUS))
    # Time passes; nothing is written that the index could notice.
    time.sleep(1.6)
    for user in (member, ANONYMOUS):
        assert found("Koalagesetz", user) == [(Kind.ARTICLE, article.pk)]


def test_published_articles_publications_and_municipalities_are_public():
    article = ArticleFactory(title="Neues vom Biberdamm")
    publication = PublicationFactory(title="Biberdamm und Verwaltung", year=2023)
    place = MunicipalityFactory(name="Biberdamm an der Elbe", ags="15000001", state="15")
    assert {hit for hit in found("Biberdamm", ANONYMOUS)} == {
        (Kind.ARTICLE, article.pk),
        (Kind.PUBLICATION, publication.pk),
        (Kind.MUNICIPALITY, place.pk),
    }


# --- The page ------------------------------------------------------------------------


def test_the_search_page_shows_members_content_to_members_only(ideas, anon_client, member_client):
    link = f'href="/ideen/{ideas["members"].pk}/"'
    anonymous = anon_client.get("/suche/", {"q": "Pelikanbrücke"}).content.decode()
    signed_in = member_client.get("/suche/", {"q": "Pelikanbrücke"}).content.decode()
    assert link in signed_in
    assert "Pendler" in signed_in
    assert link not in anonymous
    assert "Pendler" not in anonymous


def test_the_search_page_counts_and_quotes_nothing_hidden(ideas, anon_client):
    page = anon_client.get("/suche/", {"q": "Pelikanbrücke Otterschleuse"}).content.decode()
    assert "Pendler" not in page
    assert "Stadtpark" not in page
    assert f'href="/ideen/{ideas["group"].pk}/"' not in page
