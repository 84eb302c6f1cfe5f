"""The public side: the start page, the legal pages and the accessibility feedback form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect

from innoclub.core.models import AccessibilityFeedback, LegalPage
from tests.browser.helpers import assert_accessible, submit, wait_for_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEGAL_PAGES = ["impressum", "datenschutz", "kontakt", "barrierefreiheit"]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_start_page_for_a_visitor(open_page: Callable[..., Page], viewport: str, member) -> None:
    page = open_page(viewport)
    page.goto("/")
    assert_accessible(page)

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_be_visible()
    # The figures are counted from the data: one member from one municipality.
    expect(page.locator(".figures__number").first).to_have_text("1")
    # Signing in is in reach on every screen, without a hidden menu.
    expect(page.locator("header a[href='/konto/anmelden/']")).to_be_in_viewport()
    # Nothing but the visit itself: no cookie for an anonymous visitor.
    assert page.context.cookies() == []


def test_the_skip_link_leads_to_the_content(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#inhalt")).to_be_focused()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("slug", LEGAL_PAGES)
def test_legal_page_is_linked_in_the_footer(
    open_page: Callable[..., Page], viewport: str, slug: str
) -> None:
    title = LegalPage.objects.get(slug=slug).title
    page = open_page(viewport)
    page.goto("/")
    page.locator(f"footer a[href='/{slug}/']").click()
    wait_for_path(page, f"/{slug}/")
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text(title)
    expect(page).to_have_title(f"{title} – innoclub")


def test_a_visitor_reports_a_barrier(page: Page) -> None:
    page.goto("/barrierefreiheit/?seite=/impressum/")
    assert_accessible(page)
    # The page concerned is filled in from the link that led here.
    expect(page.locator("#id_page_url")).to_have_value("/impressum/")

    page.locator("#id_message").fill(
        "Die Tabelle auf der Startseite liest mein Screenreader nicht vor."
    )
    page.locator("#id_name").fill("Jana Schulz")
    page.locator("#id_email").fill("jana.schulz@example.org")
    submit(page, "main form[action='/barrierefreiheit/'] button[type=submit]")

    wait_for_path(page, "/barrierefreiheit/danke/")
    assert_accessible(page)
    expect(page.locator("h1")).to_be_visible()

    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == "Die Tabelle auf der Startseite liest mein Screenreader nicht vor."
    assert feedback.page_url == "/impressum/"
    assert feedback.name == "Jana Schulz"
    assert feedback.email == "jana.schulz@example.org"
    assert not feedback.handled

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [settings.INNOCLUB_OFFICE_EMAIL]
    assert message.reply_to == ["jana.schulz@example.org"]
    assert "liest mein Screenreader nicht vor" in str(message.body)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_empty_barrier_report_is_refused_with_a_german_explanation(
    open_page: Callable[..., Page], viewport: str
) -> None:
    page = open_page(viewport)
    page.goto("/barrierefreiheit/")
    submit(page, "main form[action='/barrierefreiheit/'] button[type=submit]")

    wait_for_path(page, "/barrierefreiheit/")
    assert_accessible(page, status=400)
    summary = page.locator("#fehler[role=alert]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Bitte")
    # The summary links to the field; the field says what is missing, in German.
    expect(summary.locator("a[href='#id_message']")).to_be_visible()
    expect(page.locator("#id_message_fehler")).to_contain_text("erforderlich")
    expect(page.locator("#id_message")).to_have_attribute("aria-invalid", "true")

    assert not AccessibilityFeedback.objects.exists()
    assert mail.outbox == []
