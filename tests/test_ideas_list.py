"""The list of ideas at /ideen/: who sees what, filters, sorting, pages, htmx, queries;
and the short lists of ideas on forum session, topic and municipality pages."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.ideas.models import GROUP, Idea, Kind, Stage
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import CommentFactory, IdeaFactory, IdeaGroupFactory

pytestmark = pytest.mark.django_db

URL = "/ideen/"


CARD_TITLE = re.compile(r'class="kern-title result-card__title"><a [^>]*>([^<]*)</a>')


def titles(response) -> list[str]:
    """The titles of the idea cards, in the order the page shows them."""
    return [html.unescape(title) for title in CARD_TITLE.findall(response.content.decode())]


# --- Who sees which idea ------------------------------------------------------


@pytest.fixture
def shared(member, guest, staff):
    """One idea of each sharing level by one author, and a group with one member."""
    author = MemberFactory(first_name="Anna", last_name="Autorin")
    group_member = MemberFactory(first_name="Gero", last_name="Gruppe")
    group = IdeaGroupFactory(name="Arbeitskreis Wärme", members=[group_member, guest])
    IdeaFactory(title="Öffentliche Idee", visibility=Visibility.PUBLIC, authors=[author])
    IdeaFactory(title="Idee für Mitglieder", visibility=Visibility.MEMBERS, authors=[author])
    IdeaFactory(title="Idee der Gruppe", visibility=GROUP, group=group, authors=[author])
    return {"author": author, "group member": group_member}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"Öffentliche Idee"}),
        ("guest", {"Öffentliche Idee", "Idee der Gruppe"}),
        ("member", {"Öffentliche Idee", "Idee für Mitglieder"}),
        ("group member", {"Öffentliche Idee", "Idee für Mitglieder", "Idee der Gruppe"}),
        ("author", {"Öffentliche Idee", "Idee für Mitglieder", "Idee der Gruppe"}),
        ("staff", {"Öffentliche Idee", "Idee für Mitglieder", "Idee der Gruppe"}),
    ],
)
def test_the_list_shows_each_person_exactly_the_ideas_shared_with_them(
    shared, persona, expected, anon_client, guest_client, member_client, staff_client
):
    clients = {
        "anonymous": anon_client,
        "guest": guest_client,
        "member": member_client,
        "staff": staff_client,
        "group member": login_client(shared["group member"]),
        "author": login_client(shared["author"]),
    }

    response = clients[persona].get(URL)

    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_hidden_ideas_leave_no_trace_in_the_page(shared, anon_client):
    html = anon_client.get(URL).content.decode()

    assert "Öffentliche Idee" in html
    assert "Idee für Mitglieder" not in html
    assert "Idee der Gruppe" not in html
    assert "1 Idee gefunden" in html


def test_members_see_the_authors_names_the_public_and_guests_only_the_municipality(
    anon_client, guest_client, member_client
):
    town = MunicipalityFactory(name="Bad Hersfeld")
    author = MemberFactory(first_name="Anna", last_name="Autorin", municipality=town)
    IdeaFactory(
        title="Leihrad für Azubis",
        visibility=Visibility.PUBLIC,
        municipality=town,
        authors=[author, MemberFactory(first_name="Bert", last_name="Becker")],
    )

    member_html = member_client.get(URL).content.decode()
    for client in (anon_client, guest_client):
        html = client.get(URL).content.decode()
        assert "Bad Hersfeld" in html
        assert "Autorin" not in html
        assert "Becker" not in html

    assert "Von Anna Autorin, Bert Becker · Bad Hersfeld" in " ".join(member_html.split())


def test_a_card_shows_stage_kind_topics_counts_and_the_forum_it_came_from(member_client):
    session = SessionFactory(title="Werkstatt Wärmeplanung", event__title="22. Deutschlandforum")
    topic = TopicFactory(name="Energie", slug="energie")
    idea = IdeaFactory(
        title="Wärmekataster für alle",
        stage=Stage.CONCEPT,
        kind=Kind.SOCIAL,
        origin_session=session,
        topics=[topic],
        support_count=4,
    )
    CommentFactory(idea=idea)

    html = " ".join(member_client.get(URL).content.decode().split())

    assert f'href="/ideen/{idea.pk}/"' in html
    assert "Phase: Konzept" in html
    assert "Sozial" in html
    assert 'href="/ideen/?thema=energie">Energie</a>' in html
    assert "4 Unterstützungen" in html
    assert "1 Kommentar" in html
    assert (
        f'Entstanden in <a class="kern-link" href="/foren/{session.event.slug}/programm/'
        f'{session.slug}/">Werkstatt Wärmeplanung</a> (22. Deutschlandforum)'
    ) in html


def test_a_public_idea_does_not_name_a_session_of_a_forum_the_visitor_cannot_see(anon_client):
    hidden_forum = EventFactory(title="Klausur der Mitglieder", visibility=Visibility.MEMBERS)
    session = SessionFactory(event=hidden_forum, title="Geheime Runde")
    IdeaFactory(title="Offene Idee", visibility=Visibility.PUBLIC, origin_session=session)

    response = anon_client.get(URL)
    html = response.content.decode()

    assert titles(response) == ["Offene Idee"]
    assert "Geheime Runde" not in html
    assert "Klausur der Mitglieder" not in html


def test_members_and_the_office_get_the_button_to_submit_an_idea(
    anon_client, guest_client, member_client, staff_client
):
    button = 'href="/ideen/neu/"'

    assert button in member_client.get(URL).content.decode()
    assert button in staff_client.get(URL).content.decode()
    assert button not in guest_client.get(URL).content.decode()
    assert button not in anon_client.get(URL).content.decode()


def test_the_main_navigation_leads_to_the_ideas_and_marks_them_as_current(anon_client):
    home = anon_client.get("/").content.decode()
    ideas = anon_client.get(URL).content.decode()

    assert '<a class="site-nav__link" href="/ideen/">Ideen</a>' in home
    assert '<a class="site-nav__link" href="/ideen/" aria-current="page">Ideen</a>' in ideas


# --- Empty states ----------------------------------------------------------------


def test_an_empty_forge_invites_members_to_submit_the_first_idea(member_client, anon_client):
    member_html = member_client.get(URL).content.decode()
    anon_html = anon_client.get(URL).content.decode()

    assert "0 Ideen gefunden" in member_html
    assert "Reichen Sie die erste Idee ein." in member_html
    assert "Mitglieder melden sich an, um sie zu sehen." in anon_html


def test_filters_without_results_say_so_and_offer_all_ideas(member_client):
    IdeaFactory(stage=Stage.IDEA)

    html = member_client.get(URL, {"phase": Stage.TRANSFER}).content.decode()

    assert "Keine Idee passt zu diesen Filtern." in html
    assert '<a class="kern-link" href="/ideen/">Alle Ideen anzeigen</a>' in html


# --- Filters, sorting, pages -----------------------------------------------------------


@pytest.fixture
def forge():
    energy = TopicFactory(name="Energie", slug="energie")
    mobility = TopicFactory(name="Mobilität", slug="mobilitaet")
    forum = SessionFactory(event__slug="deutschlandforum-22", event__title="22. Deutschlandforum")
    other_forum = SessionFactory(event__slug="werkstatt-7", event__title="7. Werkstatt")
    IdeaFactory(
        title="Solardächer",
        stage=Stage.CONCEPT,
        kind=Kind.TECHNICAL,
        topics=[energy],
        origin_session=forum,
    )
    IdeaFactory(
        title="Nachbarschaftsauto",
        stage=Stage.IDEA,
        kind=Kind.SOCIAL,
        topics=[mobility, energy],
        origin_session=other_forum,
    )
    IdeaFactory(
        title="Dienstradleasing", stage=Stage.PILOT, kind=Kind.ORGANISATIONAL, topics=[mobility]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"phase": "konzept"}, {"Solardächer"}),
        ({"thema": "energie"}, {"Solardächer", "Nachbarschaftsauto"}),
        ({"art": "organisatorisch"}, {"Dienstradleasing"}),
        ({"forum": "deutschlandforum-22"}, {"Solardächer"}),
        ({"thema": "mobilitaet", "art": "sozial"}, {"Nachbarschaftsauto"}),
        ({"thema": "energie", "phase": "pilot"}, set()),
    ],
)
def test_filters_narrow_the_list(forge, member_client, query, expected):
    assert set(titles(member_client.get(URL, query))) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"phase": "unbekannt"},
        {"art": "<script>"},
        {"sortierung": "'; DROP TABLE ideas_idea; --"},
        {"seite": "abc"},
        {"seite": "999"},
        {"thema": "gibt-es-nicht" * 20},
    ],
)
def test_strange_filter_values_are_ignored_not_errors(forge, member_client, query):
    response = member_client.get(URL, query)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_the_forum_filter_offers_only_forums_ideas_came_from(forge, member_client):
    EventFactory(slug="ohne-ideen", title="Forum ohne Ideen")

    options = member_client.get(URL).context["options"]

    assert [slug for slug, _title in options.forums] == ["deutschlandforum-22", "werkstatt-7"]


def test_sorting_by_newest_support_and_discussion(member_client):
    now = timezone.now()
    old = IdeaFactory(title="Alt, viel unterstützt", support_count=9)
    middle = IdeaFactory(title="Mittel, viel diskutiert", comment_count=7)
    new = IdeaFactory(title="Neu")
    for days, idea in ((30, old), (10, middle), (1, new)):
        Idea.objects.filter(pk=idea.pk).update(created_at=now - datetime.timedelta(days=days))

    newest = titles(member_client.get(URL))
    supported = titles(member_client.get(URL, {"sortierung": "unterstuetzung"}))
    discussed = titles(member_client.get(URL, {"sortierung": "diskussion"}))

    assert newest == ["Neu", "Mittel, viel diskutiert", "Alt, viel unterstützt"]
    assert supported == ["Alt, viel unterstützt", "Neu", "Mittel, viel diskutiert"]
    assert discussed == ["Mittel, viel diskutiert", "Neu", "Alt, viel unterstützt"]


def test_long_lists_are_paged_and_page_links_keep_the_filters(member_client):
    author = MemberFactory()
    for number in range(23):
        IdeaFactory(title=f"Idee {number:02d}", kind=Kind.SOCIAL, authors=[author])
    IdeaFactory(title="Technisch", kind=Kind.TECHNICAL, authors=[author])

    first = member_client.get(URL, {"art": "sozial"})
    second = member_client.get(URL, {"art": "sozial", "seite": "2"})

    assert len(titles(first)) == 20
    assert titles(second) == ["Idee 02", "Idee 01", "Idee 00"]
    assert 'href="?art=sozial&amp;seite=2" rel="next"' in first.content.decode()
    assert "Seite 2 von 2" in second.content.decode()


# --- htmx and the address ---------------------------------------------------------------


def test_htmx_gets_only_the_results_and_caches_keep_them_apart(forge, member_client):
    response = member_client.get(URL, {"phase": "pilot"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert "<html" not in html
    assert "1 Idee gefunden" in html
    assert "Dienstradleasing" in html
    assert "Solardächer" not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_restoring_the_history_gets_the_whole_page(forge, member_client):
    response = member_client.get(
        URL, {"phase": "pilot"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.content.decode()


def test_without_javascript_the_filter_form_is_a_plain_get_form_that_keeps_its_state(
    forge, member_client
):
    html = member_client.get(URL, {"phase": "konzept", "sortierung": "diskussion"}).content.decode()

    assert '<form class="idea-browser__filters kern-stack" method="get" action="/ideen/"' in html
    assert 'data-hx-push-url="true"' in html
    assert '<option value="konzept" selected>Konzept</option>' in html
    assert '<option value="diskussion" selected>' in html
    assert '<a class="kern-link" href="/ideen/">Filter zurücksetzen</a>' in html


# --- Queries ------------------------------------------------------------------------------


def _ideas_with_everything(count: int) -> None:
    topic = TopicFactory()
    for _n in range(count):
        IdeaFactory(
            visibility=Visibility.PUBLIC,
            municipality=MunicipalityFactory(),
            origin_session=SessionFactory(),
            topics=[topic, TopicFactory()],
            authors=[MemberFactory(), MemberFactory()],
        )


@pytest.mark.parametrize("count", [1, 3, 8])
def test_list_query_budget_does_not_grow_with_ideas(
    count, anon_client, member_client, django_assert_max_num_queries
):
    _ideas_with_everything(count)
    member_client.get(URL)  # the first request of a login stores the session clock

    # the version of the cached results and filter form, then count, page,
    # topics, authors; the version of the cached filter choices, then the
    # forums and topics
    with django_assert_max_num_queries(8):
        response = anon_client.get(URL)
    assert len(titles(response)) == count
    # once rendered, the version only
    with django_assert_max_num_queries(1):
        again = anon_client.get(URL)
    assert titles(again) == titles(response)
    # + session and user
    with django_assert_max_num_queries(10):
        member_client.get(URL, {"sortierung": "unterstuetzung"})
    # htmx: the results without the filter form
    with django_assert_max_num_queries(7):
        member_client.get(URL, {"thema": "thema-0"}, HTTP_HX_REQUEST="true")


# --- Other pages link the ideas -----------------------------------------------------------


def test_a_forum_session_page_lists_the_ideas_born_there_as_the_visitor_may_see_them(
    anon_client, member_client
):
    session = SessionFactory(event__starts_on=timezone.localdate() - datetime.timedelta(days=60))
    IdeaFactory(title="Öffentlich entstanden", visibility=Visibility.PUBLIC, origin_session=session)
    IdeaFactory(title="Unter Mitgliedern", visibility=Visibility.MEMBERS, origin_session=session)
    url = f"/foren/{session.event.slug}/programm/{session.slug}/"

    public = anon_client.get(url).content.decode()
    members = member_client.get(url).content.decode()

    assert "Ideen aus dieser Sitzung" in public
    assert "Öffentlich entstanden" in public
    assert "Unter Mitgliedern" not in public
    assert "Unter Mitgliedern" in members
    assert f'href="/ideen/neu/?sitzung={session.pk}"' in members
    assert "/ideen/neu/" not in public


def test_a_session_of_a_forum_still_to_come_offers_no_idea_link(member_client):
    session = SessionFactory()  # the factory's forum is in 30 days

    html = member_client.get(f"/foren/{session.event.slug}/programm/{session.slug}/")

    assert "Ideen aus dieser Sitzung" not in html.content.decode()


def test_the_topic_page_lists_its_ideas_and_links_the_filtered_list(anon_client, member_client):
    topic = TopicFactory(name="Energie", slug="energie")
    IdeaFactory(title="Bürgerwindpark", visibility=Visibility.PUBLIC, topics=[topic])
    IdeaFactory(title="Interne Wärmeidee", topics=[topic])
    IdeaFactory(title="Anderes Thema", visibility=Visibility.PUBLIC)

    public = anon_client.get("/themen/energie/").content.decode()
    members = member_client.get("/themen/energie/").content.decode()

    assert "Ideen zu diesem Thema" in public
    assert "Bürgerwindpark" in public
    assert "Interne Wärmeidee" not in public
    assert "Anderes Thema" not in public
    assert "Interne Wärmeidee" in members
    assert 'href="/ideen/?thema=energie"' in public


def test_the_municipality_page_lists_the_ideas_set_there(anon_client, member_client):
    town = MunicipalityFactory(ags="06611000", name="Kassel")
    IdeaFactory(title="Kasseler Idee", visibility=Visibility.PUBLIC, municipality=town)
    IdeaFactory(title="Kasseler Interna", municipality=town)
    IdeaFactory(title="Woanders", visibility=Visibility.PUBLIC)

    public = anon_client.get("/kommunen/06611000/").content.decode()
    members = member_client.get("/kommunen/06611000/").content.decode()

    assert "Ideen von hier" in public
    assert "Kasseler Idee" in public
    assert "Kasseler Interna" not in public
    assert "Woanders" not in public
    assert "Kasseler Interna" in members


def test_pages_without_ideas_show_no_empty_idea_section(anon_client):
    TopicFactory(slug="leer")
    MunicipalityFactory(ags="06611000")

    assert "Ideen zu diesem Thema" not in anon_client.get("/themen/leer/").content.decode()
    assert "Ideen von hier" not in anon_client.get("/kommunen/06611000/").content.decode()


def test_guests_see_group_ideas_they_belong_to_but_not_members_ideas_on_topic_pages():
    topic = TopicFactory(slug="energie")
    guest = GuestFactory()
    group = IdeaGroupFactory(members=[guest])
    IdeaFactory(title="Für die Gruppe", visibility=GROUP, group=group, topics=[topic])
    IdeaFactory(title="Nur Mitglieder", topics=[topic])

    html = login_client(guest).get("/themen/energie/").content.decode()

    assert "Für die Gruppe" in html
    assert "Nur Mitglieder" not in html
