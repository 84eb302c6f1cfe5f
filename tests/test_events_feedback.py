"""The survey after a forum: who may answer, once only, anonymous results for the office."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innoclub.events import feedback
from innoclub.events.models import (
    FeedbackResponse,
    FeedbackSubmission,
    RegistrationStatus,
    SessionKind,
    SessionRating,
)
from tests.conftest import login_client
from tests.factories import EventFactory, MemberFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = "/foren/forum/feedback/"


@pytest.fixture
def event():
    """A forum that began yesterday."""
    return EventFactory(slug="forum", starts_on=timezone.localdate() - datetime.timedelta(days=1))


@pytest.fixture
def participant(event):
    return RegistrationFactory(event=event, user=MemberFactory()).user


def answer(event, overall=4, ratings=None, comment=""):
    user = RegistrationFactory(event=event).user
    return feedback.feedback_submit(
        event=event, user=user, overall=overall, session_ratings=ratings or {}, comment=comment
    )


def test_participant_answers_once_and_the_answer_keeps_no_name(event, participant):
    talk = SessionFactory(event=event)
    client = login_client(participant)

    page = client.get(URL)
    response = client.post(
        URL, {"overall": "5", f"session_{talk.pk}": "4", "comment": "Gern wieder."}
    )

    assert page.status_code == 200
    assert response.status_code == 302
    (stored,) = FeedbackResponse.objects.all()
    assert (stored.overall, stored.comment) == (5, "Gern wieder.")
    assert list(SessionRating.objects.values_list("session_id", "rating")) == [(talk.pk, 4)]
    assert FeedbackSubmission.objects.filter(user=participant).count() == 1
    field_names = {field.name for field in FeedbackResponse._meta.get_fields()}
    assert "user" not in field_names
    assert not any(name.endswith("_at") for name in field_names)


def test_second_answer_is_refused_and_nothing_changes(event, participant):
    client = login_client(participant)
    client.post(URL, {"overall": "5"})

    response = client.post(URL, {"overall": "1", "comment": "Doch nicht."})

    assert response.status_code == 409
    assert list(FeedbackResponse.objects.values_list("overall", flat=True)) == [5]


def test_service_refuses_a_second_answer(event, participant):
    feedback.feedback_submit(event=event, user=participant, overall=3, session_ratings={})

    with pytest.raises(feedback.FeedbackError):
        feedback.feedback_submit(event=event, user=participant, overall=1, session_ratings={})

    assert FeedbackResponse.objects.count() == 1


def test_non_participant_is_refused(event, member_client):
    response = member_client.get(URL)
    post = member_client.post(URL, {"overall": "1"})

    assert response.status_code == 403
    assert post.status_code == 403
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
def test_waitlisted_or_cancelled_people_cannot_answer(event, status):
    user = RegistrationFactory(event=event, status=status).user

    response = login_client(user).post(URL, {"overall": "3"})

    assert response.status_code == 403
    assert FeedbackResponse.objects.count() == 0


def test_survey_opens_on_the_first_day(member):
    future = EventFactory(slug="bald")
    RegistrationFactory(event=future, user=member)

    response = login_client(member).post("/foren/bald/feedback/", {"overall": "4"})

    assert response.status_code == 403
    assert FeedbackResponse.objects.count() == 0


def test_missing_overall_rating_gets_a_message(event, participant):
    response = login_client(participant).post(URL, {"comment": "Ohne Note"})

    assert response.status_code == 400
    assert len(response.context["form"].errors["overall"]) == 1
    assert FeedbackResponse.objects.count() == 0


def test_ratings_of_breaks_and_other_events_are_ignored(event, participant):
    coffee = SessionFactory(event=event, kind=SessionKind.BREAK)
    elsewhere = SessionFactory()

    feedback.feedback_submit(
        event=event,
        user=participant,
        overall=4,
        session_ratings={coffee.pk: 5, elsewhere.pk: 5},
    )

    assert SessionRating.objects.count() == 0


def test_breaks_are_not_offered_for_rating(event, participant):
    SessionFactory(event=event, kind=SessionKind.BREAK, title="Kaffeepause")
    SessionFactory(event=event, title="Keynote")

    form = login_client(participant).get(URL).context["form"]

    assert [session.title for session in form.sessions] == ["Keynote"]


def test_hidden_event_survey_answers_404(member):
    EventFactory(slug="intern", visibility="staff")

    assert login_client(member).get("/foren/intern/feedback/").status_code == 404


# --- Results for the office -------------------------------------------------------


def test_results_hide_averages_of_fewer_than_three_ratings(event):
    keynote = SessionFactory(event=event, title="Keynote")
    workshop = SessionFactory(event=event, title="Workshop")
    answer(event, overall=5, ratings={keynote.pk: 5, workshop.pk: 1}, comment="zuletzt")
    answer(event, overall=4, ratings={keynote.pk: 4, workshop.pk: 2}, comment="Anfang")
    answer(event, overall=3, ratings={keynote.pk: 3}, comment="")

    results = feedback.feedback_results(event)

    assert results.answers == 3
    assert results.overall_average == 4.0
    assert [(row.session.title, row.count, row.average) for row in results.sessions] == [
        ("Keynote", 3, 4.0),
        ("Workshop", 2, None),
    ]
    assert results.comments == ["Anfang", "zuletzt"]


def test_results_of_fewer_than_three_answers_show_no_average_and_no_comments(event):
    answer(event, overall=1, comment="Nur ich")

    results = feedback.feedback_results(event)

    assert (results.answers, results.overall_average, results.comments) == (1, None, [])


def test_office_results_page_and_query_budget(event, staff_client, django_assert_num_queries):
    talk = SessionFactory(event=event, title="Keynote")
    for rating in (5, 4, 4):
        answer(event, overall=rating, ratings={talk.pk: rating}, comment=f"Note {rating}")
    staff_client.get(f"/geschaeftsstelle/foren/{event.slug}/feedback/")

    # Session, user, second factor, event, answers, sessions, comments.
    with django_assert_num_queries(7):
        response = staff_client.get(f"/geschaeftsstelle/foren/{event.slug}/feedback/")
    for _ in range(4):
        SessionFactory(event=event)
        answer(event, overall=2, ratings={talk.pk: 2})
    with django_assert_num_queries(7):
        staff_client.get(f"/geschaeftsstelle/foren/{event.slug}/feedback/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "4,3" in content
    assert "Note 4" in content


@pytest.mark.parametrize("persona", ["member_client", "guest_client"])
def test_results_are_for_the_office_only(request, persona, event):
    client = request.getfixturevalue(persona)

    assert client.get(f"/geschaeftsstelle/foren/{event.slug}/feedback/").status_code == 404


def test_event_page_invites_participants_to_the_survey(event, participant, anon_client):
    participant_page = login_client(participant).get("/foren/forum/").content.decode()
    anonymous_page = anon_client.get("/foren/forum/").content.decode()

    assert 'href="/foren/forum/feedback/"' in participant_page
    assert 'href="/foren/forum/feedback/"' not in anonymous_page


def test_event_page_has_no_survey_before_the_start(member):
    future = EventFactory(slug="bald")
    RegistrationFactory(event=future, user=member)

    page = login_client(member).get("/foren/bald/").content.decode()

    assert "/foren/bald/feedback/" not in page
