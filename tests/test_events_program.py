"""The personal agenda, the office's forum pages and program planning, and the admin."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from innoclub.events.models import AgendaItem, Event, Registration, RegistrationStatus, Session
from tests.conftest import login_client
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    EventFactory,
    MemberFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def agenda_url(session: Session) -> str:
    return f"/foren/{session.event.slug}/programm/{session.slug}/agenda/"


# --- The personal agenda -------------------------------------------------------


def test_participant_puts_a_session_in_the_agenda_and_takes_it_out():
    session = SessionFactory()
    participant = MemberFactory()
    RegistrationFactory(event=session.event, user=participant)
    client = login_client(participant)

    added = client.post(agenda_url(session), follow=True)
    assert list(AgendaItem.objects.values_list("user", "session")) == [(participant.pk, session.pk)]
    assert added.redirect_chain == [(f"/foren/{session.event.slug}/programm/{session.slug}/", 302)]
    messages = [str(m) for m in added.context["messages"]]
    assert (len(messages), session.title in messages[0]) == (1, True)

    client.post(agenda_url(session))
    assert AgendaItem.objects.count() == 0


def test_agenda_button_returns_to_the_program_it_was_pressed_in():
    session = SessionFactory()
    participant = MemberFactory()
    RegistrationFactory(event=session.event, user=participant)
    back = f"/foren/{session.event.slug}/#session-{session.pk}"
    response = login_client(participant).post(agenda_url(session), {"weiter": back})
    assert (response.status_code, response["Location"]) == (302, back)


def test_agenda_does_not_redirect_to_another_site():
    session = SessionFactory()
    participant = MemberFactory()
    RegistrationFactory(event=session.event, user=participant)
    response = login_client(participant).post(
        agenda_url(session), {"weiter": "https://evil.example.org/"}
    )
    assert response["Location"] == f"/foren/{session.event.slug}/programm/{session.slug}/"


def test_agenda_with_htmx_swaps_the_button():
    session = SessionFactory()
    participant = MemberFactory()
    RegistrationFactory(event=session.event, user=participant)
    response = login_client(participant).post(agenda_url(session), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert (response.status_code, html.count(f'id="agenda-{session.pk}"')) == (200, 1)
    assert "<html" not in html
    assert AgendaItem.objects.filter(session=session, user=participant).exists()


def test_non_participant_is_refused_with_a_message_and_nothing_changes(member_client):
    session = SessionFactory()
    response = member_client.post(agenda_url(session), follow=True)
    assert AgendaItem.objects.count() == 0
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert response.status_code == 200


def test_cancelled_participant_keeps_no_agenda():
    session = SessionFactory()
    person = MemberFactory()
    Registration.objects.create(
        event=session.event,
        user=person,
        status=RegistrationStatus.CANCELLED,
        queued_at=timezone.now(),
    )
    login_client(person).post(agenda_url(session))
    assert AgendaItem.objects.count() == 0


def test_agenda_needs_a_login_and_a_post(anon_client, member_client):
    session = SessionFactory()
    assert anon_client.post(agenda_url(session)).status_code == 302
    assert member_client.get(agenda_url(session)).status_code == 405
    assert AgendaItem.objects.count() == 0


def test_agenda_of_a_hidden_forum_answers_404(member_client):
    session = SessionFactory(event=EventFactory(visibility="staff"))
    assert member_client.post(agenda_url(session)).status_code == 404


def test_only_participants_see_the_agenda_button(member_client):
    session = SessionFactory()
    participant = MemberFactory()
    RegistrationFactory(event=session.event, user=participant)
    page = f"/foren/{session.event.slug}/"
    assert agenda_url(session) in login_client(participant).get(page).content.decode()
    assert agenda_url(session) not in member_client.get(page).content.decode()


# --- The office's pages ------------------------------------------------------------


def test_office_forum_list_is_for_staff_only(
    anon_client, member_client, guest_client, staff_client
):
    EventFactory()
    assert anon_client.get("/geschaeftsstelle/foren/").status_code == 302
    assert member_client.get("/geschaeftsstelle/foren/").status_code == 404
    assert guest_client.get("/geschaeftsstelle/foren/").status_code == 404
    assert staff_client.get("/geschaeftsstelle/foren/").status_code == 200


def test_office_forum_list_counts_registrations(staff_client):
    event = EventFactory(capacity=2, title="Forum mit Warteliste")
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    response = staff_client.get("/geschaeftsstelle/foren/")
    listed = {e.title: (e.confirmed, e.waitlisted) for e in response.context["events"]}
    assert listed == {"Forum mit Warteliste": (2, 1)}


def test_office_forum_list_query_budget(staff_client, django_assert_num_queries):
    RegistrationFactory()
    staff_client.get("/geschaeftsstelle/foren/")
    with django_assert_num_queries(4):
        staff_client.get("/geschaeftsstelle/foren/")
    for _n in range(5):
        RegistrationFactory()
    with django_assert_num_queries(4):
        staff_client.get("/geschaeftsstelle/foren/")


def test_program_planning_shows_each_conflict_next_to_its_sessions(staff_client):
    event = EventFactory()
    first = SessionFactory(event=event, title="Vortrag eins", room="Saal A")
    second = SessionFactory(event=event, title="Vortrag zwei", room="Saal A")
    SessionFactory(
        event=event,
        title="Ruhiger Vortrag",
        room="Saal B",
        starts_at=first.starts_at + datetime.timedelta(hours=3),
        ends_at=first.ends_at + datetime.timedelta(hours=3),
    )
    response = staff_client.get(f"/geschaeftsstelle/foren/{event.slug}/programm/")
    rows = {s.title: len(c) for _day, day_rows in response.context["planning"] for s, c in day_rows}
    assert rows == {"Vortrag eins": 1, "Vortrag zwei": 1, "Ruhiger Vortrag": 0}
    assert f"/admin/events/session/{second.pk}/change/" in response.content.decode()


def test_program_planning_is_for_staff_only(member_client):
    event = EventFactory()
    assert member_client.get(f"/geschaeftsstelle/foren/{event.slug}/programm/").status_code == 404


def test_program_planning_query_budget(staff_client, django_assert_num_queries):
    event = EventFactory()
    SessionSpeakerFactory(session__event=event)
    url = f"/geschaeftsstelle/foren/{event.slug}/programm/"
    staff_client.get(url)
    with django_assert_num_queries(BUDGET_PLANNING):
        staff_client.get(url)
    speaker = SpeakerFactory()
    for _n in range(4):
        SessionSpeakerFactory(session__event=event, speaker=speaker)
    with django_assert_num_queries(BUDGET_PLANNING):
        staff_client.get(url)


BUDGET_PLANNING = 8


# --- The admin ---------------------------------------------------------------------


def session_form(session: Session, **changes: object) -> dict[str, object]:
    local = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    data: dict[str, object] = {
        "event": session.event_id,
        "kind": session.kind,
        "title": session.title,
        "slug": session.slug,
        "description": session.description,
        "starts_at_0": local.strftime("%d.%m.%Y"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%d.%m.%Y"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "room": session.room,
        "capacity": "",
        "summary": "",
        "results": "",
        "appearances-TOTAL_FORMS": "0",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_moving_a_session_in_the_admin_raises_its_revision_and_tells_agenda_holders(
    staff_client, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    participant = MemberFactory(email="teilnahme@example.org")
    RegistrationFactory(event=session.event, user=participant)
    AgendaItem.objects.create(user=participant, session=session)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/events/session/{session.pk}/change/", session_form(session, room="Saal C")
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert (session.room, session.sequence) == ("Saal C", 1)
    assert [m.to for m in mail.outbox] == [["teilnahme@example.org"]]


def test_editing_only_the_description_keeps_the_revision(staff_client):
    session = SessionFactory()
    staff_client.post(
        f"/admin/events/session/{session.pk}/change/",
        session_form(session, description="Neu beschrieben."),
    )
    session.refresh_from_db()
    assert (session.description, session.sequence) == ("Neu beschrieben.", 0)


def test_session_change_form_shows_its_conflicts(staff_client):
    first = SessionFactory(room="Saal A")
    SessionFactory(event=first.event, room="Saal A", title="Zweiter im Saal")
    html = staff_client.get(f"/admin/events/session/{first.pk}/change/").content.decode()
    assert "Zweiter im Saal" in html


def test_more_places_in_the_admin_move_the_waitlist_up(staff_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    response = staff_client.get(f"/admin/events/event/{event.pk}/change/")
    form = response.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
        and name not in {"topics", "starts_on", "ends_on", "registration_deadline"}
    }
    data.update(
        {
            "capacity": "2",
            "starts_on": event.starts_on.strftime("%d.%m.%Y"),
            "ends_on": event.ends_on.strftime("%d.%m.%Y"),
            "registration_deadline_0": "",
            "registration_deadline_1": "",
            "series": "",
            "number": "",
        }
    )
    response = staff_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken, waiting.status) == (
        2,
        2,
        RegistrationStatus.CONFIRMED,
    )


def test_fewer_places_than_taken_are_refused_in_the_admin(staff_client):
    event = EventFactory(capacity=2)
    RegistrationFactory.create_batch(2, event=event)
    response = staff_client.get(f"/admin/events/event/{event.pk}/change/")
    form = response.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
        and name not in {"topics", "starts_on", "ends_on", "registration_deadline"}
    }
    data.update(
        {
            "capacity": "1",
            "starts_on": event.starts_on.strftime("%d.%m.%Y"),
            "ends_on": event.ends_on.strftime("%d.%m.%Y"),
            "registration_deadline_0": "",
            "registration_deadline_1": "",
            "series": "",
            "number": "",
        }
    )
    response = staff_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_registrations_cannot_be_added_in_the_admin(staff_client):
    assert staff_client.get("/admin/events/registration/add/").status_code == 403
