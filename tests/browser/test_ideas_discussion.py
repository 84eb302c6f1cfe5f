"""An idea's discussion in the browser: a member follows, comments, replies and supports
(htmx, no page reload); the author finds the notification; the page on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest
from playwright.sync_api import Page, expect

from innoclub.ideas import engagement
from innoclub.ideas.models import Comment, Follow, Idea, Stage, StageChange, Support
from tests.browser.helpers import assert_accessible, sign_in, wait_for_path
from tests.factories import MemberFactory, ProfileFactory, TopicFactory
from tests.ideas_factories import CommentFactory, IdeaFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_member_discusses_and_supports_an_idea_and_the_author_is_told(
    open_page: Callable[..., Page], member, password
):
    author = MemberFactory(email="autorin@example.org", first_name="Anna", last_name="Autorin")
    ProfileFactory(user=author, in_directory=True)
    idea = cast(
        Idea,
        IdeaFactory(
            title="Bürgerbus auf Abruf",
            authors=[author],
            topics=[TopicFactory(name="Mobilität", slug="mobilitaet")],
        ),
    )
    CommentFactory(idea=idea, body="Wie wird das finanziert?")

    page = open_page()
    sign_in(page, member.email, password)
    wait_for_path(page, "/konto/")
    page.goto(f"/ideen/{idea.pk}/")
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Bürgerbus auf Abruf")

    page.get_by_role("button", name="Idee folgen").click()
    expect(page.get_by_role("button", name="Nicht mehr folgen")).to_be_visible()

    page.get_by_label("Ihr Kommentar").fill("Wir haben so etwas in Tübingen gesehen.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.locator("#kommentare")).to_contain_text("Wir haben so etwas in Tübingen gesehen.")
    expect(page.locator("#kommentare h2")).to_have_text("Diskussion (2 Beiträge)")
    expect(page.get_by_role("button", name="Nicht mehr folgen")).to_be_visible()

    # one reply form on the page: htmx fetches it for the chosen comment, with the focus
    page.get_by_role("link", name="Antworten").first.click()
    expect(page.get_by_label("Ihre Antwort")).to_be_focused()
    page.get_by_label("Ihre Antwort").fill("Über den Kreis.")
    page.get_by_role("button", name="Antwort senden").first.click()
    expect(page.locator(".comment-list--replies")).to_contain_text("Über den Kreis.")

    page.get_by_role("button", name="Ich unterstütze").click()
    expect(page.locator(".idea-support__number")).to_have_text("1")
    expect(page.get_by_role("button", name="Unterstützung zurücknehmen")).to_be_visible()
    assert_accessible(page)

    assert Support.objects.filter(idea=idea, user=member).count() == 1
    assert Follow.objects.filter(idea=idea, user=member).exists()
    reply = Comment.objects.get(body="Über den Kreis.")
    assert reply.parent is not None and reply.parent.body == "Wie wird das finanziert?"

    reader = open_page()
    sign_in(reader, "autorin@example.org", password)
    wait_for_path(reader, "/konto/")
    assert_accessible(reader)
    # the comment and the reply
    expect(reader.locator("main")).to_contain_text("(2 neue)")
    reader.get_by_role("link", name="Benachrichtigungen aus der Ideenschmiede").click()
    wait_for_path(reader, "/konto/benachrichtigungen/")
    assert_accessible(reader)
    expect(reader.locator(".notification--unread")).to_have_count(2)
    expect(reader.locator(".notification--unread").first).to_contain_text(
        "Thomas Berger hat „Bürgerbus auf Abruf“ kommentiert."
    )
    reader.get_by_role("button", name="Alle als gelesen markieren").click()
    wait_for_path(reader, "/konto/benachrichtigungen/")
    expect(reader.locator(".notification--unread")).to_have_count(0)
    assert_accessible(reader)


def test_without_javascript_a_comment_still_lands_on_the_page(
    browser, live_server, member, password
):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    page = context.new_page()
    idea = IdeaFactory(title="Bürgerbus auf Abruf")
    sign_in(page, member.email, password)
    page.goto(f"/ideen/{idea.pk}/")

    page.get_by_label("Ihr Kommentar").fill("Auch ohne Skript.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    page.wait_for_url(f"**/ideen/{idea.pk}/#kommentar-*")
    expect(page.locator("#kommentare")).to_contain_text("Auch ohne Skript.")
    expect(page.locator(".site-messages")).to_contain_text("Ihr Kommentar ist veröffentlicht.")

    page.get_by_role("button", name="Ich unterstütze").click()
    page.wait_for_url(f"**/ideen/{idea.pk}/#unterstuetzen")
    expect(page.locator(".idea-support__number")).to_have_text("1")

    page.get_by_role("link", name="Antworten").click()
    page.wait_for_url(f"**/ideen/{idea.pk}/?antwort=*#antwort-*")
    page.get_by_label("Ihre Antwort").fill("Auch die Antwort.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.locator(".comment-list--replies")).to_contain_text("Auch die Antwort.")
    context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_long_discussion_with_a_hidden_comment_and_a_history_reads_well(
    open_page: Callable[..., Page], viewport: str, member, staff, password
):
    idea = cast(
        Idea,
        IdeaFactory(
            title="Gemeinsame Wärmeplanung für kleine Gemeinden im ländlichen Raum",
            goals="Alle Gemeinden des Kreises haben bis 2028 einen Wärmeplan.",
            stage=Stage.CONCEPT,
        ),
    )
    StageChange.objects.create(
        idea=idea,
        from_stage=Stage.IDEA,
        to_stage=Stage.CONCEPT,
        rationale="Sieben Kommunen haben Interesse; ein Konzept lohnt sich.",
        changed_by=staff,
    )
    first = CommentFactory(idea=idea, body="Eine sehr gute Idee, " * 12)
    CommentFactory(idea=idea, parent=first, body="Dem schließe ich mich an.")
    rude = cast(Comment, CommentFactory(idea=idea, body="Unsachlich"))
    engagement.comment_hide(comment=rude, by=staff, reason="Persönlicher Angriff")
    CommentFactory(
        idea=idea,
        author=member,
        body="https://example.org/ein-sehr-langer-link-ohne-umbruch-" + "x" * 60,
    )

    page = open_page(viewport)
    sign_in(page, member.email, password)
    wait_for_path(page, "/konto/")
    page.goto(f"/ideen/{idea.pk}/")
    assert_accessible(page)
    expect(page.locator(".comment--hidden")).to_contain_text(
        "Dieser Beitrag wurde von der Geschäftsstelle ausgeblendet."
    )
    expect(page.locator("#verlauf .timeline__entry")).to_have_count(2)

    page.get_by_role("link", name="Bearbeiten Ihren Kommentar").click()
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Kommentar bearbeiten")
