"""Registration in the browser: the office invites, a member registers, changes and cancels;
the office keeps the list and the waitlist."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.events.models import (
    EventInvitation,
    EventMode,
    Registration,
    RegistrationStatus,
)
from tests.browser.helpers import (
    assert_accessible,
    sign_in,
    sign_in_as_office,
    submit,
    wait_for_path,
)
from tests.factories import EventFactory, MemberFactory, RegistrationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_office_invites_a_member(
    open_page: Callable[..., Page], staff_device: TOTPDevice, password: str, member
) -> None:
    EventFactory(title="23. Deutschlandforum", slug="deutschlandforum-23")
    page = open_page()
    sign_in_as_office(page, password, staff_device)

    page.goto("/geschaeftsstelle/foren/deutschlandforum-23/einladungen/")
    assert_accessible(page)
    page.locator("#id_person").select_option(value=str(member.pk))
    submit(page)
    assert_accessible(page)
    expect(page.locator("#vorschau")).to_contain_text("1")

    submit(page, "#vorschau button[type=submit]")
    wait_for_path(page, "/geschaeftsstelle/foren/deutschlandforum-23/einladungen/")
    assert_accessible(page)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Thomas Berger")
    assert EventInvitation.objects.get(event__slug="deutschlandforum-23").user == member
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_an_empty_invitation_choice_is_explained(
    open_page: Callable[..., Page], staff_device: TOTPDevice, password: str
) -> None:
    EventFactory(slug="deutschlandforum-23")
    page = open_page()
    sign_in_as_office(page, password, staff_device)

    page.goto("/geschaeftsstelle/foren/deutschlandforum-23/einladungen/")
    page.locator("input[name=audience][value=state]").check()
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#id_state")).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_registers_changes_and_cancels(
    open_page: Callable[..., Page], viewport: str, member, password: str
) -> None:
    event = EventFactory(
        title="23. Deutschlandforum",
        slug="deutschlandforum-23",
        mode=EventMode.HYBRID,
        online_url="https://konferenz.example.org/forum-23",
        registration_deadline=timezone.now() + datetime.timedelta(days=7),
    )
    RegistrationFactory(
        event=event, user=MemberFactory(first_name="Anna", last_name="Adler"), list_consent=True
    )
    page = open_page(viewport)
    sign_in(page, member.email, password)

    page.goto("/foren/deutschlandforum-23/anmeldung/")
    assert_accessible(page)
    # Nothing chosen: the form says what is missing and keeps the rest.
    page.locator("#id_dietary_needs").fill("vegetarisch")
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#id_dietary_needs")).to_have_value("vegetarisch")

    page.locator("#id_attendance_1").check()  # online
    page.locator("#id_list_consent").check()
    submit(page)
    wait_for_path(page, "/foren/deutschlandforum-23/anmeldung/")
    assert_accessible(page)
    expect(page.locator(".registration-status")).to_be_visible()
    expect(page.locator("a[href='https://konferenz.example.org/forum-23']")).to_be_visible()

    page.locator("#id_accessibility_needs").fill("Gebärdensprache")
    submit(page)
    assert_accessible(page)
    registration = Registration.objects.get(event__slug="deutschlandforum-23", user=member)
    assert (registration.attendance, registration.accessibility_needs) == (
        "online",
        "Gebärdensprache",
    )

    page.goto("/foren/deutschlandforum-23/teilnehmende/")
    assert_accessible(page)
    expect(page.locator(".person")).to_have_count(2)

    page.goto("/foren/deutschlandforum-23/anmeldung/stornieren/")
    assert_accessible(page)
    submit(page, "main form[action$='/stornieren/'] button[type=submit]")
    wait_for_path(page, "/foren/deutschlandforum-23/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_a_full_forum_puts_the_member_on_the_waitlist(
    open_page: Callable[..., Page], member, password: str
) -> None:
    event = EventFactory(slug="regionaltreffen", capacity=1)
    RegistrationFactory(event=event)
    page = open_page("phone")
    sign_in(page, member.email, password)

    page.goto("/foren/regionaltreffen/anmeldung/")
    assert_accessible(page)
    submit(page)
    wait_for_path(page, "/foren/regionaltreffen/anmeldung/")
    assert_accessible(page)
    expect(page.locator(".registration-status__position")).to_contain_text("1")


def test_a_guest_without_invitation_is_told_why(
    open_page: Callable[..., Page], guest, password: str
) -> None:
    EventFactory(slug="deutschlandforum-23")
    page = open_page()
    sign_in(page, guest.email, password)

    page.goto("/foren/deutschlandforum-23/anmeldung/")
    assert_accessible(page)
    expect(page.locator("main form[action$='/anmeldung/']")).to_have_count(0)
    expect(page.locator(".kern-alert")).to_be_visible()


def test_the_office_confirms_from_the_waitlist(
    open_page: Callable[..., Page], staff_device: TOTPDevice, password: str
) -> None:
    event = EventFactory(slug="deutschlandforum-23", mode=EventMode.HYBRID, capacity=1)
    RegistrationFactory(event=event, dietary_needs="vegan")
    RegistrationFactory(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        user__first_name="Jana",
        user__last_name="Schulz",
    )
    page = open_page()
    sign_in_as_office(page, password, staff_device)

    page.goto("/geschaeftsstelle/foren/deutschlandforum-23/anmeldungen/")
    assert_accessible(page)
    submit(page, "section[aria-labelledby='waitlist-title'] button[type=submit]")
    wait_for_path(page, "/geschaeftsstelle/foren/deutschlandforum-23/anmeldungen/")
    assert_accessible(page)
    assert Registration.objects.get(user__last_name="Schulz").status == "confirmed"

    page.locator("#id_capacity").fill("1")
    submit(page, "form[action$='/plaetze/'] button[type=submit]")
    assert_accessible(page, status=400)
    expect(page.locator("#id_capacity")).to_have_attribute("aria-invalid", "true")
