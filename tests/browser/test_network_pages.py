"""The network's pages (municipalities, topics, the members' directory, profiles)
open and pass the page check; their behaviour is tested without a browser."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in, wait_for_path
from tests.factories import MunicipalityFactory, ProfileFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def network(member):
    """One topic, and a second member in the directory who knows about it."""
    topic = TopicFactory(name="Wärmeplanung", slug="waermeplanung")
    colleague = ProfileFactory(
        user__first_name="Sabine",
        user__last_name="Krüger",
        user__municipality=MunicipalityFactory(name="Fulda", ags="06631009"),
        public_listing=True,
    )
    colleague.topics.add(topic)
    return {"topic": topic, "colleague": colleague.user}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_public_network_pages(open_page: Callable[..., Page], viewport: str, network) -> None:
    page = open_page(viewport)
    for path, text in [
        ("/kommunen/", "Fulda"),
        ("/kommunen/06631009/", "Fulda"),
        ("/themen/", "Wärmeplanung"),
        ("/themen/waermeplanung/", "Wärmeplanung"),
    ]:
        page.goto(path)
        assert_accessible(page)
        expect(page.locator("main")).to_contain_text(text)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_member_network_pages(
    open_page: Callable[..., Page], viewport: str, network, password
) -> None:
    page = open_page(viewport)
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    colleague = network["colleague"]
    for path in ["/mitglieder/", f"/mitglieder/{colleague.pk}/"]:
        page.goto(path)
        assert_accessible(page)
        expect(page.locator("main")).to_contain_text("Krüger")
    page.goto("/konto/profil/")
    assert_accessible(page)
