"""Who hears about what in the idea forge, in the app and by e-mail (at once, daily or
never), and the person's notification page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from innoclub.core.access import Visibility
from innoclub.ideas import engagement, notifications, services
from innoclub.ideas.models import GROUP, Frequency, Idea, Notification, NotificationKind, Stage
from tests.conftest import login_client
from tests.factories import GuestFactory, MemberFactory
from tests.ideas_factories import (
    CommentFactory,
    EvaluationAssignmentFactory,
    FollowFactory,
    IdeaFactory,
    IdeaGroupFactory,
)

pytestmark = pytest.mark.django_db


def received(kind: str | None = None) -> dict[int, set[str]]:
    """Recipient id → kinds of notifications they got."""
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    found: dict[int, set[str]] = {}
    for recipient_id, row_kind in rows.values_list("recipient_id", "kind"):
        found.setdefault(recipient_id, set()).add(row_kind)
    return found


def html_of(message) -> str:
    return str(message.alternatives[0][0])


@pytest.fixture
def author():
    return MemberFactory(first_name="Anna", last_name="Autorin", email="anna@example.org")


@pytest.fixture
def idea(author):
    return IdeaFactory(title="Bürgerbus auf Abruf", authors=[author])


# --- Who is told -------------------------------------------------------------


def test_authors_and_followers_hear_of_a_comment_but_not_the_commenter(idea, author, member):
    follower = FollowFactory(idea=idea).user

    engagement.comment_create(idea=idea, author=member, body="Spannend!")

    assert received() == {author.pk: {"comment"}, follower.pk: {"comment"}}


def test_the_author_of_a_comment_hears_of_a_reply_once(idea, author, member):
    follower = FollowFactory(idea=idea).user
    top = engagement.comment_create(idea=idea, author=member, body="Frage: Wer fährt?")
    Notification.objects.all().delete()
    answerer = MemberFactory()

    engagement.comment_create(idea=idea, author=answerer, body="Ehrenamtliche.", parent=top)

    # the commenter follows the idea now, but hears of the reply once, as a reply
    assert received() == {
        member.pk: {"reply"},
        author.pk: {"comment"},
        follower.pk: {"comment"},
    }


def test_nobody_is_told_about_their_own_comment(idea, author):
    engagement.comment_create(idea=idea, author=author, body="Nachtrag der Autorin")

    assert received() == {}


def test_a_stage_change_reaches_authors_and_followers_with_its_reason(
    idea, author, staff, django_capture_on_commit_callbacks
):
    follower = FollowFactory(idea=idea).user

    with django_capture_on_commit_callbacks(execute=True):
        services.idea_move_to_stage(
            idea=idea, to_stage=Stage.CONCEPT, rationale="Drei Kommunen wollen mitmachen.", by=staff
        )

    assert received() == {author.pk: {"stage"}, follower.pk: {"stage"}}
    message = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    assert message.subject == "„Bürgerbus auf Abruf“ ist in eine neue Phase gewechselt"
    assert "„Bürgerbus auf Abruf“ ist jetzt in der Phase „Konzept“." in message.body
    assert "Drei Kommunen wollen mitmachen." in message.body
    assert f"/ideen/{idea.pk}/#verlauf" in message.body


def test_followers_who_can_no_longer_see_the_idea_are_not_told(idea, author, member):
    FollowFactory(idea=idea, user=member)
    Idea.objects.filter(pk=idea.pk).update(visibility=GROUP, group=IdeaGroupFactory())

    engagement.comment_create(idea=idea, author=MemberFactory(), body="Nur für die Gruppe")

    assert received() == {author.pk: {"comment"}}


def test_a_guest_follower_hears_only_of_public_ideas(author):
    guest = GuestFactory()
    public = IdeaFactory(visibility=Visibility.PUBLIC, authors=[author])
    FollowFactory(idea=public, user=guest)

    engagement.comment_create(idea=public, author=MemberFactory(), body="Öffentlich")
    Idea.objects.filter(pk=public.pk).update(visibility=Visibility.MEMBERS)
    engagement.comment_create(idea=public, author=MemberFactory(), body="Intern")

    assert Notification.objects.filter(recipient=guest).count() == 1


# --- E-mail at once ------------------------------------------------------------


def test_an_immediate_email_quotes_the_comment_and_links_to_it(
    idea, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = engagement.comment_create(idea=idea, author=member, body="Wir hatten das 2022.")

    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == "Neuer Kommentar zu „Bürgerbus auf Abruf“"
    assert "Thomas Berger hat „Bürgerbus auf Abruf“ kommentiert." in message.body
    assert "Wir hatten das 2022." in message.body
    # a lasting link that finds the comment on whichever page of the discussion it is
    assert f"/ideen/{idea.pk}/kommentare/{comment.pk}/" in message.body
    assert f'/ideen/{idea.pk}/kommentare/{comment.pk}/"' in html_of(message)
    assert "/konto/benachrichtigungen/#einstellung" in message.body


def test_the_author_of_a_hidden_comment_reads_the_reason_by_email(
    idea, member, staff, django_capture_on_commit_callbacks
):
    comment = CommentFactory(idea=idea, author=member, body="<b>Werbung</b> für uns")
    notifications.notification_setting_update(user=idea.authors.get(), frequency=Frequency.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        engagement.comment_hide(comment=comment, by=staff, reason="Werbung & Eigenlob")

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Die Geschäftsstelle hat Ihren Kommentar zu „Bürgerbus auf Abruf“ ausgeblendet." in (
        message.body
    )
    assert "Werbung & Eigenlob" in message.body
    assert "Werbung &amp; Eigenlob" in html_of(message)


def test_an_evaluator_is_sent_to_the_evaluation_form(
    idea, staff, django_capture_on_commit_callbacks
):
    evaluator = GuestFactory(email="eva@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_evaluation_assigned(
            assignment=EvaluationAssignmentFactory(
                idea=idea, evaluator=evaluator, assigned_by=staff
            )
        )

    (message,) = mail.outbox
    assert message.to == ["eva@example.org"]
    assert f"/ideen/{idea.pk}/bewertung/" in message.body
    assert f'/ideen/{idea.pk}/bewertung/"' in html_of(message)


def test_with_email_off_nothing_is_sent_but_the_list_has_it(
    idea, author, member, django_capture_on_commit_callbacks
):
    notifications.notification_setting_update(user=author, frequency=Frequency.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        engagement.comment_create(idea=idea, author=member, body="Stille Post")
    call_command("send_idea_digest", stdout=StringIO())

    assert mail.outbox == []
    assert received() == {author.pk: {"comment"}}


# --- The daily digest -----------------------------------------------------------


def test_the_digest_sends_everything_new_in_one_email_and_never_twice(
    idea, author, member, staff, django_capture_on_commit_callbacks
):
    notifications.notification_setting_update(user=author, frequency=Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        engagement.comment_create(idea=idea, author=member, body="Erster")
        engagement.comment_create(idea=idea, author=MemberFactory(), body="Zweiter")
        services.idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Weiter", by=staff)
    assert [m for m in mail.outbox if m.to == ["anna@example.org"]] == []
    mail.outbox.clear()  # the first commenter follows the idea and is told at once

    first, second = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_idea_digest", stdout=first)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_idea_digest", stdout=second)

    assert first.getvalue() == "1 digest e-mail(s) queued.\n"
    assert second.getvalue() == "0 digest e-mail(s) queued.\n"
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == "Neues aus der Ideenschmiede"
    assert "(3 Benachrichtigungen)" in message.body
    assert message.body.count("hat „Bürgerbus auf Abruf“ kommentiert.") == 2
    assert "„Bürgerbus auf Abruf“ ist jetzt in der Phase „Konzept“." in message.body
    assert html_of(message).count(f"/ideen/{idea.pk}/kommentare/") == 2
    assert html_of(message).count(f"/ideen/{idea.pk}/#verlauf") == 1


def test_a_digest_after_new_activity_holds_only_the_new_entries(
    idea, author, member, django_capture_on_commit_callbacks
):
    notifications.notification_setting_update(user=author, frequency=Frequency.DAILY)
    engagement.comment_create(idea=idea, author=member, body="Gestern")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_idea_digest", stdout=StringIO())
    engagement.comment_create(idea=idea, author=MemberFactory(), body="Heute")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_idea_digest", stdout=StringIO())

    assert len(mail.outbox) == 2
    assert "(eine Benachrichtigung)" in mail.outbox[1].body


# --- The page ---------------------------------------------------------------------


def test_the_page_lists_notifications_newest_first_with_the_unread_marked(idea, author, member):
    client = login_client(author)
    engagement.comment_create(idea=idea, author=member, body="Eins")
    Notification.objects.update(read_at="2026-01-01T00:00Z")
    reply_to = engagement.comment_create(
        idea=idea, author=MemberFactory(first_name="Zora"), body="Zwei"
    )

    html = client.get("/konto/benachrichtigungen/").content.decode()

    assert "Sie haben 1 ungelesene Benachrichtigung aus der Ideenschmiede." in html
    assert html.count("notification--unread") == 1
    assert html.index("Zora") < html.index("Thomas Berger")
    assert f'href="/ideen/{idea.pk}/kommentare/{reply_to.pk}/"' in html


def test_notifications_about_an_idea_no_longer_shared_with_the_person_drop_from_the_list(
    idea, author, member
):
    FollowFactory(idea=idea, user=member)
    engagement.comment_create(idea=idea, author=author, body="Neuer Stand der Planung")
    client = login_client(member)
    assert client.get("/konto/benachrichtigungen/").context["unread"] == 1
    group = IdeaGroupFactory(members=[author])
    Idea.objects.filter(pk=idea.pk).update(visibility=GROUP, group=group)

    response = client.get("/konto/benachrichtigungen/")

    assert response.context["unread"] == 0
    assert list(response.context["notifications"]) == []
    assert "Bürgerbus auf Abruf" not in response.content.decode()


def test_mark_all_as_read(idea, author, member):
    client = login_client(author)
    engagement.comment_create(idea=idea, author=member, body="Eins")
    engagement.comment_create(idea=idea, author=MemberFactory(), body="Zwei")

    response = client.post("/konto/benachrichtigungen/", {"aktion": "gelesen"})

    assert response["Location"] == "/konto/benachrichtigungen/"
    assert Notification.objects.filter(recipient=author, read_at__isnull=True).count() == 0


def test_the_email_setting_is_saved_and_shown(member_client, member):
    response = member_client.post(
        "/konto/benachrichtigungen/", {"aktion": "einstellung", "frequency": "daily"}
    )

    assert response["Location"] == "/konto/benachrichtigungen/#einstellung"
    assert notifications.frequency_of(member) == Frequency.DAILY
    html = member_client.get("/konto/benachrichtigungen/").content.decode()
    assert (
        'value="daily" class="kern-form-check__radio" id="id_frequency_1" required checked' in html
    )


def test_an_unknown_setting_is_refused(member_client, member):
    response = member_client.post(
        "/konto/benachrichtigungen/", {"aktion": "einstellung", "frequency": "stündlich"}
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie, wie oft wir Ihnen schreiben sollen." in response.content.decode()
    assert notifications.frequency_of(member) == Frequency.IMMEDIATE


def test_the_page_is_for_signed_in_people_only(anon_client):
    response = anon_client.get("/konto/benachrichtigungen/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_people_see_only_their_own_notifications(idea, author, member, guest_client):
    engagement.comment_create(idea=idea, author=member, body="Privat")

    html = guest_client.get("/konto/benachrichtigungen/").content.decode()

    assert "Bürgerbus" not in html


def test_the_account_page_links_to_the_notifications_with_the_unread_count(idea, author, member):
    engagement.comment_create(idea=idea, author=member, body="Eins")
    engagement.comment_create(idea=idea, author=MemberFactory(), body="Zwei")

    html = login_client(author).get("/konto/").content.decode()

    assert (
        'href="/konto/benachrichtigungen/">Benachrichtigungen aus der Ideenschmiede</a> (2 neue)'
        in html
    )


@pytest.mark.parametrize("items", [1, 5])
def test_the_page_runs_a_fixed_number_of_queries(
    idea, author, django_assert_max_num_queries, items
):
    for _ in range(items):
        engagement.comment_create(idea=idea, author=MemberFactory(), body="Hallo")
    client = login_client(author)
    client.get("/")

    # session, user, setting, notifications, unread count
    with django_assert_max_num_queries(5):
        response = client.get("/konto/benachrichtigungen/")

    assert len(response.context["notifications"]) == items
    assert response.context["notifications"][0].kind == NotificationKind.COMMENT
