"""The index follows every write: create, change, delete and a change of who may see.

Changes go through the real services (or, where the office works in the
Django admin, through ``save()`` and ``delete()`` as the admin does), and the
search answers differently in the same transaction. ``rebuild_search_index``
writes exactly what live indexing wrote, in a number of queries that does not
grow with the number of objects.
"""

from __future__ import annotations

import datetime
from concurrent.futures import ProcessPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.core.access import Visibility
from innoclub.events.models import Attendance, EventState, SessionSpeaker
from innoclub.events.services import invitations_create, registration_create, session_save
from innoclub.ideas.models import Kind as IdeaKind
from innoclub.ideas.models import Stage
from innoclub.ideas.services import idea_create, idea_move_to_stage, idea_update
from innoclub.network.models import Profile
from innoclub.network.services import profile_update
from innoclub.news.models import PublicationKind
from innoclub.news.services import (
    article_create,
    article_publish,
    article_unpublish,
    article_update,
    publication_create,
)
from innoclub.pilots.models import PilotState
from innoclub.pilots.services import (
    ParticipantRow,
    pilot_create,
    pilot_participants_save,
    pilot_update,
)
from innoclub.search import index
from innoclub.search.index import load, paused, rebuild
from innoclub.search.models import Kind, NameVariant, SearchDocument
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    ArticleFactory,
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    PublicationFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
)
from tests.ideas_factories import IdeaFactory
from tests.pilots_factories import ParticipantFactory, PilotFactory
from tests.search_helpers import ANONYMOUS, found

pytestmark = pytest.mark.django_db


# --- Ideas ----------------------------------------------------------------------


def new_idea(author: User, **fields: object):
    values = {
        "title": "Quallenbrunnen am Marktplatz",
        "problem": "Im Sommer ist es heiß.",
        "proposal": "Ein Brunnen, der **kühlt**.",
        "kind": IdeaKind.TECHNICAL,
        "visibility": Visibility.PUBLIC,
        **fields,
    }
    return idea_create(author=author, **values)  # type: ignore[arg-type]


def test_a_new_idea_is_found_before_its_transaction_commits(member):
    with transaction.atomic():
        idea = new_idea(member)
        assert found("Quallenbrunnen", ANONYMOUS) == [(Kind.IDEA, idea.pk)]


def test_an_idea_whose_creation_rolls_back_leaves_nothing_in_the_index(member):
    with pytest.raises(RuntimeError), transaction.atomic():
        new_idea(member)
        raise RuntimeError
    assert found("Quallenbrunnen", ANONYMOUS) == []
    assert SearchDocument.objects.filter(kind=Kind.IDEA).count() == 0


def test_editing_an_idea_replaces_its_words_topics_and_authors(member):
    idea = new_idea(member)
    topic = TopicFactory(slug="klima", name="Klima")
    co_author = MemberFactory(first_name="Clara", last_name="Koautorin")
    ProfileFactory(user=co_author, public_listing=True)
    idea_update(
        idea=idea,
        fields={"title": "Trinkbrunnen am Marktplatz"},
        topics=[topic],
        authors=[member, co_author],
    )
    assert found("Quallenbrunnen", ANONYMOUS) == []
    assert found("Trinkbrunnen", ANONYMOUS, topic="klima") == [(Kind.IDEA, idea.pk)]
    assert found("Koautorin", ANONYMOUS) == [(Kind.IDEA, idea.pk)]


def test_moving_an_idea_to_the_next_stage_moves_its_stage_facet(member, staff):
    idea = new_idea(member)
    idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Gut durchdacht.", by=staff)
    assert found("Quallenbrunnen", ANONYMOUS, stage=Stage.IDEA) == []
    assert found("Quallenbrunnen", ANONYMOUS, stage=Stage.CONCEPT) == [(Kind.IDEA, idea.pk)]


