"""Recruitment in the browser: from a member's nomination to the new member's first sign-in."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.accounts.models import Role, User
from innoclub.network.models import Nomination, NominationState, Profile
from tests.browser.helpers import (
    assert_accessible,
    sign_in,
    sign_out,
    submit,
    totp_token,
    wait_for_path,
)
from tests.factories import MunicipalityFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INVITEE = "jana.neumann@example.org"
NEW_PASSWORD = "Rathaus-Fahrrad-Kompass-2031"


def sign_in_as_office(page: Page, password: str, device: TOTPDevice) -> None:
    """Both steps of the office sign-in, ending on the account page."""
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    assert_accessible(page)
    page.locator("#id_token").fill(totp_token(device))
    submit(page)
    wait_for_path(page, "/konto/")


def test_from_nomination_to_the_first_sign_in(
    open_page: Callable[..., Page], member, staff, staff_device, password: str
) -> None:
    town = MunicipalityFactory.create(name="Kassel")
    topic = TopicFactory(name="Digitale Verwaltung")

    # --- A member proposes Jana Neumann. ---
    page = open_page("desktop")
    page.goto("/konto/anmelden/")
    assert_accessible(page)
    sign_in(page, member.email, password)
    wait_for_path(page, "/konto/")
    assert_accessible(page)
    page.goto("/mitglieder/vorschlagen/")
    assert_accessible(page)
    page.locator("#id_first_name").fill("Jana")
    page.locator("#id_last_name").fill("Neumann")
    page.locator("#id_email").fill("Jana.Neumann@Example.org")
    page.locator("#id_function").select_option("buergermeister")
    page.locator("#id_municipality").select_option(str(town.pk))
    page.locator("#id_reason").fill("Hat in Kassel die digitale Bauakte eingeführt.")
    submit(page)
    wait_for_path(page, "/mitglieder/vorschlaege/")
    assert_accessible(page)
    expect(page.locator("main table")).to_contain_text("Jana Neumann")
    nomination = Nomination.objects.get(email=INVITEE)
    assert nomination.nominated_by == member
    sign_out(page)
    assert_accessible(page)

    # --- The club office accepts and invites. ---
    sign_in_as_office(page, password, staff_device)
    page.goto("/geschaeftsstelle/aufnahme/")
    assert_accessible(page)
    page.locator("#nominated").get_by_role("link", name="Jana Neumann").click()
    wait_for_path(page, f"/geschaeftsstelle/aufnahme/{nomination.pk}/")
    assert_accessible(page)

    # Declining needs a reason: the form says so and nothing changes.
    submit(page, f"main form[action$='/{nomination.pk}/ablehnen/'] button")
    assert_accessible(page, status=400)
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED

    submit(page, f"main form[action$='/{nomination.pk}/annehmen/'] button")
    wait_for_path(page, f"/geschaeftsstelle/aufnahme/{nomination.pk}/")
    assert_accessible(page)
    expect(page.locator("main .site-messages")).to_be_visible()
    submit(page, f"main form[action$='/{nomination.pk}/einladung-senden/'] button")
    wait_for_path(page, f"/geschaeftsstelle/aufnahme/{nomination.pk}/")
    assert_accessible(page)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.INVITED
    sign_out(page)

    # --- The invitee follows the link from the e-mail, on a phone. ---
    (message,) = mail.outbox
    assert message.to == [INVITEE]
    link = re.search(r"https?://\S+/einladung/[A-Za-z0-9_-]+/", str(message.body))
    assert link is not None
    invitee = open_page("phone")
    invitee.goto(link.group(0))
    assert_accessible(invitee)
    expect(invitee.locator("main")).to_contain_text("Thomas Berger")
    expect(invitee.locator("#id_email")).to_have_value(INVITEE)
    expect(invitee.locator("#id_email")).to_have_attribute("readonly", "")

    # A too short password: the page explains, and keeps what was entered.
    invitee.locator("#id_password1").fill("kurz-1")
    invitee.locator("#id_password2").fill("kurz-1")
    invitee.locator("#id_position").fill("Bürgermeisterin")
    invitee.locator("#id_bio").fill("Seit 2020 im Amt, vorher Kämmerin.")
    invitee.get_by_label("Digitale Verwaltung").check()
    submit(invitee)
    assert_accessible(invitee, status=400)
    expect(invitee.locator("#fehler")).to_be_visible()
    expect(invitee.locator("#id_password1")).to_have_attribute("aria-invalid", "true")
    expect(invitee.locator("#id_bio")).to_have_value("Seit 2020 im Amt, vorher Kämmerin.")
    expect(invitee.get_by_label("Digitale Verwaltung")).to_be_checked()
    assert not User.objects.filter(email=INVITEE).exists()

    invitee.locator("#id_password1").fill(NEW_PASSWORD)
    invitee.locator("#id_password2").fill(NEW_PASSWORD)
    invitee.locator("#id_in_directory").check()
    submit(invitee)
    wait_for_path(invitee, "/konto/")
    assert_accessible(invitee)
    expect(invitee.locator("main .site-messages")).to_contain_text("Jana Neumann")
    expect(invitee.locator("main")).to_contain_text(INVITEE)

    user = User.objects.get(email=INVITEE)
    assert user.role == Role.MEMBER
    profile = Profile.objects.get(user=user)
    assert (profile.position, profile.in_directory) == ("Bürgermeisterin", True)
    assert list(profile.topics.all()) == [topic]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.joined_user) == (NominationState.JOINED, user)

    # --- Signing out and in again with the new password. ---
    sign_out(invitee)
    sign_in(invitee, INVITEE, NEW_PASSWORD)
    wait_for_path(invitee, "/konto/")
    assert_accessible(invitee)

    # The link has done its work.
    invitee.goto(link.group(0))
    assert_accessible(invitee, status=410)
    expect(invitee.locator("main [role=alert]")).to_be_visible()
