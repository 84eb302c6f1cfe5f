"""The idea's page: what it shows to whom, hidden comments, hostile input, its query budget."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import cast

import pytest
from django.test import Client
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.ideas import engagement
from innoclub.ideas.models import Comment, Idea, IdeaAttachment, Stage, StageChange
from innoclub.network.models import FederalState, Topic
from innoclub.pilots.models import PilotProject
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import (
    CommentFactory,
    EvaluationAssignmentFactory,
    IdeaFactory,
    PilotInterestFactory,
)

pytestmark = pytest.mark.django_db


def url(idea) -> str:
    return f"/ideen/{idea.pk}/"


def attach(idea, name: str = "Konzept.pdf", size: int = 2048) -> IdeaAttachment:
    return IdeaAttachment.objects.create(
        idea=idea, file="idea_files/test", name=name, content_type="application/pdf", size=size
    )


@pytest.fixture
def author():
    person = MemberFactory(first_name="Anna", last_name="Autorin")
    ProfileFactory(user=person, in_directory=True)
    return person


def test_the_page_shows_text_stage_history_and_where_the_idea_comes_from(member_client, author):
    topic = TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    place = MunicipalityFactory(name="Ludwigsburg", ags="08118048", state=FederalState.BW)
    session = SessionFactory(
        event=EventFactory(title="22. Deutschlandforum", slug="deutschlandforum-22"),
        title="Werkstatt Bürgerdienste",
        slug="werkstatt-buergerdienste",
    )
    pilot = PilotProject.objects.create(title="Videosprechstunde Ludwigsburg", slug="video")
    idea = IdeaFactory(
        title="Videosprechstunde im Bürgeramt",
        problem="Termine sind *knapp*.",
        context="In Ludwigsburg warten Menschen drei Wochen.",
        goals="Wartezeit halbieren",
        success_criteria="Zufriedenheit über 80 %",
        stage=Stage.PILOT,
        municipality=place,
        origin_session=session,
        pilot=pilot,
        authors=[author],
        topics=[topic],
    )
    StageChange.objects.create(
        idea=idea,
        from_stage=Stage.IDEA,
        to_stage=Stage.CONCEPT,
        rationale="Viele Kommunen haben dasselbe Problem.",
    )
    attach(idea, "Konzept Videosprechstunde.pdf")
    PilotInterestFactory(idea=idea, user=MemberFactory(municipality=place), note="Bürgeramt Nord")

    html = member_client.get(url(idea)).content.decode()

    assert "<h1" in html and "Videosprechstunde im Bürgeramt</h1>" in html
    assert "Phase: Pilot" in html
    assert 'aria-current="step">Pilot</li>' in html
    assert "Termine sind <em>knapp</em>." in html
    assert "<strong>Videosprechstunde</strong>" in html
    assert "In Ludwigsburg warten Menschen drei Wochen." in html
    assert "Wartezeit halbieren" in html and "Zufriedenheit über 80 %" in html
    assert "Technisch" in html
    assert (
        '<a class="kern-link" href="/themen/digitale-verwaltung/">Digitale Verwaltung</a>' in html
    )
    assert f'<a class="kern-link" href="/mitglieder/{author.pk}/">Anna Autorin</a>' in html
    assert 'href="/foren/deutschlandforum-22/programm/werkstatt-buergerdienste/"' in html
    assert "Videosprechstunde Ludwigsburg" in html
    assert 'href="/pilotprojekte/video/"' in html
    attachment = idea.attachments.get()
    assert f'href="/ideen/{idea.pk}/dateien/{attachment.pk}/"' in html
    assert "Konzept Videosprechstunde.pdf" in html
    assert "Viele Kommunen haben dasselbe Problem." in html
    assert 'Idee <span aria-hidden="true">→</span>' in html
    assert 'href="/kommunen/08118048/">Ludwigsburg</a>' in html
    assert "Bürgeramt Nord" in html


def test_concept_headings_appear_only_for_filled_fields(member_client):
    idea = IdeaFactory(goals="Wartezeit halbieren")

    html = member_client.get(url(idea)).content.decode()

    assert "Ziele</h3>" in html
    assert "Risiken</h3>" not in html


def test_names_are_linked_only_where_the_profile_is_shared_with_the_viewer(member_client):
    shared = MemberFactory(first_name="Anna", last_name="Autorin")
    ProfileFactory(user=shared, in_directory=True)
    private = MemberFactory(first_name="Paul", last_name="Privat")
    ProfileFactory(user=private, in_directory=False)
    idea = IdeaFactory(authors=[shared, private])

    html = member_client.get(url(idea)).content.decode()

    assert f'href="/mitglieder/{shared.pk}/"' in html
    assert f'href="/mitglieder/{private.pk}/"' not in html
    assert "Paul Privat" in html


def test_the_public_sees_names_only_of_people_who_agreed_to_be_listed(anon_client):
    listed = MemberFactory(first_name="Lena", last_name="Listig")
    ProfileFactory(user=listed, public_listing=True)
    unlisted = MemberFactory(first_name="Ulf", last_name="Ungenannt")
    idea = IdeaFactory(visibility=Visibility.PUBLIC, authors=[listed, unlisted])
    CommentFactory(idea=idea, author=MemberFactory(first_name="Karl", last_name="Kommentar"))

    html = anon_client.get(url(idea)).content.decode()

    assert "Lena Listig" in html
    assert "Ulf Ungenannt" not in html
    assert "Karl Kommentar" not in html
    assert "Ein Mitglied des Clubs" in html
    assert "/mitglieder/" not in html
    assert "Melden Sie sich an, um mitzudiskutieren." in html


def test_guests_see_names_without_links_to_profiles(guest_client, author):
    idea = IdeaFactory(visibility=Visibility.PUBLIC, authors=[author])

    html = guest_client.get(url(idea)).content.decode()

    assert "Anna Autorin" in html
    assert "/mitglieder/" not in html


def test_an_idea_the_viewer_may_not_see_answers_404(guest_client, anon_client):
    idea = IdeaFactory(visibility=Visibility.MEMBERS)

    assert guest_client.get(url(idea)).status_code == 404
    assert anon_client.get(url(idea)).status_code == 404
    assert anon_client.get("/ideen/999999/").status_code == 404


def test_authors_edit_while_the_idea_is_open_and_others_never(member_client, member):
    own = IdeaFactory(authors=[member])
    piloted = IdeaFactory(authors=[member], stage=Stage.PILOT)
    foreign = IdeaFactory()

    assert f'href="/ideen/{own.pk}/bearbeiten/"' in member_client.get(url(own)).content.decode()
    assert "/bearbeiten/" not in member_client.get(url(piloted)).content.decode()
    assert "/bearbeiten/" not in member_client.get(url(foreign)).content.decode()


def test_staff_see_the_office_links_on_every_comment(staff_client):
    idea = IdeaFactory()
    comment = CommentFactory(idea=idea)

    html = staff_client.get(url(idea)).content.decode()

    assert f'href="/ideen/{idea.pk}/kommentare/{comment.pk}/ausblenden/"' in html


# --- Hidden comments -------------------------------------------------------


@pytest.fixture
def hidden(staff):
    idea = IdeaFactory()
    writer = MemberFactory(first_name="Holger", last_name="Hitzig")
    comment = CommentFactory(idea=idea, author=writer, body="Unsachlicher Beitrag voller Gift")
    engagement.comment_hide(comment=comment, by=staff, reason="Persönlicher Angriff")
    return idea, writer, comment


def test_other_members_see_only_a_placeholder_for_a_hidden_comment(member_client, hidden):
    idea, _writer, _comment = hidden

    html = member_client.get(url(idea)).content.decode()

    assert "Dieser Beitrag wurde von der Geschäftsstelle ausgeblendet." in html
    assert "voller Gift" not in html
    assert "Persönlicher Angriff" not in html
    assert "Holger Hitzig" not in html


def test_the_author_of_a_hidden_comment_reads_the_reason(hidden):
    idea, writer, _comment = hidden

    html = login_client(writer).get(url(idea)).content.decode()

    assert "Dieser Beitrag wurde von der Geschäftsstelle ausgeblendet." in html
    assert "Persönlicher Angriff" in html
    assert "voller Gift" not in html


def test_the_office_reads_text_and_reason_and_may_restore(staff_client, hidden):
    idea, _writer, comment = hidden

    html = staff_client.get(url(idea)).content.decode()

    assert "voller Gift" in html
    assert "Persönlicher Angriff" in html
    assert f'action="/ideen/{idea.pk}/kommentare/{comment.pk}/wiederherstellen/"' in html
    assert f"/kommentare/{comment.pk}/ausblenden/" not in html


def test_a_hidden_comment_offers_no_reply(member_client, hidden):
    idea, _writer, comment = hidden

    html = member_client.get(url(idea)).content.decode()

    assert f'name="antwort_auf" value="{comment.pk}"' not in html


# --- Evaluation ------------------------------------------------------------


def test_evaluators_get_the_link_but_notes_stay_with_the_office(member_client, member):
    idea = IdeaFactory()
    evaluator = GuestFactory()
    EvaluationAssignmentFactory(idea=idea, evaluator=evaluator, note="Vertraulich: zu teuer")
    EvaluationAssignmentFactory(idea=idea, evaluator=member, note="Vertraulich: gut")

    evaluator_html = login_client(evaluator).get(url(idea)).content.decode()
    member_html = member_client.get(url(idea)).content.decode()
    author_html = login_client(idea.authors.get()).get(url(idea)).content.decode()

    assert f'href="/ideen/{idea.pk}/bewertung/"' in evaluator_html
    assert "Idee bewerten" in evaluator_html
    for html in (evaluator_html, member_html, author_html):
        assert "Vertraulich" not in html
    assert "/bewertung/" not in author_html


# --- Hostile input -----------------------------------------------------------

PAYLOADS = [
    "<script>alert('x')</script>",
    '<svg onload="alert(1)">',
    '<img src=x onerror="alert(2)">',
    "[klick](javascript:alert(3))",
    "[bild](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="javascript:alert(4)">link</a>',
    "\"><script>alert('attr')</script>",
]
HOSTILE = "\n\n".join(PAYLOADS)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value}>")
            if name in {"href", "src", "action", "formaction"} and value:
                self.links.append(value.strip().lower())


def assert_inert(html: str) -> None:
    found = _Collector()
    found.feed(html)
    assert [
        s.get("src", "") for s in found.scripts if not (s.get("src") or "").startswith("/static/")
    ] == []
    assert found.handlers == []
    assert [link for link in found.links if link.startswith(("javascript:", "data:"))] == []


def test_hostile_text_in_every_field_renders_inert(member_client, member, staff):
    member.municipality.name = "<script>alert('ort')</script>"
    member.municipality.save()
    idea = IdeaFactory(
        title="<script>alert('titel')</script>",
        problem=HOSTILE,
        proposal=HOSTILE,
        context=HOSTILE,
        goals=HOSTILE,
        audience=HOSTILE,
        resources=HOSTILE,
        risks=HOSTILE,
        success_criteria=HOSTILE,
        visibility=Visibility.PUBLIC,
        authors=[MemberFactory(first_name="<svg onload=alert(5)>", last_name=PAYLOADS[0])],
        topics=[TopicFactory(name="<img src=x onerror=alert(6)>")],
        pilot=PilotProject.objects.create(title=PAYLOADS[1] + PAYLOADS[0], slug="boese"),
    )
    StageChange.objects.create(
        idea=idea,
        from_stage=Stage.IDEA,
        to_stage=Stage.CONCEPT,
        rationale=HOSTILE,
        changed_by=staff,
    )
    attach(idea, name='"><script>alert(7)</script>.pdf')
    top = CommentFactory(idea=idea, body=HOSTILE)
    CommentFactory(idea=idea, parent=top, body=HOSTILE)
    hidden = CommentFactory(idea=idea, body=HOSTILE)
    engagement.comment_hide(comment=hidden, by=staff, reason=HOSTILE)
    PilotInterestFactory(idea=idea, user=member, note=HOSTILE)

    for client in (member_client, login_client(staff), login_client(hidden.author), Client()):
        response = client.get(url(idea))
        assert response.status_code == 200
        assert_inert(response.content.decode())


# --- Query budget ------------------------------------------------------------

# member: session, user, an own comment still open to editing?, the version of
# the page's rendered content; when it is not cached: idea, authors,
# topics, history, attachments, interests, supported?, following?, evaluation,
# the version of the rendered discussion, and when that is not cached: threads
# (count), comments, replies
BUDGET = 17
KEPT_BUDGET = 4


def _crowded_idea(items: int) -> Idea:
    idea = cast(Idea, IdeaFactory(authors=[MemberFactory() for _ in range(items)]))
    idea.topics.set([cast(Topic, TopicFactory()) for _ in range(items)])
    for n in range(items):
        author = MemberFactory()
        ProfileFactory(user=author)
        top = CommentFactory(idea=idea, author=author)
        CommentFactory(idea=idea, parent=top, author=MemberFactory())
        attach(idea, f"Datei {n}.pdf")
        PilotInterestFactory(idea=idea)
        StageChange.objects.create(
            idea=idea, from_stage=Stage.IDEA, to_stage=Stage.CONCEPT, rationale=f"Schritt {n}"
        )
    hidden = cast(Comment, CommentFactory(idea=idea))
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Werbung")
    return idea


@pytest.mark.parametrize("items", [1, 5])
def test_the_page_runs_a_fixed_number_of_queries(
    member_client, django_assert_max_num_queries, items
):
    idea = _crowded_idea(items)
    member_client.get("/")  # the first request of a login stores the session clock

    with django_assert_max_num_queries(BUDGET):
        response = member_client.get(url(idea))
    with django_assert_max_num_queries(KEPT_BUDGET):
        again = member_client.get(url(idea))

    assert response.status_code == 200
    assert again.content.decode().count('class="comment-thread"') == items + 1


@pytest.mark.parametrize("items", [1, 5])
def test_the_public_page_runs_a_fixed_number_of_queries(
    anon_client, django_assert_max_num_queries, items
):
    idea = _crowded_idea(items)
    idea.visibility = Visibility.PUBLIC
    idea.save()

    # the version of the page's rendered content; when it is not cached: idea,
    # authors, topics, history, attachments, interests, the version of the
    # rendered discussion, and when that is not cached: threads (count),
    # comments, replies
    with django_assert_max_num_queries(11):
        response = anon_client.get(url(idea))
    with django_assert_max_num_queries(1):
        again = anon_client.get(url(idea))
    assert again.content == response.content

    assert response.status_code == 200