def test_sharing_an_idea_with_members_only_hides_it_from_visitors_and_back(member):
    idea = new_idea(member)
    idea_update(idea=idea, fields={"visibility": Visibility.MEMBERS})
    assert found("Quallenbrunnen", ANONYMOUS) == []
    assert found("Quallenbrunnen", member) == [(Kind.IDEA, idea.pk)]
    idea_update(idea=idea, fields={"visibility": Visibility.PUBLIC})
    assert found("Quallenbrunnen", ANONYMOUS) == [(Kind.IDEA, idea.pk)]


def test_a_deleted_idea_is_gone(member, staff):
    idea = new_idea(member)
    idea.delete()
    assert found("Quallenbrunnen", staff) == []


def test_an_idea_that_becomes_a_pilot_brings_its_pilot_into_the_index(member, staff):
    idea = new_idea(member, title="Hitzeinsel")
    idea_update(idea=idea, fields={"goals": "Kühle Plätze.", "success_criteria": "Weniger Hitze."})
    idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Weiter.", by=staff)
    idea_move_to_stage(
        idea=idea,
        to_stage=Stage.PILOT,
        rationale="Los.",
        by=staff,
        pilot_title="Kühle Hitzeinsel",
    )
    assert {hit for hit in found("Hitzeinsel", ANONYMOUS)} == {
        (Kind.IDEA, idea.pk),
        (Kind.PILOT, idea.pilot_id),
    }


def test_renaming_a_topic_renames_it_in_everything_that_carries_it():
    topic = TopicFactory(slug="hitze", name="Hitzeschutz")
    idea = IdeaFactory(visibility=Visibility.PUBLIC, topics=[topic])
    pilot = PilotFactory(topics=[topic])
    topic.name = "Hitzevorsorge"
    topic.save()
    assert set(found("Hitzevorsorge", ANONYMOUS)) == {(Kind.IDEA, idea.pk), (Kind.PILOT, pilot.pk)}
    assert found("Hitzeschutz", ANONYMOUS) == []


# --- Pilots -----------------------------------------------------------------------


def test_a_pilot_follows_its_visibility_state_and_participants(member, staff):
    pilot = pilot_create(title="Lurchtunnel unter der Kreisstraße", created_by=staff)
    assert found("Lurchtunnel", ANONYMOUS) == []
    assert found("Lurchtunnel", member) == [(Kind.PILOT, pilot.pk)]

    pilot_update(
        pilot=pilot,
        by=staff,
        fields={"visibility": Visibility.PUBLIC, "state": PilotState.RUNNING},
    )
    assert found("Lurchtunnel", ANONYMOUS, stage=PilotState.RUNNING) == [(Kind.PILOT, pilot.pk)]

    partner = MunicipalityFactory(name="Unkenhausen")
    pilot_participants_save(
        pilot=pilot, participants=[ParticipantRow(municipality=partner, role="Partnerkommune")]
    )
    assert found("Unkenhausen", ANONYMOUS, kind="pilot") == [(Kind.PILOT, pilot.pk)]
    pilot_participants_save(pilot=pilot, participants=[])
    assert found("Unkenhausen", ANONYMOUS, kind="pilot") == []


def test_renaming_a_municipality_renames_it_in_its_pilots_and_people(member):
    place = MunicipalityFactory(name="Alt-Krötenstadt")
    pilot = PilotFactory(title="Amphibienschutz", lead_municipality=place)
    profile = ProfileFactory(user=MemberFactory(municipality=place))
    place.name = "Neu-Krötenstadt"
    place.save()
    assert set(found("Neu-Krötenstadt", member)) == {
        (Kind.MUNICIPALITY, place.pk),
        (Kind.PILOT, pilot.pk),
        (Kind.MEMBER, profile.pk),
    }
    assert found("Alt", member) == []


def test_removing_a_participant_in_the_admin_updates_the_pilot():
    participant = ParticipantFactory(municipality=MunicipalityFactory(name="Molchingen"))
    assert found("Molchingen", ANONYMOUS, kind="pilot") == [(Kind.PILOT, participant.pilot_id)]
    participant.delete()
    assert found("Molchingen", ANONYMOUS, kind="pilot") == []


# --- Events and sessions -----------------------------------------------------------


