"""The idea forge in the API: who sees which idea, its authors and its discussion,
and who may submit, support and comment; bad input changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.api.tokens import token_create
from innoclub.core.access import Visibility
from innoclub.ideas.models import GROUP, Comment, Idea, Stage, Support
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    ProfileFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import CommentFactory, IdeaFactory, IdeaGroupFactory, SupportFactory
from tests.pilots_factories import PilotFactory

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas"


@pytest.fixture(autouse=True)
def _clear_cache():
    # The rate limits count in the cache.
    cache.clear()


def api(user: User | None = None, *, scope: str = "read") -> Client:
    """A client that calls with a personal token of ``user`` (anonymous without one)."""
    if user is None:
        return Client()
    _token, plain = token_create(user=user, name="t", scope=scope, days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def writer(user: User) -> Client:
    return api(user, scope="write")


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def author():
    person = MemberFactory(first_name="Anna", last_name="Autorin")
    ProfileFactory(user=person, in_directory=True, public_listing=False)
    return person


@pytest.fixture
def world(author, member, guest, staff):
    group_member = MemberFactory(first_name="Gero", last_name="Gruppe")
    group = IdeaGroupFactory(name="Arbeitskreis Wärme", members=[group_member])
    ideas = {
        "public": IdeaFactory(title="Öffentlich", visibility=Visibility.PUBLIC, authors=[author]),
        "members": IdeaFactory(title="Mitglieder", visibility=Visibility.MEMBERS, authors=[author]),
        "group": IdeaFactory(title="Gruppe", visibility=GROUP, group=group, authors=[author]),
    }
    for idea in ideas.values():
        CommentFactory(idea=idea, body=f"Kommentar zu {idea.title}")
    people = {
        "anonymous": None,
        "guest": guest,
        "member": member,
        "author": author,
        "group member": group_member,
        "staff": staff,
    }
    return people, ideas


EXPECTED = {
    "anonymous": {"Öffentlich"},
    "guest": {"Öffentlich"},
    "member": {"Öffentlich", "Mitglieder"},
    "author": {"Öffentlich", "Mitglieder", "Gruppe"},
    "group member": {"Öffentlich", "Mitglieder", "Gruppe"},
    "staff": {"Öffentlich", "Mitglieder", "Gruppe"},
}


# --- Who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_persona_reads_exactly_the_ideas_shared_with_them(world, persona):
    people, ideas = world
    client = api(people[persona])

    listed = client.get(IDEAS)
    assert set(titles(listed)) == EXPECTED[persona]
    assert listed.json()["count"] == len(EXPECTED[persona])
    for idea in ideas.values():
        detail = client.get(f"{IDEAS}/{idea.pk}")
        comments = client.get(f"{IDEAS}/{idea.pk}/comments")
        if idea.title in EXPECTED[persona]:
            assert detail.status_code == 200
            assert detail.json()["title"] == idea.title
            assert [c["body"] for c in comments.json()["items"]] == [f"Kommentar zu {idea.title}"]
        else:
            assert detail.status_code == 404
            assert detail["Content-Type"] == "application/problem+json"
            assert comments.status_code == 404
            assert idea.title not in detail.content.decode()
            assert "Kommentar" not in comments.content.decode()


def test_a_hidden_idea_answers_like_a_missing_one(world):
    _people, ideas = world
    hidden = api(None).get(f"{IDEAS}/{ideas['members'].pk}")
    missing = api(None).get(f"{IDEAS}/999999")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api(None).get(f"{IDEAS}/{2**64}").status_code == 422


def test_filters_never_reveal_hidden_ideas(world, member):
    client = api(member)

    assert titles(client.get(IDEAS, {"text": "Gruppe"})) == []
    assert client.get(IDEAS, {"text": "Gruppe"}).json()["count"] == 0
    assert titles(client.get(IDEAS, {"stage": "idee", "ordering": "title"})) == [
        "Mitglieder",
        "Öffentlich",
    ]


def test_a_deactivated_authors_token_stops_working(world, author):
    client = api(author)
    author.is_active = False
    author.save(update_fields=["is_active"])

    assert client.get(IDEAS).status_code == 401


# --- What the list and the page show -----------------------------------------------------


def test_the_list_filters_by_stage_topic_kind_and_text():
    heat = TopicFactory(name="Wärme", slug="waerme")
    IdeaFactory(title="Wärmenetz", visibility="public", topics=[heat], stage=Stage.CONCEPT)
    IdeaFactory(title="Bürgerbus", visibility="public", kind="sozial", proposal="Ein Rufbus")
    client = api(None)

    assert titles(client.get(IDEAS, {"topic": "waerme"})) == ["Wärmenetz"]
    assert titles(client.get(IDEAS, {"stage": "konzept"})) == ["Wärmenetz"]
    assert titles(client.get(IDEAS, {"kind": "sozial"})) == ["Bürgerbus"]
    assert titles(client.get(IDEAS, {"text": "rufbus"})) == ["Bürgerbus"]
    assert titles(client.get(IDEAS, {"topic": "gibt-es-nicht"})) == []


def test_the_list_sorts_by_whitelisted_fields_only():
    first = IdeaFactory(title="Alpha", visibility="public")
    IdeaFactory(title="Beta", visibility="public")
    SupportFactory(idea=first)
    client = api(None)

    assert titles(client.get(IDEAS, {"ordering": "-supports"})) == ["Alpha", "Beta"]
    assert titles(client.get(IDEAS, {"ordering": "-title"})) == ["Beta", "Alpha"]
    assert titles(client.get(IDEAS)) == ["Beta", "Alpha"]
    bad_filters = (
        {"ordering": "problem"},
        {"ordering": "-created_by__email"},
        {"stage": "x"},
        {"topic": "a b"},
    )
    for bad in bad_filters:
        response = client.get(IDEAS, bad)
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
    # A NUL character never reaches the database (the API refuses such an address).
    response = client.get(IDEAS, {"text": "Nul\x00l"})
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_the_list_shows_counts_and_names_authors_only_to_members(world, author, member, guest):
    _people, ideas = world
    SupportFactory(idea=ideas["public"])

    def public_item(user):
        items = api(user).get(IDEAS).json()["items"]
        return next(item for item in items if item["title"] == "Öffentlich")

    item = public_item(member)
    assert (item["support_count"], item["comment_count"]) == (1, 1)
    assert item["url"] == f"/ideen/{ideas['public'].pk}/"
    assert item["authors"] == [{"name": "Anna Autorin", "url": f"/mitglieder/{author.pk}/"}]
    assert public_item(None)["authors"] is None
    assert public_item(guest)["authors"] is None


def test_the_page_names_authors_as_the_web_page_does(world, author, member, guest):
    _people, ideas = world
    url = f"{IDEAS}/{ideas['public'].pk}"

    assert api(None).get(url).json()["authors"] == [{"name": "Ein Mitglied des Clubs", "url": ""}]
    assert api(guest).get(url).json()["authors"] == [{"name": "Anna Autorin", "url": ""}]
    assert api(member).get(url).json()["authors"] == [
        {"name": "Anna Autorin", "url": f"/mitglieder/{author.pk}/"}
    ]
    author.profile.public_listing = True
    author.profile.save()
    assert api(None).get(url).json()["authors"][0]["name"] == "Anna Autorin"


def test_the_page_names_origin_and_pilot_only_where_the_viewer_may_see_them(member):
    members_forum = SessionFactory(event__visibility=Visibility.MEMBERS, title="Werkstatt KI")
    pilot = PilotFactory(title="KI im Bürgeramt", visibility=Visibility.MEMBERS)
    idea = IdeaFactory(
        visibility="public", stage=Stage.PILOT, origin_session=members_forum, pilot=pilot
    )
    url = f"{IDEAS}/{idea.pk}"

    public = api(None).get(url).json()
    assert (public["born_at_forum"], public["origin_session"], public["pilot"]) == (
        True,
        None,
        None,
    )
    seen = api(member).get(url).json()
    assert seen["origin_session"]["title"] == "Werkstatt KI"
    assert seen["origin_session"]["url"].startswith(f"/foren/{members_forum.event.slug}/")
    assert seen["pilot"] == {
        "slug": pilot.slug,
        "title": "KI im Bürgeramt",
        "url": f"/pilotprojekte/{pilot.slug}/",
    }
    assert seen["stage"] == "pilot"
    assert [step["to_stage"] for step in seen["history"]] == ["pilot"]


def test_a_hidden_comment_keeps_its_text_from_everyone_but_the_office(world, member, staff):
    _people, ideas = world
    idea = ideas["public"]
    writer_of_it = MemberFactory(first_name="Kai", last_name="Kritik")
    hidden = CommentFactory(
        idea=idea,
        author=writer_of_it,
        body="Geheimer Text",
        hidden_at=timezone.now(),
        hidden_by=staff,
        hidden_reason="Beleidigend",
    )
    CommentFactory(idea=idea, parent=hidden, body="Eine Antwort")
    url = f"{IDEAS}/{idea.pk}/comments"

    def thread(user):
        return api(user).get(url).json()["items"][1]

    other = thread(member)
    assert (other["hidden"], other["body"], other["hidden_reason"], other["author"]) == (
        True,
        None,
        None,
        None,
    )
    assert "Geheimer Text" not in api(None).get(url).content.decode()
    assert [reply["body"] for reply in other["replies"]] == ["Eine Antwort"]
    own = thread(writer_of_it)
    assert (own["body"], own["hidden_reason"], own["author"]["name"]) == (
        None,
        "Beleidigend",
        "Kai Kritik",
    )
    assert (thread(staff)["body"], thread(staff)["hidden_reason"]) == (
        "Geheimer Text",
        "Beleidigend",
    )


# --- Writing: who may -----------------------------------------------------------------------


def new_idea(**fields):
    return {"title": "Mängelmelder für alle", "problem": "Schlaglöcher.", "proposal": "Eine App.",
            "kind": "technisch", **fields}  # fmt: skip


def test_a_read_token_cannot_write_and_nothing_changes(world, member):
    _people, ideas = world
    client = api(member, scope="read")
    idea = ideas["public"]

    responses = [
        client.post(IDEAS, new_idea(), content_type="application/json"),
        client.post(f"{IDEAS}/{idea.pk}/support"),
        client.delete(f"{IDEAS}/{idea.pk}/support"),
        client.post(f"{IDEAS}/{idea.pk}/comments", {"body": "Hallo"}, "application/json"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0]["Content-Type"] == "application/problem+json"
    assert Idea.objects.count() == 3
    assert Support.objects.count() == 0
    assert Comment.objects.count() == 3


def test_anonymous_callers_cannot_write(world):
    _people, ideas = world

    response = api(None).post(f"{IDEAS}/{ideas['public'].pk}/support")

    assert response.status_code == 401
    assert Support.objects.count() == 0


def test_nobody_acts_on_an_idea_they_may_not_see(world, member, guest):
    _people, ideas = world
    # The guest may not support any idea, but learns nothing of the hidden one either.
    for user, idea in ((member, ideas["group"]), (guest, ideas["members"])):
        client = writer(user)
        assert client.post(f"{IDEAS}/{idea.pk}/support").status_code == 404
        assert client.delete(f"{IDEAS}/{idea.pk}/support").status_code == 404
        comment = client.post(f"{IDEAS}/{idea.pk}/comments", {"body": "x"}, "application/json")
        assert comment.status_code == 404
    assert Support.objects.count() == 0
    assert Comment.objects.count() == 3


def test_supporting_twice_counts_once_and_withdrawing_twice_too(world, member):
    _people, ideas = world
    client = writer(member)
    url = f"{IDEAS}/{ideas['members'].pk}/support"

    first, second = client.post(url), client.post(url)
    assert first.json() == second.json() == {"supported": True, "support_count": 1}
    assert api(member).get(f"{IDEAS}/{ideas['members'].pk}").json()["supported"] is True
    first, second = client.delete(url), client.delete(url)
    assert first.json() == second.json() == {"supported": False, "support_count": 0}
    assert Support.objects.count() == 0


@pytest.mark.parametrize("persona", ["guest", "staff"])
def test_only_members_support(world, persona):
    people, ideas = world

    response = writer(people[persona]).post(f"{IDEAS}/{ideas['public'].pk}/support")

    assert response.status_code == 403
    assert Support.objects.count() == 0


def test_a_session_write_needs_the_csrf_token(world, member):
    _people, ideas = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(f"{IDEAS}/{ideas['public'].pk}/support")

    assert response.status_code == 403
    assert Support.objects.count() == 0
    assert login_client(member).post(f"{IDEAS}/{ideas['public'].pk}/support").status_code == 200


# --- Writing: comments ----------------------------------------------------------------------


def test_members_and_guests_comment_on_ideas_they_see(world, member, guest):
    _people, ideas = world
    idea = ideas["public"]
    url = f"{IDEAS}/{idea.pk}/comments"

    response = writer(guest).post(url, {"body": "Aus Sicht der Wissenschaft …"}, "application/json")
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "Miriam Yilmaz"
    parent = response.json()["id"]
    reply = writer(member).post(url, {"body": "Danke!", "parent": parent}, "application/json")
    assert (reply.status_code, reply.json()["parent"]) == (201, parent)
    idea.refresh_from_db()
    assert idea.comment_count == 3
    assert [r["body"] for r in api(member).get(url).json()["items"][1]["replies"]] == ["Danke!"]


@pytest.mark.parametrize(
    "body",
    [
        {"body": ""},
        {"body": "   "},
        {"body": "x" * 5001},
        {"body": 42},
        {},
        {"body": "ok", "author": 1},
        {"body": "ok", "parent": "eins"},
        {"body": "ok", "parent": True},
        {"body": "Nul\x00l"},
    ],
)
def test_a_bad_comment_is_refused_and_nothing_is_written(world, member, body):
    _people, ideas = world

    response = writer(member).post(
        f"{IDEAS}/{ideas['public'].pk}/comments", body, "application/json"
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]
    assert Comment.objects.count() == 3


def test_a_reply_to_a_comment_elsewhere_or_a_hidden_one_is_refused(world, member, staff):
    _people, ideas = world
    elsewhere = Comment.objects.get(idea=ideas["members"])
    hidden = CommentFactory(
        idea=ideas["public"], hidden_at=timezone.now(), hidden_by=staff, hidden_reason="Spam"
    )
    url = f"{IDEAS}/{ideas['public'].pk}/comments"
    client = writer(member)

    other = client.post(url, {"body": "Antwort", "parent": elsewhere.pk}, "application/json")
    closed = client.post(url, {"body": "Antwort", "parent": hidden.pk}, "application/json")

    assert (other.status_code, other.json()["errors"][0]["field"]) == (422, "parent")
    assert (closed.status_code, closed.json()["errors"][0]["field"]) == (409, "parent")
    assert Comment.objects.count() == 4


# --- Writing: a new idea --------------------------------------------------------------------


def test_a_member_submits_an_idea_with_co_authors_and_topics(member):
    heat = TopicFactory(name="Wärme", slug="waerme")
    co = MemberFactory(first_name="Clara", last_name="Ko")
    ProfileFactory(user=co, in_directory=True)

    response = writer(member).post(
        IDEAS,
        new_idea(topics=["waerme"], co_authors=[co.pk], visibility="public"),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    idea = Idea.objects.get()
    assert body["id"] == idea.pk
    assert (body["stage"], body["visibility"], body["topics"][0]["slug"]) == (
        "idee",
        "public",
        "waerme",
    )
    assert set(idea.authors.all()) == {member, co}
    assert idea.topics.get() == heat
    assert idea.municipality == member.municipality
    assert idea.created_by == member
    assert [step["to_stage"] for step in body["history"]] == ["idee"]


def test_a_member_names_the_session_an_idea_was_born_in():
    past = EventFactory(starts_on=timezone.localdate() - datetime.timedelta(days=30))
    session = SessionFactory(event=past)
    member = MemberFactory()

    response = writer(member).post(
        IDEAS, new_idea(origin_session=session.pk, municipality=None), "application/json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["origin_session"]["title"] == session.title
    assert Idea.objects.get().municipality is None


def test_the_office_names_the_authors_and_is_none_of_them(staff, member):
    client = writer(staff)

    refused = client.post(IDEAS, new_idea(), content_type="application/json")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["co_authors"]
    response = client.post(IDEAS, new_idea(co_authors=[member.pk]), "application/json")
    assert response.status_code == 201
    assert list(Idea.objects.get().authors.all()) == [member]


def test_guests_do_not_submit_ideas(guest):
    response = writer(guest).post(IDEAS, new_idea(), content_type="application/json")

    assert response.status_code == 403
    assert Idea.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"problem": "x" * 5001}, "problem"),
        ({"kind": "magisch"}, "kind"),
        ({"kind": 3}, "kind"),
        ({"topics": "waerme"}, "topics"),
        ({"topics": ["gibt-es-nicht"]}, "topics"),
        ({"topics": ["archiv"]}, "topics"),
        ({"co_authors": ["Anna"]}, "co_authors.0"),
        ({"co_authors": ["1"]}, "co_authors.0"),
        ({"group": False}, "group"),
        ({"title": "Nul\x00l"}, "title"),
        ({"municipality": ""}, "municipality"),
        ({"visibility": "staff"}, "visibility"),
        ({"visibility": "group"}, "visibility"),
        ({"municipality": "99999999"}, "municipality"),
        ({"origin_session": 999999}, "origin_session"),
        ({"stage": "pilot"}, "stage"),
        ({"support_count": 1000}, "support_count"),
    ],
)
def test_bad_input_for_a_new_idea_is_refused_and_nothing_is_created(member, fields, field):
    TopicFactory(name="Archiv", slug="archiv", is_active=False)
    TopicFactory(name="Wärme", slug="waerme")

    response = writer(member).post(IDEAS, new_idea(**fields), content_type="application/json")

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Idea.objects.count() == 0


def test_co_authors_are_members_of_the_directory_only(member):
    hidden = MemberFactory()
    ProfileFactory(user=hidden, in_directory=False)
    outsider = GuestFactory()

    for person in (hidden, outsider, member):
        response = writer(member).post(IDEAS, new_idea(co_authors=[person.pk]), "application/json")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "co_authors"
    assert Idea.objects.count() == 0


def test_a_group_is_one_of_ones_own(member):
    mine = IdeaGroupFactory(members=[member])
    other = IdeaGroupFactory()
    client = writer(member)

    refused = client.post(IDEAS, new_idea(visibility="group", group=other.pk), "application/json")
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "group")
    assert Idea.objects.count() == 0
    ok = client.post(IDEAS, new_idea(visibility="group", group=mine.pk), "application/json")
    assert (ok.status_code, ok.json()["group"]) == (201, mine.name)


# --- Query budgets --------------------------------------------------------------------------


def ideas_with_everything(count: int) -> None:
    topics = [TopicFactory(), TopicFactory()]
    session = SessionFactory()
    pilot = PilotFactory()
    for _ in range(count):
        authors = [MemberFactory(), MemberFactory()]
        ProfileFactory(user=authors[0])
        idea = IdeaFactory(
            visibility="public", topics=topics, authors=authors, origin_session=session, pilot=pilot
        )
        SupportFactory(idea=idea)
        comment = CommentFactory(idea=idea)
        CommentFactory(idea=idea, parent=comment)


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_has_a_fixed_query_budget(count, member, django_assert_num_queries):
    ideas_with_everything(count)
    anonymous, signed_in = api(None), api(member)
    signed_in.get(IDEAS)  # the token's first use records the time

    # the version of the cached answer; count, page, topics
    with django_assert_num_queries(4):
        assert len(titles(anonymous.get(IDEAS))) == count
    # the same call again: the version only
    with django_assert_num_queries(1):
        assert len(titles(anonymous.get(IDEAS))) == count
    # + the token, the authors with their profiles
    with django_assert_num_queries(6):
        assert len(titles(signed_in.get(IDEAS, {"ordering": "-supports"}))) == count


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_and_the_discussion_have_fixed_query_budgets(
    count, member, django_assert_num_queries
):
    ideas_with_everything(1)
    idea = Idea.objects.get()
    for _ in range(count - 1):
        CommentFactory(idea=idea, parent=CommentFactory(idea=idea))
    client = api(member)
    client.get(IDEAS)

    # token, idea, authors, topics, history, own support
    with django_assert_num_queries(6):
        assert client.get(f"{IDEAS}/{idea.pk}").status_code == 200
    # token, idea, count, page, replies
    with django_assert_num_queries(5):
        response = client.get(f"{IDEAS}/{idea.pk}/comments")
    assert len(response.json()["items"]) == count
