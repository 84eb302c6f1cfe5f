"""The club office: two-factor sign-in, its start page, legal texts and feedback."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.core.models import AccessibilityFeedback, LegalPage
from tests.browser.helpers import (
    assert_accessible,
    authenticator_code,
    sign_in,
    sign_out,
    submit,
    totp_token,
    wait_for_path,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OFFICE_EMAIL = "office@example.org"


def sign_in_with_code(page: Page, password: str, device: TOTPDevice) -> None:
    """Both steps of the office sign-in, ending on the account page."""
    sign_in(page, OFFICE_EMAIL, password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(device))
    submit(page)
    wait_for_path(page, "/konto/")


def test_the_office_sets_up_two_factor_sign_in_first(page: Page, staff, password) -> None:
    sign_in(page, OFFICE_EMAIL, password)

    # Without an authenticator app the office gets no further than its setup.
    wait_for_path(page, "/konto/zwei-faktor/")
    assert_accessible(page)
    expect(page.locator("main .site-messages [role=alert]")).to_be_visible()
    page.goto("/geschaeftsstelle/")
    wait_for_path(page, "/konto/zwei-faktor/")

    expect(page.locator("figure.qr svg")).to_be_visible()
    key = page.locator("code.secret").inner_text()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert "".join(key.split()) == b32encode(device.bin_key).decode().rstrip("=")

    page.locator("#id_token").fill(authenticator_code(key))
    submit(page, "main form[action='/konto/zwei-faktor/'] button[type=submit]")
    wait_for_path(page, "/konto/")
    assert_accessible(page)
    device.refresh_from_db()
    assert device.confirmed

    page.locator("header a[href='/geschaeftsstelle/']").click()
    wait_for_path(page, "/geschaeftsstelle/")
    assert_accessible(page)

    # From now on, signing in asks for the code.
    sign_out(page)
    sign_in(page, OFFICE_EMAIL, password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    assert_accessible(page)
    expect(page.locator("#id_token")).to_be_focused()
    page.locator("#id_token").fill(totp_token(device))
    submit(page)
    wait_for_path(page, "/konto/")
    page.goto("/geschaeftsstelle/")
    assert_accessible(page)


def test_a_wrong_code_is_refused(page: Page, staff, staff_device, password) -> None:
    sign_in(page, OFFICE_EMAIL, password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    correct = totp_token(staff_device)
    page.locator("#id_token").fill("000000" if correct != "000000" else "111111")
    submit(page)

    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    assert_accessible(page, status=400)
    expect(page.locator("#fehler[role=alert]")).to_be_visible()
    expect(page.locator("#id_token_fehler")).to_contain_text("Bitte")
    expect(page.locator("#id_token")).to_have_attribute("aria-invalid", "true")
    # Still not signed in.
    page.goto("/konto/")
    wait_for_path(page, "/konto/anmelden/?next=/konto/")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_page(
    open_page: Callable[..., Page], viewport: str, staff, staff_device, password
) -> None:
    AccessibilityFeedback.objects.create(
        message="Der Kontrast der Fußzeile ist zu schwach.",
        name="Jana Schulz",
        email="jana.schulz@example.org",
        page_url="/",
    )
    page = open_page(viewport)
    sign_in_with_code(page, password, staff_device)
    page.locator("header a[href='/geschaeftsstelle/']").click()
    wait_for_path(page, "/geschaeftsstelle/")
    assert_accessible(page)

    for slug in ["impressum", "datenschutz", "kontakt", "barrierefreiheit"]:
        expect(
            page.locator(f"main a[href='/geschaeftsstelle/rechtstexte/{slug}/']")
        ).to_be_visible()
    feedback = page.locator("#rueckmeldungen article")
    expect(feedback).to_have_count(1)
    expect(feedback).to_contain_text("Der Kontrast der Fußzeile ist zu schwach.")
    expect(feedback.locator("a[href='mailto:jana.schulz@example.org']")).to_be_visible()


def test_the_office_marks_feedback_as_handled(page: Page, staff, staff_device, password) -> None:
    item = AccessibilityFeedback.objects.create(message="Das PDF ist nicht barrierefrei.")
    sign_in_with_code(page, password, staff_device)
    page.goto("/geschaeftsstelle/")

    submit(page, f"form[action='/geschaeftsstelle/rueckmeldungen/{item.pk}/erledigt/'] button")
    wait_for_path(page, "/geschaeftsstelle/#rueckmeldungen")
    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_be_visible()
    expect(page.locator("#rueckmeldungen article.feedback--handled")).to_have_count(1)
    expect(page.locator("#rueckmeldungen form")).to_have_count(0)
    item.refresh_from_db()
    assert item.handled


def test_the_office_edits_the_legal_notice(page: Page, staff, staff_device, password) -> None:
    sign_in_with_code(page, password, staff_device)
    page.goto("/geschaeftsstelle/")
    page.locator("main a[href='/geschaeftsstelle/rechtstexte/impressum/']").click()
    wait_for_path(page, "/geschaeftsstelle/rechtstexte/impressum/")
    assert_accessible(page)

    # An empty title is refused, and the error page is accessible too.
    page.locator("#id_title").fill("")
    submit(page)
    wait_for_path(page, "/geschaeftsstelle/rechtstexte/impressum/")
    assert_accessible(page, status=400)
    expect(page.locator("#fehler[role=alert]")).to_be_visible()
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")

    page.locator("#id_title").fill("Impressum des Innovators Club")
    page.locator("#id_body").fill(
        "## Anbieter\n\nInnovators Club e. V., Musterstraße 1, 10115 Berlin"
    )
    submit(page)
    wait_for_path(page, "/geschaeftsstelle/")
    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_contain_text("Impressum des Innovators Club")

    page.goto("/impressum/")
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Impressum des Innovators Club")
    expect(page.locator("main h2")).to_have_text("Anbieter")
    expect(page.locator("main")).to_contain_text("Musterstraße 1, 10115 Berlin")
    assert LegalPage.objects.get(slug="impressum").updated_by == staff


@pytest.mark.parametrize("slug", ["datenschutz", "kontakt", "barrierefreiheit"])
def test_the_other_legal_texts_have_an_edit_form(
    page: Page, staff, staff_device, password, slug: str
) -> None:
    sign_in_with_code(page, password, staff_device)
    page.goto(f"/geschaeftsstelle/rechtstexte/{slug}/")
    assert_accessible(page)
    expect(page.locator("#id_title")).to_have_value(LegalPage.objects.get(slug=slug).title)


def test_members_and_visitors_do_not_find_the_office(page: Page, member, password) -> None:
    page.goto("/geschaeftsstelle/")
    wait_for_path(page, "/konto/anmelden/?next=/geschaeftsstelle/")
    assert_accessible(page)

    page.locator("#id_username").fill("mitglied@example.org")
    page.locator("#id_password").fill(password)
    submit(page)
    wait_for_path(page, "/geschaeftsstelle/")
    assert_accessible(page, status=404)


def test_the_administration_signs_in_through_the_two_factor_login(
    page: Page, staff, staff_device, password
) -> None:
    # The admin has no login of its own that could skip the second factor.
    page.goto("/admin/")
    wait_for_path(page, "/konto/anmelden/?next=/admin/")
    page.locator("#id_username").fill(OFFICE_EMAIL)
    page.locator("#id_password").fill(password)
    submit(page)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(staff_device))
    submit(page)
    wait_for_path(page, "/admin/")
    assert_accessible(page)
    expect(page.locator("#site-name")).to_be_visible()


def test_a_member_does_not_find_the_administration(page: Page, member, password) -> None:
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.goto("/admin/")
    assert_accessible(page, status=404)