def test_an_events_sessions_follow_its_visibility(member):
    session = SessionFactory(title="Nasenaffen im Dialog")
    event = session.event
    assert found("Nasenaffen", ANONYMOUS) == [(Kind.SESSION, session.pk)]
    event.visibility = Visibility.MEMBERS
    event.save()
    assert found("Nasenaffen", ANONYMOUS) == []
    assert found("Nasenaffen", member) == [(Kind.SESSION, session.pk)]


def test_a_deleted_session_is_gone_and_a_deleted_event_takes_its_sessions_along(staff):
    kept = SessionFactory(title="Nasenaffen am Vormittag")
    dropped = SessionFactory(title="Nasenaffen am Nachmittag", event=kept.event)
    dropped.delete()
    assert found("Nasenaffen", staff) == [(Kind.SESSION, kept.pk)]
    kept.event.delete()
    assert found("Nasenaffen", staff) == []
    assert SearchDocument.objects.filter(kind__in=[Kind.EVENT, Kind.SESSION]).count() == 0


def test_a_session_edited_by_the_office_is_found_by_its_new_title():
    session = SessionFactory(title="Nasenaffen im Dialog")
    session.title = "Brillenbären im Dialog"
    session_save(session=session, changed=["title"])
    assert found("Nasenaffen", ANONYMOUS) == []
    assert found("Brillenbären", ANONYMOUS) == [(Kind.SESSION, session.pk)]


def test_speakers_added_renamed_and_removed_change_their_sessions():
    session = SessionFactory(title="Zukunft der Verwaltung")
    appearance = SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="Ida Redlich"))
    assert found("Redlich", ANONYMOUS) == [(Kind.SESSION, session.pk)]
    speaker = appearance.speaker
    speaker.name = "Ida Redselig"
    speaker.save()
    assert found("Redselig", ANONYMOUS) == [(Kind.SESSION, session.pk)]
    SessionSpeaker.objects.filter(pk=appearance.pk).get().delete()
    assert found("Redselig", ANONYMOUS) == []


def test_the_last_place_taken_marks_the_event_fully_booked_in_the_facet(member):
    event = EventFactory(title="Tapirtagung", capacity=1)
    assert found("Tapirtagung", ANONYMOUS, stage=EventState.OPEN) == [(Kind.EVENT, event.pk)]
    registration_create(event=event, user=member, attendance=Attendance.ONSITE)
    assert found("Tapirtagung", ANONYMOUS, stage=EventState.OPEN) == []
    assert found("Tapirtagung", ANONYMOUS, stage=EventState.FULL) == [(Kind.EVENT, event.pk)]


def test_the_first_invitation_moves_the_event_out_of_planning_in_the_facet(staff):
    event = EventFactory(title="Tapirtagung", state=EventState.PLANNING)
    invitations_create(event=event, users=[GuestFactory()], invited_by=staff)
    assert found("Tapirtagung", ANONYMOUS, stage=EventState.INVITED) == [(Kind.EVENT, event.pk)]


# --- People ---------------------------------------------------------------------------


def test_leaving_the_directory_hides_a_profile_from_members(member, staff):
    profile = ProfileFactory(user=MemberFactory(last_name="Lamaflüsterer"))
    assert found("Lamaflüsterer", member) == [(Kind.MEMBER, profile.pk)]
    profile_update(profile=profile, fields={"in_directory": False})
    assert found("Lamaflüsterer", member) == []
    assert found("Lamaflüsterer", staff) == [(Kind.MEMBER, profile.pk)]


def test_a_profile_field_counts_while_its_owner_shares_it(member):
    profile = ProfileFactory(bio="Züchtet Gürteltiere.")
    profile_update(profile=profile, fields={"show_bio": False})
    assert found("Gürteltiere", member) == []
    profile_update(
        profile=profile,
        fields={"show_bio": True},
        topics=[TopicFactory(slug="tiere", name="Tiere")],
    )
    assert found("Gürteltiere", member, topic="tiere") == [(Kind.MEMBER, profile.pk)]


