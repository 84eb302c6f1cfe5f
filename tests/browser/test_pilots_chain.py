"""The provenance chain in the browser: on an idea page and a forum session page,
and the pilots on a municipality and a topic page, each passing the page check."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

import pytest
from playwright.sync_api import Page, expect

from innoclub.core.access import Visibility
from innoclub.ideas.models import Idea, Stage
from innoclub.pilots.models import AdoptionState
from tests.browser.helpers import assert_accessible, wait_for_path
from tests.factories import EventFactory, MunicipalityFactory, SessionFactory, TopicFactory
from tests.ideas_factories import IdeaFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chain() -> dict[str, str]:
    """A session of a past forum, an idea born there, its pilot and two adoptions."""
    event = EventFactory(
        title="20. Deutschlandforum",
        slug="deutschlandforum-20",
        starts_on=datetime.date(2023, 9, 14),
    )
    session = SessionFactory(event=event, title="Verfahren verschlanken", slug="verschlanken")
    place = MunicipalityFactory(name="Fulda", ags="06631009")
    topic = TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    pilot = PilotFactory(
        title="Digitale Bauakte", slug="digitale-bauakte", lead_municipality=place, topics=[topic]
    )
    idea = cast(
        Idea,
        IdeaFactory(
            title="Bauakte ohne Papier",
            visibility=Visibility.PUBLIC,
            stage=Stage.PILOT,
            origin_session=session,
            pilot=pilot,
        ),
    )
    AdoptionFactory(
        pilot=pilot, state=AdoptionState.IMPLEMENTED, implemented_on=datetime.date(2025, 9, 1)
    )
    AdoptionFactory(pilot=pilot)
    return {
        "idea": f"/ideen/{idea.pk}/",
        "session": "/foren/deutschlandforum-20/programm/verschlanken/",
        "pilot": "/pilotprojekte/digitale-bauakte/",
    }


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_chain_leads_from_the_session_through_the_idea_to_the_pilot(
    open_page: Callable[..., Page], viewport: str, chain: dict[str, str]
) -> None:
    page = open_page(viewport)

    page.goto(chain["session"])
    assert_accessible(page)
    steps = page.locator(".chain__steps > li")
    expect(steps).to_have_count(4)
    expect(page.locator(".chain [aria-current=page]")).to_have_text(
        "Sitzung „Verfahren verschlanken“"
    )
    expect(steps.nth(3)).to_have_text("2 Kommunen nutzen es nach (1 umgesetzt)")

    page.locator(".chain").get_by_role("link", name="Idee „Bauakte ohne Papier“").click()
    wait_for_path(page, chain["idea"])
    assert_accessible(page)
    expect(page.locator(".chain [aria-current=page]")).to_have_text("Idee „Bauakte ohne Papier“")
    expect(page.locator(".chain__steps > li").first).to_contain_text(
        "Sitzung „Verfahren verschlanken“ beim 20. Deutschlandforum, 14. September 2023"
    )

    page.locator(".chain").get_by_role("link", name="Pilotprojekt „Digitale Bauakte“").click()
    wait_for_path(page, chain["pilot"])


def test_municipality_and_topic_pages_list_the_pilots(page: Page, chain: dict[str, str]) -> None:
    page.goto("/kommunen/06631009/")
    assert_accessible(page)
    expect(page.locator("#pilots-title")).to_have_text("Pilotprojekte und Nachnutzung")
    expect(page.locator("main")).to_contain_text("Digitale Bauakte (laufend)")

    page.goto("/themen/digitale-verwaltung/")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("2 Kommunen nutzen es nach (1 umgesetzt)")
