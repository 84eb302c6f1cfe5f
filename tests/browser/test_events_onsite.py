"""On site and after the forum in the browser: check-in on a tablet with one tap, the
office's documentation and survey results, the participant's calendar and survey."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import FilePayload, Page, ViewportSize, expect

from innoclub.events import feedback
from innoclub.events.models import Registration, RegistrationStatus
from tests.browser.helpers import assert_accessible, sign_in, submit, totp_token, wait_for_path
from tests.factories import EventFactory, MemberFactory, RegistrationFactory, SessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLET: ViewportSize = {"width": 820, "height": 1180}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def office_sign_in(page: Page, password: str, device: TOTPDevice) -> None:
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(device))
    submit(page)
    wait_for_path(page, "/konto/")


def past_forum():
    return EventFactory(
        slug="forum-22",
        title="22. Deutschlandforum",
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
    )


def test_the_office_checks_in_a_participant_with_one_tap_on_a_tablet(
    open_page, staff, staff_device, password
):
    event = EventFactory(slug="forum-23", title="23. Deutschlandforum")
    berger = RegistrationFactory(
        event=event, user=MemberFactory(first_name="Thomas", last_name="Berger")
    )
    RegistrationFactory(event=event, user=MemberFactory(first_name="Anna", last_name="Albers"))
    RegistrationFactory(
        event=event,
        user=MemberFactory(first_name="Wilma", last_name="Warteliste"),
        status=RegistrationStatus.WAITLISTED,
    )
    page = open_page()
    page.set_viewport_size(TABLET)
    office_sign_in(page, password, staff_device)

    page.goto("/geschaeftsstelle/foren/forum-23/check-in/")
    assert_accessible(page)
    counts = page.locator("#checkin-counts")
    expect(counts).to_contain_text("0")
    expect(counts).to_contain_text("2")

    page.locator("#checkin-q").fill("Berg")
    expect(page.locator(".checkin-row")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?q=Berg$"))
    row = page.locator(f"#anmeldung-{berger.pk}")
    row.get_by_role("button").click()
    expect(page.locator(f"#anmeldung-{berger.pk}.checkin-row--in")).to_be_visible()
    expect(page.locator(".checkin__number")).to_have_text("1")
    # The address bar kept the search: reloading shows the same, now from the server.
    page.reload()
    expect(page.locator(f"#anmeldung-{berger.pk}.checkin-row--in")).to_be_visible()
    assert_accessible(page)
    berger.refresh_from_db()
    assert berger.checked_in_at is not None

    # Without a place, no button: the waitlist is visible as such.
    page.goto("/geschaeftsstelle/foren/forum-23/check-in/?q=Warteliste")
    expect(page.locator(".checkin-row button")).to_have_count(0)
    expect(page.locator(".checkin-row .kern-badge")).to_be_visible()
    assert_accessible(page)

    # A scanned code opens the person's row.
    page.goto(f"/geschaeftsstelle/foren/forum-23/check-in/code/{berger.code}/")
    expect(page.locator(".checkin-row")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_check_in_page_on_desktop_and_phone(
    open_page: Callable[..., Page], viewport: str, staff, staff_device, password
) -> None:
    event = EventFactory(slug="forum-23")
    RegistrationFactory(event=event, checked_in_at=timezone.now())
    RegistrationFactory(event=event)
    page = open_page(viewport)
    office_sign_in(page, password, staff_device)

    page.goto("/geschaeftsstelle/foren/forum-23/check-in/")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_documents_a_session_and_reads_the_survey(
    open_page, viewport, staff, staff_device, password, tmp_path
):
    event = past_forum()
    session = SessionFactory(event=event, slug="waerme", title="Workshop Wärmeplanung")
    for rating in (5, 4, 3):
        user = RegistrationFactory(event=event).user
        feedback.feedback_submit(
            event=event,
            user=user,
            overall=rating,
            session_ratings={session.pk: rating},
            comment=f"Kommentar {rating}",
        )
    page = open_page(viewport)
    office_sign_in(page, password, staff_device)

    page.goto("/geschaeftsstelle/foren/forum-22/programm/waerme/dokumentation/")
    assert_accessible(page)
    page.locator("#id_summary").fill("Drei Kommunen starten einen **Pilot**.")
    submit(page, "main form:has(#id_summary) button[type=submit]")
    assert_accessible(page)
    page.locator("#id_title").fill("Folien")
    page.locator("#id_upload").set_input_files(
        files=[FilePayload(name="folien.pdf", mimeType="application/pdf", buffer=b"<html>nope")]
    )
    submit(page, "main form:has(#id_upload) button[type=submit]")
    assert_accessible(page, status=400)
    expect(page.locator("#id_upload")).to_have_attribute("aria-invalid", "true")
    page.locator("#id_title").fill("Folien")
    page.locator("#id_upload").set_input_files(
        files=[
            FilePayload(name="folien.pdf", mimeType="application/pdf", buffer=b"%PDF-1.4\n%%EOF")
        ]
    )
    submit(page, "main form:has(#id_upload) button[type=submit]")
    expect(page.locator(".documentation-list__item")).to_have_count(1)
    assert_accessible(page)

    page.goto("/foren/forum-22/programm/waerme/")
    expect(page.locator("#dokumentation")).to_be_visible()
    expect(page.get_by_role("link", name="Folien")).to_be_visible()

    page.goto("/geschaeftsstelle/foren/forum-22/feedback/")
    assert_accessible(page)
    expect(page.locator(".comments__item")).to_have_count(3)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_participant_answers_the_survey_and_subscribes_to_the_calendar(
    open_page: Callable[..., Page], viewport: str, member, password
) -> None:
    event = past_forum()
    SessionFactory(event=event, title="Keynote: Mut zur Lücke")
    RegistrationFactory(event=event, user=member)
    page = open_page(viewport)
    sign_in(page, member.email, password)
    wait_for_path(page, "/konto/")

    page.goto("/foren/forum-22/")
    page.locator("a[href='/foren/forum-22/feedback/']").click()
    wait_for_path(page, "/foren/forum-22/feedback/")
    assert_accessible(page)
    submit(page)  # without the overall rating
    assert_accessible(page, status=400)
    page.locator("label[for='id_overall_4']").click()
    page.locator("#id_comment").fill("Mehr Zeit für Gespräche, bitte.")
    submit(page)
    assert_accessible(page)
    assert Registration.objects.filter(event=event, user=member).count() == 1
    assert feedback.feedback_given(event=event, user=member)

    page.goto("/foren/kalender/")
    assert_accessible(page)
    old = page.locator("#feed-url").input_value()
    submit(page)
    assert_accessible(page)
    assert page.locator("#feed-url").input_value() != old