def test_deactivating_and_renaming_an_account_updates_its_profile(staff):
    profile = ProfileFactory(user=MemberFactory(last_name="Lamaflüsterer"))
    person = profile.user
    person.is_active = False
    person.save()
    assert found("Lamaflüsterer", staff) == []
    person.is_active = True
    person.last_name = "Alpakaflüsterer"
    person.save()
    assert found("Lamaflüsterer", staff) == []
    assert found("Alpakaflüsterer", staff) == [(Kind.MEMBER, profile.pk)]


def test_a_new_member_appears_once_the_profile_joins_the_directory(member):
    person = MemberFactory(last_name="Neuankömmling")
    profile = Profile.objects.create(user=person)
    assert found("Neuankömmling", member) == []
    profile_update(profile=profile, fields={"in_directory": True})
    assert found("Neuankömmling", member) == [(Kind.MEMBER, profile.pk)]


# --- News and publications ------------------------------------------------------------


def test_an_article_is_found_by_the_public_from_its_publication_on(staff):
    article = article_create(
        author=staff, title="Nasenbärgesetz", teaser="Neu.", body="Der **Text**."
    )
    assert found("Nasenbärgesetz", ANONYMOUS) == []
    assert found("Nasenbärgesetz", staff) == [(Kind.ARTICLE, article.pk)]
    article_publish(article=article)
    assert found("Nasenbärgesetz", ANONYMOUS) == [(Kind.ARTICLE, article.pk)]
    article_update(article=article, title="Koalagesetz", teaser="Neu.", body="Text.", topics=[])
    assert found("Nasenbärgesetz", ANONYMOUS) == []
    assert found("Koalagesetz", ANONYMOUS) == [(Kind.ARTICLE, article.pk)]
    article_unpublish(article=article)
    assert found("Koalagesetz", ANONYMOUS) == []
    article_publish(article=article, at=timezone.now() + datetime.timedelta(days=1))
    assert found("Koalagesetz", ANONYMOUS) == []
    assert found("Koalagesetz", staff) == [(Kind.ARTICLE, article.pk)]


def test_a_publication_is_found_until_it_is_deleted():
    publication = publication_create(
        kind=PublicationKind.BOOK,
        title="Kommunale Innovationen",
        authors="Alexander Handschuh",
        year=2024,
        abstract="Ein *Sammelband*.",
    )
    assert found("Sammelband", ANONYMOUS, stage=PublicationKind.BOOK, year=2024) == [
        (Kind.PUBLICATION, publication.pk)
    ]
    publication.delete()
    assert found("Sammelband", ANONYMOUS) == []


# --- Rebuild --------------------------------------------------------------------------


def mixed_dataset(n: int) -> None:
    """``n`` objects of every kind, in every audience a kind has."""
    topic = TopicFactory(slug="digitales", name="Digitales")
    for _ in range(n):
        author = MemberFactory()
        ProfileFactory(user=author, public_listing=True)
        ProfileFactory(in_directory=False)
        IdeaFactory(visibility=Visibility.PUBLIC, authors=[author], topics=[topic])
        IdeaFactory(authors=[author])
        pilot = PilotFactory(contacts=[author], topics=[topic])
        ParticipantFactory(pilot=pilot)
        PilotFactory(visibility=Visibility.MEMBERS)
        for level in Visibility.values:
            event = EventFactory(visibility=level)
            SessionSpeakerFactory(session=SessionFactory(event=event))
        ArticleFactory()
        ArticleFactory(published_at=None)
        PublicationFactory()


def snapshot() -> list[tuple]:
    """Every indexed row with its texts, without the ids the rebuild renews."""
    fields = [
        f.name
        for f in SearchDocument._meta.concrete_fields
        if f.name not in {"id", "vector", "recency_day"}
    ]
    return sorted(SearchDocument.objects.values_list(*fields, "text__summary", "text__body"))


QUERIES = ("Digitale", "Bürgerbüro", "Werkstatt", "Meldung", "Mustermann", "Musterstadt")


def results_for(users: list) -> list:
    return [(query, sorted(found(query, user))) for user in users for query in QUERIES]


