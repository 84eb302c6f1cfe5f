"""Taking part in an idea through its page: comments and replies, the edit window,
"Ich unterstütze", "Wir würden mitmachen" and following — with and without htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.ideas import engagement
from innoclub.ideas.models import GROUP, Comment, Follow, Idea, PilotInterest, Support
from tests.conftest import login_client
from tests.factories import MemberFactory
from tests.ideas_factories import (
    CommentFactory,
    FollowFactory,
    IdeaFactory,
    IdeaGroupFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def base(idea: Idea) -> str:
    return f"/ideen/{idea.pk}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def counts(idea: Idea) -> tuple[int, int]:
    idea.refresh_from_db()
    return idea.support_count, idea.comment_count


# --- Comments -------------------------------------------------------------


def test_a_member_comments_without_javascript_and_lands_on_the_comment(member_client, member):
    idea = IdeaFactory()

    response = member_client.post(
        base(idea) + "kommentare/", {"body": "Gute Idee, wir sind dabei."}
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ideen/{idea.pk}/#kommentar-{comment.pk}"
    assert messages_of(response) == ["Ihr Kommentar ist veröffentlicht."]
    assert (comment.author, comment.body, comment.parent) == (
        member,
        "Gute Idee, wir sind dabei.",
        None,
    )
    assert counts(idea) == (0, 1)
    assert Follow.objects.filter(idea=idea, user=member).exists()


def test_with_htmx_the_discussion_comes_back_with_the_new_comment(member_client):
    idea = IdeaFactory()

    response = member_client.post(base(idea) + "kommentare/", {"body": "Wir testen das."}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="section idea-discussion" id="kommentare"')
    assert "Wir testen das." in html
    assert "Diskussion (1 Beitrag)" in html
    assert "Ihr Kommentar ist veröffentlicht." in html


def test_an_empty_comment_is_refused_and_the_page_explains_why(member_client):
    idea = IdeaFactory()

    response = member_client.post(base(idea) + "kommentare/", {"body": "   "})

    assert response.status_code == 400
    assert "Bitte schreiben Sie einen Kommentar." in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_too_long_comment_is_refused_and_the_text_is_kept(member_client):
    idea = IdeaFactory()
    text = "Sehr ausführlich. " * 300

    response = member_client.post(base(idea) + "kommentare/", {"body": text}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert "Sehr ausführlich. Sehr ausführlich." in html
    assert Comment.objects.count() == 0


def test_a_reply_hangs_under_its_comment(member_client, member):
    idea = IdeaFactory()
    top = CommentFactory(idea=idea)

    response = member_client.post(
        base(idea) + "kommentare/", {"body": "Genau so!", "antwort_auf": top.pk}
    )

    reply = Comment.objects.get(body="Genau so!")
    assert response["Location"] == f"/ideen/{idea.pk}/#kommentar-{reply.pk}"
    assert messages_of(response) == ["Ihre Antwort ist veröffentlicht."]
    assert reply.parent == top
    assert counts(idea) == (0, 2)


def test_a_reply_to_a_reply_joins_the_thread_of_its_comment(member_client):
    idea = IdeaFactory()
    top = CommentFactory(idea=idea)
    reply = CommentFactory(idea=idea, parent=top)

    member_client.post(base(idea) + "kommentare/", {"body": "Ich auch.", "antwort_auf": reply.pk})

    assert Comment.objects.get(body="Ich auch.").parent == top


def test_a_reply_to_a_comment_of_another_idea_is_not_found(member_client):
    idea = IdeaFactory()
    elsewhere = CommentFactory()

    response = member_client.post(
        base(idea) + "kommentare/", {"body": "Hallo", "antwort_auf": elsewhere.pk}
    )

    assert response.status_code == 404
    assert Comment.objects.filter(body="Hallo").count() == 0


def test_a_hidden_comment_cannot_be_answered(member_client, staff):
    idea = IdeaFactory()
    top = CommentFactory(idea=idea)
    engagement.comment_hide(comment=top, by=staff, reason="Werbung")

    response = member_client.post(
        base(idea) + "kommentare/", {"body": "Trotzdem", "antwort_auf": top.pk}, **HTMX
    )

    assert (
        "Auf einen ausgeblendeten Kommentar kann man nicht antworten." in response.content.decode()
    )
    assert Comment.objects.filter(body="Trotzdem").count() == 0


def test_guests_comment_on_ideas_they_see(guest_client, guest):
    public = IdeaFactory(visibility=Visibility.PUBLIC)
    members_only = IdeaFactory(visibility=Visibility.MEMBERS)

    seen = guest_client.post(base(public) + "kommentare/", {"body": "Aus Sicht der Forschung …"})
    unseen = guest_client.post(base(members_only) + "kommentare/", {"body": "Hallo"})

    assert seen.status_code == 302
    assert unseen.status_code == 404
    assert list(Comment.objects.values_list("idea_id", "author_id")) == [(public.pk, guest.pk)]


def test_anonymous_visitors_are_sent_to_sign_in(anon_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)

    response = anon_client.post(base(idea) + "kommentare/", {"body": "Hallo"})

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert Comment.objects.count() == 0


# --- The edit window ---------------------------------------------------------


def test_the_author_corrects_a_comment_within_fifteen_minutes(member_client, member):
    idea = IdeaFactory()
    comment = CommentFactory(idea=idea, author=member, body="Tippfeler")
    edit = f"{base(idea)}kommentare/{comment.pk}/bearbeiten/"

    form = member_client.get(edit)
    response = member_client.post(edit, {"body": "Tippfehler"})

    assert "Tippfeler" in form.content.decode()
    assert response["Location"] == f"/ideen/{idea.pk}/#kommentar-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "Tippfehler"
    assert comment.edited_at is not None
    assert "bearbeitet" in member_client.get(base(idea)).content.decode()


def test_after_fifteen_minutes_the_comment_stays_as_it_was(member_client, member):
    idea = IdeaFactory()
    comment = CommentFactory(idea=idea, author=member, body="Erste Fassung")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    edit = f"{base(idea)}kommentare/{comment.pk}/bearbeiten/"

    response = member_client.post(edit, {"body": "Zweite Fassung"})

    assert response.status_code == 302
    assert messages_of(response) == [
        "Kommentare können Sie nur in den ersten 15 Minuten nach dem Schreiben ändern."
    ]
    comment.refresh_from_db()
    assert comment.body == "Erste Fassung"
    assert (
        f"kommentare/{comment.pk}/bearbeiten/" not in member_client.get(base(idea)).content.decode()
    )


def test_nobody_else_edits_a_comment(member_client):
    idea = IdeaFactory()
    comment = CommentFactory(idea=idea, body="Mein Text")
    edit = f"{base(idea)}kommentare/{comment.pk}/bearbeiten/"

    assert member_client.get(edit).status_code == 404
    assert member_client.post(edit, {"body": "Fremder Text"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Mein Text"


def test_an_edit_link_appears_only_on_own_fresh_comments(member_client, member):
    idea = IdeaFactory()
    own = CommentFactory(idea=idea, author=member)
    other = CommentFactory(idea=idea)

    html = member_client.get(base(idea)).content.decode()

    assert f"kommentare/{own.pk}/bearbeiten/" in html
    assert f"kommentare/{other.pk}/bearbeiten/" not in html


def test_an_emptied_comment_is_refused_on_the_edit_page(member_client, member):
    idea = IdeaFactory()
    comment = CommentFactory(idea=idea, author=member, body="Bleibt")

    response = member_client.post(f"{base(idea)}kommentare/{comment.pk}/bearbeiten/", {"body": ""})

    assert response.status_code == 400
    assert "Bitte schreiben Sie einen Kommentar." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Bleibt"


# --- Ich unterstütze -------------------------------------------------------------


def test_supporting_twice_counts_once(member_client, member):
    idea = IdeaFactory()

    first = member_client.post(base(idea) + "unterstuetzen/", {"aktion": "hinzufuegen"})
    member_client.post(base(idea) + "unterstuetzen/", {"aktion": "hinzufuegen"})

    assert first["Location"] == f"/ideen/{idea.pk}/#unterstuetzen"
    assert Support.objects.filter(idea=idea).count() == 1
    assert counts(idea) == (1, 0)


def test_with_htmx_the_button_comes_back_with_the_new_count(member_client):
    idea = IdeaFactory()
    SupportFactory(idea=idea)

    response = member_client.post(base(idea) + "unterstuetzen/", {"aktion": "hinzufuegen"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div class="idea-support" id="unterstuetzen">')
    assert '<span class="idea-support__number">2</span> Unterstützungen' in html
    assert "Sie unterstützen diese Idee." in html
    assert 'name="aktion" value="entfernen"' in html


def test_support_can_be_taken_back_and_never_goes_below_zero(member_client, member):
    idea = IdeaFactory()
    SupportFactory(idea=idea, user=member)
    SupportFactory(idea=idea)

    member_client.post(base(idea) + "unterstuetzen/", {"aktion": "entfernen"})
    member_client.post(base(idea) + "unterstuetzen/", {"aktion": "entfernen"})

    assert not Support.objects.filter(idea=idea, user=member).exists()
    assert counts(idea) == (1, 0)


@pytest.mark.parametrize("persona", ["guest", "staff"])
def test_only_members_support(persona, request):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    client = login_client(request.getfixturevalue(persona))

    response = client.post(base(idea) + "unterstuetzen/", {"aktion": "hinzufuegen"})

    assert response.status_code == 404
    assert counts(idea) == (0, 0)
    assert "Ich unterstütze" not in client.get(base(idea)).content.decode()


def test_a_member_cannot_support_an_idea_they_do_not_see(member_client):
    hidden = IdeaFactory(visibility=GROUP, group=IdeaGroupFactory())

    response = member_client.post(base(hidden) + "unterstuetzen/", {"aktion": "hinzufuegen"})

    assert response.status_code == 404
    assert Support.objects.count() == 0


# --- Wir würden mitmachen ---------------------------------------------------------


def test_a_member_declares_the_interest_of_their_municipality(member_client, member):
    idea = IdeaFactory()

    response = member_client.post(
        base(idea) + "mitmachen/", {"aktion": "erklaeren", "note": "Bürgeramt Nord"}
    )

    assert response["Location"] == f"/ideen/{idea.pk}/#mitmachen"
    assert messages_of(response) == ["Das Interesse Ihrer Kommune ist vermerkt."]
    interest = PilotInterest.objects.get()
    assert (interest.municipality, interest.user, interest.note) == (
        member.municipality,
        member,
        "Bürgeramt Nord",
    )
    html = member_client.get(base(idea)).content.decode()
    assert f"{member.municipality.name}</a>" in html
    assert "Bürgeramt Nord" in html


def test_a_second_declaration_from_the_same_municipality_updates_the_first(member_client, member):
    idea = IdeaFactory()
    colleague = MemberFactory(municipality=member.municipality)
    login_client(colleague).post(base(idea) + "mitmachen/", {"note": "Erste Notiz"})

    response = member_client.post(base(idea) + "mitmachen/", {"note": "Zweite Notiz"}, **HTMX)

    assert PilotInterest.objects.filter(idea=idea).count() == 1
    interest = PilotInterest.objects.get()
    assert (interest.note, interest.user) == ("Zweite Notiz", member)
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="idea-interest" id="mitmachen"')
    assert "Zweite Notiz" in html and "Erste Notiz" not in html


def test_a_member_without_municipality_is_told_and_nothing_is_stored(member_client, member):
    member.municipality = None
    member.save()
    idea = IdeaFactory()

    response = member_client.post(base(idea) + "mitmachen/", {"note": "Wir auch"})

    assert messages_of(response) == [
        "Ihr Konto ist keiner Kommune zugeordnet. Bitte wenden Sie sich an die Geschäftsstelle."
    ]
    assert PilotInterest.objects.count() == 0


def test_guests_cannot_declare_interest(guest_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)

    response = guest_client.post(base(idea) + "mitmachen/", {"note": "Wir auch"})

    assert response.status_code == 404
    assert PilotInterest.objects.count() == 0


def test_the_interest_can_be_withdrawn(member_client, member):
    idea = IdeaFactory()
    member_client.post(base(idea) + "mitmachen/", {"note": ""})

    response = member_client.post(base(idea) + "mitmachen/", {"aktion": "zurueckziehen"})

    assert messages_of(response)[-1] == "Das Interesse Ihrer Kommune ist zurückgezogen."
    assert PilotInterest.objects.count() == 0


def test_an_overlong_note_is_refused(member_client):
    idea = IdeaFactory()

    response = member_client.post(base(idea) + "mitmachen/", {"note": "x" * 1001}, **HTMX)

    assert 'role="alert"' in response.content.decode()
    assert PilotInterest.objects.count() == 0


# --- Following -------------------------------------------------------------------


def test_follow_and_stop_following(member_client, member):
    idea = IdeaFactory()

    followed = member_client.post(base(idea) + "folgen/", {"aktion": "folgen"})
    again = member_client.post(base(idea) + "folgen/", {"aktion": "folgen"}, **HTMX)

    assert followed["Location"] == f"/ideen/{idea.pk}/#folgen"
    assert Follow.objects.filter(idea=idea, user=member).count() == 1
    assert 'name="aktion" value="entfolgen"' in again.content.decode()

    member_client.post(base(idea) + "folgen/", {"aktion": "entfolgen"})

    assert not Follow.objects.filter(idea=idea, user=member).exists()


def test_guests_follow_ideas_they_see(guest_client, guest):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    FollowFactory(idea=idea, user=MemberFactory())

    guest_client.post(base(idea) + "folgen/", {"aktion": "folgen"})

    assert Follow.objects.filter(idea=idea, user=guest).exists()


def test_the_actions_answer_only_to_post(member_client):
    idea = IdeaFactory()

    for action in ("kommentare/", "unterstuetzen/", "mitmachen/", "folgen/"):
        assert member_client.get(base(idea) + action).status_code == 405
