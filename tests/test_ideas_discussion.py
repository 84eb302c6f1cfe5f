"""A long discussion: one reply form for the chosen comment, pages of threads,
lasting links to comments, rendered texts from the cache, a fixed query budget."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.ideas import engagement
from innoclub.ideas.models import Comment, Idea
from innoclub.ideas.selectors import THREADS_PER_PAGE
from tests.ideas_factories import CommentFactory, IdeaFactory
from tests.test_ideas_detail import BUDGET, KEPT_BUDGET

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(idea: Idea) -> str:
    return f"/ideen/{idea.pk}/"


def discussion(threads: int, *, replies: int = 0) -> tuple[Idea, list[Comment]]:
    """An idea with ``threads`` comments, an hour apart, and ``replies`` under the first."""
    idea = cast(Idea, IdeaFactory(visibility=Visibility.PUBLIC))
    start = timezone.now() - timedelta(days=30)
    comments = [
        cast(Comment, CommentFactory(idea=idea, body=f"Beitrag Nummer {n}")) for n in range(threads)
    ]
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(created_at=start + timedelta(hours=n))
    for n in range(replies):
        CommentFactory(idea=idea, parent=comments[0], body=f"Antwort Nummer {n}")
    return idea, comments


def test_the_page_holds_no_reply_form_until_a_comment_is_chosen(member_client):
    idea, comments = discussion(3)

    html = member_client.get(url(idea)).content.decode()

    assert 'name="antwort_auf"' not in html
    for comment in comments:
        assert f'href="/ideen/{idea.pk}/?antwort={comment.pk}#antwort-{comment.pk}"' in html


def test_without_javascript_the_reply_link_opens_one_form_under_the_chosen_comment(member_client):
    idea, comments = discussion(3)
    chosen = comments[1]

    response = member_client.get(url(idea), {"antwort": chosen.pk})
    html = response.content.decode()

    assert html.count('name="antwort_auf"') == 1
    assert f'<form class="comment-form comment-reply" id="antwort-{chosen.pk}"' in html
    assert f'name="antwort_auf" value="{chosen.pk}"' in html
    # the form sits in the chosen thread: after its comment, before the next one
    assert html.index(f'id="kommentar-{chosen.pk}"') < html.index(f'id="antwort-{chosen.pk}"')
    assert html.index(f'id="antwort-{chosen.pk}"') < html.index(f'id="kommentar-{comments[2].pk}"')
    assert f"?antwort={chosen.pk}#" not in html
    assert f"?antwort={comments[0].pk}#" in html


def test_the_chosen_form_sends_a_reply_to_that_comment(member_client):
    idea, comments = discussion(2)

    response = member_client.post(
        f"/ideen/{idea.pk}/kommentare/", {"body": "Gute Frage.", "antwort_auf": comments[1].pk}
    )

    reply = Comment.objects.get(body="Gute Frage.")
    assert reply.parent == comments[1]
    assert response["Location"] == f"/ideen/{idea.pk}/#kommentar-{reply.pk}"


def test_htmx_gets_the_reply_form_alone(member_client):
    idea, comments = discussion(2)

    response = member_client.get(url(idea), {"antwort": comments[0].pk}, **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith("<form")
    assert f'name="antwort_auf" value="{comments[0].pk}"' in html
    assert "autofocus" in html
    assert "HX-Request" in response["Vary"]


def test_a_hidden_comment_or_a_stranger_gets_no_reply_form(member_client, anon_client, staff):
    idea, comments = discussion(2)
    engagement.comment_hide(comment=comments[0], by=staff, reason="Werbung")
    other = cast(Comment, CommentFactory())

    assert member_client.get(url(idea), {"antwort": comments[0].pk}, **HTMX).status_code == 404
    assert member_client.get(url(idea), {"antwort": other.pk}, **HTMX).status_code == 404
    assert anon_client.get(url(idea), {"antwort": comments[1].pk}, **HTMX).status_code == 404
    page = member_client.get(url(idea), {"antwort": comments[0].pk}).content.decode()
    assert 'name="antwort_auf"' not in page


def test_a_refused_reply_comes_back_in_its_form_with_the_text(member_client):
    idea, comments = discussion(2)

    response = member_client.post(
        f"/ideen/{idea.pk}/kommentare/", {"body": "x" * 6000, "antwort_auf": comments[1].pk}
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert html.count('name="antwort_auf"') == 1
    assert f'name="antwort_auf" value="{comments[1].pk}"' in html
    assert "x" * 6000 in html


# --- Pages of a long discussion ----------------------------------------------


def test_a_long_discussion_comes_in_pages_of_threads_oldest_first(anon_client):
    idea, comments = discussion(THREADS_PER_PAGE + 2)

    first = anon_client.get(url(idea)).content.decode()
    second = anon_client.get(url(idea), {"seite": 2}).content.decode()

    assert first.count('class="comment-thread"') == THREADS_PER_PAGE
    assert f'id="kommentar-{comments[0].pk}"' in first
    assert f'id="kommentar-{comments[-1].pk}"' not in first
    assert "Seite 1 von 2" in first
    assert f'href="/ideen/{idea.pk}/?seite=2#kommentare"' in first
    assert second.count('class="comment-thread"') == 2
    assert f'id="kommentar-{comments[-1].pk}"' in second
    assert f'href="/ideen/{idea.pk}/?seite=1#kommentare" rel="prev"' in second


def test_a_short_discussion_shows_no_pages(anon_client):
    idea, _comments = discussion(3)

    html = anon_client.get(url(idea)).content.decode()

    assert 'class="pagination"' not in html
    assert html.count('class="comment-thread"') == 3


def test_the_reply_link_keeps_the_page(member_client):
    idea, comments = discussion(THREADS_PER_PAGE + 1)
    last = comments[-1]

    html = member_client.get(url(idea), {"seite": 2}).content.decode()
    opened = member_client.get(url(idea), {"seite": 2, "antwort": last.pk}).content.decode()

    assert f'href="/ideen/{idea.pk}/?seite=2&amp;antwort={last.pk}#antwort-{last.pk}"' in html
    assert f'name="antwort_auf" value="{last.pk}"' in opened


def test_a_lasting_link_finds_a_comment_and_a_reply_on_their_page(member_client):
    idea, comments = discussion(THREADS_PER_PAGE + 1)
    late = comments[-1]
    reply = cast(Comment, CommentFactory(idea=idea, parent=late))
    early_reply = cast(Comment, CommentFactory(idea=idea, parent=comments[0]))

    def link(comment: Comment) -> str:
        return member_client.get(f"/ideen/{idea.pk}/kommentare/{comment.pk}/")["Location"]

    assert link(late) == f"/ideen/{idea.pk}/?seite=2#kommentar-{late.pk}"
    assert link(reply) == f"/ideen/{idea.pk}/?seite=2#kommentar-{reply.pk}"
    assert link(early_reply) == f"/ideen/{idea.pk}/#kommentar-{early_reply.pk}"
    page = member_client.get(f"/ideen/{idea.pk}/", {"seite": 2}).content.decode()
    assert f'id="kommentar-{reply.pk}"' in page


def test_a_lasting_link_answers_404_where_the_idea_or_comment_is_not_visible(
    anon_client, member_client
):
    idea, comments = discussion(1)
    members_only = cast(Idea, IdeaFactory(visibility=Visibility.MEMBERS))
    hidden_from_public = cast(Comment, CommentFactory(idea=members_only))

    assert anon_client.get(f"/ideen/{idea.pk}/kommentare/999999/").status_code == 404
    assert (
        anon_client.get(f"/ideen/{members_only.pk}/kommentare/{hidden_from_public.pk}/").status_code
        == 404
    )
    assert (
        member_client.get(f"/ideen/{idea.pk}/kommentare/{hidden_from_public.pk}/").status_code
        == 404
    )
    assert anon_client.get(f"/ideen/{idea.pk}/kommentare/{comments[0].pk}/").status_code == 302


def test_a_new_comment_in_a_long_discussion_lands_on_the_last_page(member_client):
    idea, _comments = discussion(THREADS_PER_PAGE)

    response = member_client.post(f"/ideen/{idea.pk}/kommentare/", {"body": "Spät, aber dabei."})
    htmx = member_client.post(f"/ideen/{idea.pk}/kommentare/", {"body": "Mit htmx."}, **HTMX)

    comment = Comment.objects.get(body="Spät, aber dabei.")
    assert response["Location"] == f"/ideen/{idea.pk}/?seite=2#kommentar-{comment.pk}"
    assert "Mit htmx." in htmx.content.decode()
    assert "Seite 2 von 2" in htmx.content.decode()


# --- Rendered texts ----------------------------------------------------------------


def test_a_corrected_comment_shows_its_new_text_at_once(member_client, member):
    idea = cast(Idea, IdeaFactory())
    comment = engagement.comment_create(idea=idea, author=member, body="Erste **Fassung**")
    assert "Erste <strong>Fassung</strong>" in member_client.get(url(idea)).content.decode()

    engagement.comment_update(comment=comment, by=member, body="Zweite **Fassung**")

    html = member_client.get(url(idea)).content.decode()
    assert "Zweite <strong>Fassung</strong>" in html
    assert "Erste" not in html


@pytest.mark.parametrize("threads", [1, THREADS_PER_PAGE * 3])
def test_a_long_discussion_stays_within_the_query_budget(
    threads, member_client, anon_client, django_assert_max_num_queries
):
    idea, _comments = discussion(threads, replies=3)
    member_client.get("/")  # the first request of a login stores the session clock

    # as the page's test says (test_ideas_detail.py)
    with django_assert_max_num_queries(BUDGET):
        member = member_client.get(url(idea), {"seite": 2})
    with django_assert_max_num_queries(KEPT_BUDGET):
        member_client.get(url(idea), {"seite": 2})
    with django_assert_max_num_queries(11):
        public = anon_client.get(url(idea))

    expected = min(threads, THREADS_PER_PAGE)
    assert public.content.decode().count('class="comment-thread"') == expected
    assert member.status_code == 200