def test_the_rebuild_writes_what_live_indexing_wrote(member, guest, staff):
    mixed_dataset(2)
    live, live_results = snapshot(), results_for([ANONYMOUS, guest, member, staff])
    assert {row[0] for row in live} == set(Kind.values)
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == live
    assert results_for([ANONYMOUS, guest, member, staff]) == live_results


def full_text() -> list[tuple]:
    """Each document's full-text entry (PostgreSQL: its vector, SQLite: its
    FTS5 row) by kind and object, and the name variants."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT kind, object_id, vector::text FROM search_searchdocument")
        else:
            cursor.execute(
                "SELECT d.kind, d.object_id, f.title, f.summary, f.body, f.exact, f.ends "
                "FROM search_fts AS f JOIN search_searchdocument AS d ON d.id = f.rowid"
            )
        entries = sorted(cursor.fetchall())
    return entries + sorted(NameVariant.objects.values_list("variant", "term"))


def test_a_rebuild_analysed_in_processes_of_its_own_writes_what_live_indexing_wrote(
    member, guest, staff, monkeypatch
):
    """The first chunk is analysed in the rebuilding process, every further
    one in a process of its own (``index._Analyst``); in chunks of two, a
    small dataset goes that way."""
    submitted = []

    class Counted(ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(args[0].__name__)
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(index, "ProcessPoolExecutor", Counted)
    mixed_dataset(2)
    live, entries = snapshot(), full_text()
    live_results = results_for([ANONYMOUS, guest, member, staff])
    assert len(entries) > len(live) > 20

    rebuild(chunk=2)

    assert len(submitted) == (len(live) + 1) // 2 - 1
    assert set(submitted) == {"analyse_many"}
    assert snapshot() == live
    assert full_text() == entries
    assert results_for([ANONYMOUS, guest, member, staff]) == live_results


def test_the_rebuild_needs_as_many_queries_for_one_object_of_each_kind_as_for_many():
    mixed_dataset(1)
    with CaptureQueriesContext(connection) as one:
        rebuild()
    mixed_dataset(4)
    with CaptureQueriesContext(connection) as many:
        rebuild()
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_rebuild_that_fails_leaves_the_index_as_it_was(member, staff):
    """The rebuild empties the index (on SQLite it drops and creates the FTS5
    table) inside its transaction: a failure on the way takes all of it back."""
    mixed_dataset(1)
    before, results = snapshot(), results_for([ANONYMOUS, staff])

    def broken():
        yield from []
        raise RuntimeError("a source fails half way")

    with pytest.raises(RuntimeError):
        load(broken())

    assert snapshot() == before
    assert results_for([ANONYMOUS, staff]) == results


def test_nothing_is_indexed_while_paused_and_the_rebuild_catches_up(member):
    with paused():
        idea = new_idea(member)
    assert found("Quallenbrunnen", ANONYMOUS) == []
    rebuild()
    assert found("Quallenbrunnen", ANONYMOUS) == [(Kind.IDEA, idea.pk)]


def test_the_demo_leaves_a_full_index_that_shows_off_the_german_search(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    assert set(SearchDocument.objects.values_list("kind", flat=True)) == set(Kind.values)
    office = User.objects.get(email="geschaeftsstelle@demo.innoclub.de")
    for query, written in (
        ("Pumpe", "Wärmepumpe"),  # a part finds the compound
        ("Klimaschutzkonzept", "Klimaschutzkonzept"),
        ("TeilnehmerInnen", "Teilnehmer:innen"),  # gender forms
        ("Buergerbeteiligung", "Bürgerbeteiligung"),  # umlauts spelled out
        ("Heidelbrg", "Heidelberg"),  # a typo in a place name
    ):
        containing = set(
            SearchDocument.objects.filter(
                Q(title__contains=written)
                | Q(text__summary__contains=written)
                | Q(text__body__contains=written)
            ).values_list("kind", "object_id")
        )
        assert containing, f"the demo texts have no “{written}”"
        assert containing & set(found(query, office)), query
