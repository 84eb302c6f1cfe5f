"""A member deletes their account: reads what happens, mistypes the password,
confirms, is signed out and sees the confirmation; the office deletes an
account on request."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.accounts.models import User
from tests.browser.helpers import assert_accessible, sign_in, submit, totp_token, wait_for_path
from tests.factories import EventFactory, ProfileFactory, RegistrationFactory
from tests.ideas_factories import IdeaFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ERASE = "/konto/loeschen/"
DELETE = f"main form[action='{ERASE}'] button[type=submit]"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_deletes_their_account(
    open_page: Callable[..., Page], viewport: str, member: User, password: str
) -> None:
    ProfileFactory(user=member)
    forum = EventFactory(title="23. Deutschlandforum")
    RegistrationFactory(event=forum, user=member, dietary_needs="vegan")
    idea = IdeaFactory(authors=[member], title="Bürgerbus auf Abruf")

    page = open_page(viewport)
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.locator(f"main a[href='{ERASE}']").click()
    wait_for_path(page, ERASE)
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("23. Deutschlandforum")
    expect(page.locator("main")).to_contain_text("ehemaliges Mitglied")

    # A wrong password deletes nothing and says so.
    page.locator("#id_password").fill("nicht-mein-passwort")
    page.locator("#id_confirm").check()
    submit(page, DELETE)
    assert_accessible(page, status=400)
    summary = page.locator("#fehler[role=alert]")
    expect(summary).to_contain_text("Das Passwort ist nicht richtig.")
    summary.locator("a[href='#id_password']").click()
    expect(page.locator("#id_password")).to_be_focused()
    member.refresh_from_db()
    assert member.erased_at is None

    page.locator("#id_password").fill(password)
    page.locator("#id_confirm").check()
    submit(page, DELETE)
    wait_for_path(page, "/konto/geloescht/")
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Ihr Konto wurde gelöscht")

    # Signed out: the account page asks for a login again.
    page.goto("/konto/")
    wait_for_path(page, "/konto/anmelden/?next=/konto/")
    member.refresh_from_db()
    assert member.erased_at is not None
    assert idea.authors.get() == member


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_deletes_an_account_on_request(
    open_page: Callable[..., Page],
    viewport: str,
    staff: User,
    staff_device: TOTPDevice,
    member: User,
    password: str,
) -> None:
    ProfileFactory(user=member)
    page = open_page(viewport)
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(staff_device))
    submit(page)
    wait_for_path(page, "/konto/")
    page.goto(f"/mitglieder/{member.pk}/")
    office_page = f"/geschaeftsstelle/konten/{member.pk}/loeschen/"
    page.locator(f"main a[href='{office_page}']").click()
    wait_for_path(page, office_page)
    assert_accessible(page)

    page.locator("#id_email").fill("jemand@example.org")
    submit(page, f"main form[action='{office_page}'] button[type=submit]")
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text("Das ist nicht die E-Mail-Adresse des Kontos.")

    page.locator("#id_email").fill("mitglied@example.org")
    submit(page, f"main form[action='{office_page}'] button[type=submit]")
    wait_for_path(page, "/geschaeftsstelle/")
    expect(page.locator("main [role=status]")).to_contain_text("Das Konto wurde gelöscht.")
    member.refresh_from_db()
    assert member.erased_at is not None
