"""Signing in and out, the password pages and the optional second factor of members."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    assert_accessible,
    authenticator_code,
    sign_in,
    sign_out,
    submit,
    wait_for_path,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "Neues-Passwort-fuer-2025!"
WRONG_PASSWORD = "falsches-Passwort-123"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_signs_in_and_out(
    open_page: Callable[..., Page], viewport: str, member, password: str
) -> None:
    page = open_page(viewport)
    page.goto("/")
    page.locator("header a[href='/konto/anmelden/']").click()
    wait_for_path(page, "/konto/anmelden/")
    assert_accessible(page)
    expect(page.locator("#id_username")).to_be_focused()

    page.locator("#id_username").fill("Mitglied@Example.org")
    page.locator("#id_password").fill(password)
    submit(page)

    wait_for_path(page, "/konto/")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("mitglied@example.org")
    expect(page.locator("main")).to_contain_text("Thomas Berger")
    # Members do not see the club office.
    expect(page.locator("header a[href='/geschaeftsstelle/']")).to_have_count(0)

    sign_out(page)
    assert_accessible(page)
    # The account is closed again: it asks for the sign-in.
    page.goto("/konto/")
    wait_for_path(page, "/konto/anmelden/?next=/konto/")
    expect(page.locator("#id_username")).to_be_visible()


def test_a_wrong_password_is_refused(page: Page, member) -> None:
    sign_in(page, "mitglied@example.org", WRONG_PASSWORD)

    wait_for_path(page, "/konto/anmelden/")
    assert_accessible(page, status=400)
    expect(page.locator("#fehler[role=alert]")).to_be_visible()
    expect(page.locator("#fehler")).to_contain_text("Bitte")
    # The address stays filled in, the password does not.
    expect(page.locator("#id_username")).to_have_value("mitglied@example.org")
    expect(page.locator("#id_password")).to_have_value("")
    # The form's CSRF cookie, but no session for a failed attempt.
    assert {c["name"] for c in page.context.cookies()} == {"innoclub_csrf"}


def test_after_too_many_wrong_passwords_signing_in_pauses(page: Page, member, password) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, "mitglied@example.org", WRONG_PASSWORD)

    assert_accessible(page, status=429)
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("main a[href='/konto/passwort-vergessen/']")).to_be_visible()

    # Even the right password does not get through now.
    sign_in(page, "mitglied@example.org", password)
    assert_accessible(page, status=429)


def test_a_form_sent_without_its_cookie_explains_what_happened(page: Page, member, password):
    page.goto("/konto/anmelden/")
    page.context.clear_cookies()
    page.locator("#id_username").fill("mitglied@example.org")
    page.locator("#id_password").fill(password)
    submit(page)

    assert_accessible(page, status=403)
    expect(page.locator("main a[href='/']")).to_be_visible()


def test_a_member_resets_a_forgotten_password(page: Page, member, password) -> None:
    page.goto("/konto/anmelden/")
    page.locator("main a[href='/konto/passwort-vergessen/']").click()
    wait_for_path(page, "/konto/passwort-vergessen/")
    assert_accessible(page)

    page.locator("#id_email").fill("mitglied@example.org")
    submit(page)
    wait_for_path(page, "/konto/passwort-vergessen/gesendet/")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mitglied@example.org"]
    links = re.findall(r"https?://\S+/konto/passwort-neu/\S+/", str(mail.outbox[0].body))
    assert len(links) == 1, mail.outbox[0].body
    link = links[0]

    page.goto(link)
    page.wait_for_url(re.compile(r"/konto/passwort-neu/[^/]+/set-password/$"))
    assert_accessible(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    wait_for_path(page, "/konto/passwort-neu/fertig/")
    assert_accessible(page)

    # The link works only once.
    page.goto(link)
    assert_accessible(page)
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_new_password1")).to_have_count(0)

    # The old password is gone, the new one works.
    sign_in(page, "mitglied@example.org", password)
    expect(page.locator("#fehler")).to_be_visible()
    sign_in(page, "mitglied@example.org", NEW_PASSWORD)
    wait_for_path(page, "/konto/")
    expect(page.locator("main")).to_contain_text("mitglied@example.org")


def test_no_mail_goes_to_an_unknown_address_and_the_page_does_not_tell(page: Page) -> None:
    page.goto("/konto/passwort-vergessen/")
    page.locator("#id_email").fill("niemand@example.org")
    submit(page)
    wait_for_path(page, "/konto/passwort-vergessen/gesendet/")
    assert mail.outbox == []


def test_a_member_changes_the_password(page: Page, member, password) -> None:
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.locator("main a[href='/konto/passwort-aendern/']").click()
    wait_for_path(page, "/konto/passwort-aendern/")
    assert_accessible(page)

    # A too short new password is refused with an explanation.
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill("kurz")
    page.locator("#id_new_password2").fill("kurz")
    submit(page)
    wait_for_path(page, "/konto/passwort-aendern/")
    assert_accessible(page, status=400)
    expect(page.locator("#fehler[role=alert]")).to_be_visible()
    expect(page.locator("#id_new_password2")).to_have_attribute("aria-invalid", "true")

    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    wait_for_path(page, "/konto/passwort-aendern/fertig/")
    assert_accessible(page)

    sign_out(page)
    sign_in(page, "mitglied@example.org", NEW_PASSWORD)
    wait_for_path(page, "/konto/")


def test_a_member_sets_up_and_switches_off_a_second_factor(page: Page, member, password):
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.locator("main a[href='/konto/zwei-faktor/']").click()
    wait_for_path(page, "/konto/zwei-faktor/")
    assert_accessible(page)

    # The member types the key shown on the page into an authenticator app.
    page.locator("#id_token").fill(authenticator_code(page.locator("code.secret").inner_text()))
    submit(page, "main form[action='/konto/zwei-faktor/'] button[type=submit]")
    wait_for_path(page, "/konto/")
    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_be_visible()
    assert TOTPDevice.objects.filter(user=member, confirmed=True).count() == 1

    submit(page, "main form[action='/konto/zwei-faktor/ausschalten/'] button")
    wait_for_path(page, "/konto/")
    assert_accessible(page)
    expect(page.locator("main form[action='/konto/zwei-faktor/ausschalten/']")).to_have_count(0)
    assert not TOTPDevice.objects.filter(user=member).exists()
