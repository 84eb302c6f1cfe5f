"""Forums in the browser: a visitor finds a past forum in the archive and reads its
program and a session; a participant marks a session for the agenda."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innoclub.events.models import AgendaItem, EventState
from tests.browser.helpers import (
    assert_accessible,
    sign_in,
    submit,
    totp_token,
    wait_for_path,
)
from tests.events_factories_h1 import SessionSpeakerFactory
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    MemberFactory,
    RegistrationFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def forum_with_program(**kwargs):
    event = EventFactory(series=EventSeriesFactory(), **kwargs)
    day = event.starts_on
    tz = timezone.get_default_timezone()

    def at(hour: int, minute: int = 0, days: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(
            day + datetime.timedelta(days=days), datetime.time(hour, minute), tzinfo=tz
        )

    keynote = SessionFactory(
        event=event,
        kind="keynote",
        title="Verwaltung, die mutig ist",
        slug="keynote",
        starts_at=at(10),
        ends_at=at(11),
        room="Großer Saal",
    )
    SessionSpeakerFactory(session=keynote, speaker__name="Dr. Petra Sommer")
    SessionFactory(
        event=event,
        kind="break",
        title="Mittagspause",
        slug="pause",
        starts_at=at(12),
        ends_at=at(13),
        room="",
    )
    for n, room in enumerate(["Raum 1", "Raum 2", "Raum 3"], start=1):
        workshop = SessionFactory(
            event=event,
            kind="workshop",
            title=f"Werkstatt {n}: Wärmeplanung gemeinsam",
            slug=f"werkstatt-{n}",
            starts_at=at(13),
            ends_at=at(15),
            room=room,
            capacity=25,
        )
        SessionSpeakerFactory(session=workshop, speaker__name=f"Moderation {n}", role="moderator")
    SessionFactory(
        event=event,
        kind="panel",
        title="Podium: Was trägt?",
        slug="podium",
        starts_at=at(9, 30, days=1),
        ends_at=at(11, days=1),
        room="Großer Saal",
    )
    return event


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_visitor_filters_the_archive_and_reads_a_forum_and_a_session(
    open_page: Callable[..., Page], viewport: str
):
    topic = TopicFactory(name="Wärmeplanung", slug="waermeplanung")
    EventFactory(title="Deutschlandforum 2026", state=EventState.OPEN)
    starts = timezone.localdate() - datetime.timedelta(days=400)
    past = forum_with_program(
        title="Deutschlandforum Heidelberg",
        number=22,
        leitgedanke="Mut zur Lücke",
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=1),
        state=EventState.CLOSED,
    )
    past.topics.add(topic)
    other = timezone.localdate() - datetime.timedelta(days=800)
    EventFactory(
        title="Regionaltreffen Ost", starts_on=other, ends_on=other, state=EventState.CLOSED
    )

    page = open_page(viewport)
    page.goto("/foren/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Regionaltreffen Ost")).to_be_visible()

    page.get_by_label("Thema").select_option("waermeplanung")
    page.get_by_role("button", name="Filtern").click()
    wait_for_path(page, "/foren/?jahr=&thema=waermeplanung#archive-title")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Regionaltreffen Ost")).to_have_count(0)

    page.get_by_role("link", name="Deutschlandforum Heidelberg").click()
    wait_for_path(page, f"/foren/{past.slug}/")
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Deutschlandforum Heidelberg")
    workshops = (
        page.locator(".program-slot").filter(has_text="Werkstatt 1").locator(".program-session")
    )
    expect(workshops).to_have_count(3)
    boxes = [workshops.nth(n).bounding_box() for n in range(3)]
    tops = {round(box["y"]) for box in boxes if box}
    # Parallel workshops side by side on a laptop, one below the other on a phone.
    assert (len(tops) == 1) == (viewport == "desktop")

    page.get_by_role("link", name="Werkstatt 2: Wärmeplanung gemeinsam").click()
    wait_for_path(page, f"/foren/{past.slug}/programm/werkstatt-2/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Moderation 2")).to_be_visible()

    page.get_by_role("link", name="Moderation 2").click()
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Moderation 2")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_participant_marks_a_session_for_the_agenda(
    open_page: Callable[..., Page], viewport: str, password: str
):
    event = forum_with_program(title="Deutschlandforum 2026", number=23, state=EventState.OPEN)
    participant = MemberFactory(email="teilnahme@example.org")
    RegistrationFactory(event=event, user=participant)

    page = open_page(viewport)
    sign_in(page, "teilnahme@example.org", password)
    page.goto(f"/foren/{event.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Werkstatt 3: Wärmeplanung gemeinsam").first.click()
    expect(page.locator(".program-session--marked, .agenda-toggle__state")).not_to_have_count(0)
    expect(page.get_by_role("button", name="Werkstatt 3: Wärmeplanung gemeinsam")).to_have_count(1)
    assert [item.session.slug for item in AgendaItem.objects.select_related("session")] == [
        "werkstatt-3"
    ]

    page.goto(f"/foren/{event.slug}/programm/keynote/")
    assert_accessible(page)
    page.get_by_role("button", name="Verwaltung, die mutig ist").click()
    expect(page.locator(".agenda-toggle__state")).to_be_visible()
    assert sorted(AgendaItem.objects.values_list("session__slug", flat=True)) == [
        "keynote",
        "werkstatt-3",
    ]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_office_sees_forums_and_the_conflicts_of_a_program(
    open_page, viewport, staff, staff_device, password
):
    event = forum_with_program(title="Deutschlandforum 2026", number=23, state=EventState.OPEN)
    keynote = event.sessions.get(slug="keynote")
    SessionFactory(
        event=event,
        title="Doppelt gebucht",
        slug="doppelt",
        starts_at=keynote.starts_at,
        ends_at=keynote.ends_at,
        room="Großer Saal",
    )
    page = open_page(viewport)
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(staff_device))
    submit(page)
    wait_for_path(page, "/konto/")

    page.goto("/geschaeftsstelle/foren/")
    assert_accessible(page)
    page.get_by_role("link", name="Deutschlandforum 2026").first.wait_for()
    page.goto(f"/geschaeftsstelle/foren/{event.slug}/programm/")
    assert_accessible(page)
    expect(page.locator(".office-program__conflicts li")).to_have_count(2)
