"""A visitor types in the header's search box, picks up a suggestion or presses Enter,
narrows the results with a facet and opens a result; on a desktop and on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from innoclub.core.access import Visibility
from tests.browser.helpers import assert_accessible, wait_for_path
from tests.factories import MunicipalityFactory, TopicFactory
from tests.ideas_factories import IdeaFactory
from tests.pilots_factories import PilotFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def schools() -> None:
    """Two pilots and an idea the word "Schulen" finds (indexed as they are saved), and a
    place it does not."""
    education = TopicFactory(name="Bildung und Schule", slug="bildung")
    fulda = MunicipalityFactory(name="Fulda", ags="06631009", state="06")
    PilotFactory(
        title="Energiesparen in Schulen",
        slug="energiesparen-in-schulen",
        summary="Schülerinnen und Schüler messen den Verbrauch ihrer Schule.",
        lead_municipality=fulda,
        topics=[education],
    )
    PilotFactory(
        title="Schulwege sicher gestalten",
        slug="schulwege",
        summary="Elterntaxis meiden, Schulen gemeinsam erreichen.",
        lead_municipality=fulda,
    )
    IdeaFactory(title="Grüne Höfe für alle Schulen", visibility=Visibility.PUBLIC)
    MunicipalityFactory(name="Schulzendorf", ags="12061444", state="12")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_visitor_searches_from_the_header_narrows_by_kind_and_opens_a_result(
    open_page: Callable[..., Page], viewport: str, schools
) -> None:
    page = open_page(viewport)
    page.goto("/")
    box = page.get_by_role("searchbox", name="Suche", exact=True)

    box.press_sequentially("Schulen", delay=30)

    suggestions = page.locator("#suchvorschlaege")
    expect(
        suggestions.get_by_role("link", name=re.compile("Energiesparen in Schulen"))
    ).to_be_visible()
    expect(suggestions).to_contain_text("Pilotprojekt")
    assert_accessible(page)

    with page.expect_navigation():
        box.press("Enter")
    wait_for_path(page, "/suche/?q=Schulen")
    assert_accessible(page)
    expect(page).to_have_title("Suche nach „Schulen“ – innoclub")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche nach „Schulen“")
    expect(page.get_by_role("searchbox", name="Suche", exact=True)).to_have_value("Schulen")
    results = page.locator("#ergebnisse")
    expect(results.locator(".browse__count")).to_have_text("3 Treffer für „Schulen“")
    page.evaluate("document.body.dataset.marker = 'same page'")

    page.locator("#filter").get_by_role("link", name=re.compile("^Pilotprojekt")).click()

    expect(results.locator(".browse__count")).to_have_text("2 Treffer für „Schulen“")
    expect(results).not_to_contain_text("Grüne Höfe")
    expect(page).to_have_url(re.compile(r"/suche/\?q=Schulen&art=pilot$"))
    # htmx replaced the results and their facets; the page itself was not reloaded.
    assert page.evaluate("document.body.dataset.marker") == "same page"
    expect(results.locator(".search-active")).to_contain_text("Art: Pilotprojekt")

    # The pushed address is a page of its own.
    page.reload()
    assert_accessible(page)
    expect(results.locator(".browse__count")).to_have_text("2 Treffer für „Schulen“")

    results.get_by_role("link", name="Energiesparen in Schulen").click()
    wait_for_path(page, "/pilotprojekte/energiesparen-in-schulen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Energiesparen in Schulen")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_suggestion_leads_straight_to_its_page(
    open_page: Callable[..., Page], viewport: str, schools
) -> None:
    page = open_page(viewport)
    page.goto("/pilotprojekte/")

    page.get_by_role("searchbox", name="Suche", exact=True).press_sequentially("Schulweg", delay=30)
    page.locator("#suchvorschlaege").get_by_role("link", name=re.compile("Schulwege")).click()

    wait_for_path(page, "/pilotprojekte/schulwege/")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_nothing_found_and_an_empty_query_get_a_helpful_page(
    open_page: Callable[..., Page], viewport: str, schools
) -> None:
    page = open_page(viewport)

    page.goto("/suche/?q=Zeppelinhangar&art=pilot")
    assert_accessible(page)
    expect(page.locator("#ergebnisse")).to_contain_text(
        "Zu „Zeppelinhangar“ haben wir mit den gewählten Filtern nichts gefunden."
    )
    expect(page.get_by_role("link", name="Entfernen Sie die Filter")).to_be_visible()

    page.goto("/suche/?q=")
    assert_accessible(page)
    expect(page.locator("#ergebnisse")).to_contain_text("Bitte geben Sie einen Suchbegriff ein.")
