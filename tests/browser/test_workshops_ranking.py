"""Workshop wishes in the browser: a member ranks per time slot with the keyboard, is told
about a workshop chosen twice, and later sees the workshops they were placed in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innoclub.events.models import Registration
from innoclub.workshops.models import Placement, PlacementSource, WorkshopChoice
from tests.browser.helpers import assert_accessible, sign_in, submit, wait_for_path
from tests.factories import RegistrationFactory
from tests.workshops_factories import WorkshopAllocationFactory, workshop_event

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def choose(page: Page, field: str, label: str) -> None:
    """Focus the drop-down and pick an option by its visible text."""
    select = page.locator(f"#id_{field}")
    select.focus()
    select.select_option(label=label)
    expect(select).to_be_focused()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_ranks_the_workshops_of_each_time_slot(
    open_page: Callable[..., Page], viewport: str, member, password: str
) -> None:
    event, grid = workshop_event(slots=2, per_slot=3)
    WorkshopAllocationFactory(event=event, choices=2)
    RegistrationFactory(event=event, user=member)
    registration = Registration.objects.get(event=event, user=member)
    address = f"/foren/{event.slug}/workshops/"
    page = open_page(viewport)
    sign_in(page, member.email, password)

    page.goto(f"/foren/{event.slug}/")
    page.locator(f"#anmeldung a[href='{address}']").click()
    wait_for_path(page, address)
    assert_accessible(page)
    expect(page.locator("main fieldset")).to_have_count(2)
    # Every drop-down has a real label, reached with the keyboard in reading order.
    page.locator("#id_z1-1").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#id_z1-2")).to_be_focused()

    # The same workshop twice: the summary names it and leads to the field.
    twice = f"{grid[0][1].title} – {grid[0][1].room}"
    choose(page, "z1-1", twice)
    choose(page, "z1-2", twice)
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text(grid[0][1].title)
    expect(page.locator("#id_z1-2")).to_have_attribute("aria-invalid", "true")
    page.locator("#fehler a[href='#id_z1-2']").click()
    expect(page.locator("#id_z1-2")).to_be_focused()
    assert WorkshopChoice.objects.filter(registration=registration).count() == 0

    choose(page, "z1-2", f"{grid[0][2].title} – {grid[0][2].room}")
    # Only the keyboard: the arrow key on the focused drop-down takes the first workshop.
    page.locator("#id_z2-1").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_z2-1")).to_have_value(str(grid[1][0].pk))
    submit(page)
    wait_for_path(page, address)
    assert_accessible(page)
    expect(page.locator("#id_z1-1")).to_have_value(str(grid[0][1].pk))
    assert list(
        WorkshopChoice.objects.filter(registration=registration)
        .order_by("session__starts_at", "rank")
        .values_list("session_id", "rank")
    ) == [(grid[0][1].pk, 1), (grid[0][2].pk, 2), (grid[1][0].pk, 1)]

    # The descriptions open without JavaScript and lead to the session pages.
    page.locator("main fieldset").first.locator("summary").click()
    expect(
        page.locator(f"main fieldset a[href='/foren/{event.slug}/programm/{grid[0][0].slug}/']")
    ).to_be_visible()


def test_a_published_allocation_shows_your_workshops(
    open_page: Callable[..., Page], member, password: str
) -> None:
    event, grid = workshop_event(slots=2, per_slot=3)
    WorkshopAllocationFactory(event=event, published_at=timezone.now())
    RegistrationFactory(event=event, user=member)
    registration = Registration.objects.get(event=event, user=member)
    Placement.objects.create(
        registration=registration, session=grid[0][2], rank=1, source=PlacementSource.SOLVER
    )
    Placement.objects.create(
        registration=registration, session=grid[1][0], rank=None, source=PlacementSource.SPEAKER
    )
    page = open_page("phone")
    sign_in(page, member.email, password)

    page.goto(f"/foren/{event.slug}/workshops/")
    assert_accessible(page)
    mine = page.locator("section[aria-labelledby='mine-title']")
    expect(mine.locator(".ranking-mine__item")).to_have_count(2)
    expect(mine.locator(".ranking-mine__item").first).to_contain_text(grid[0][2].title)
    expect(mine.locator(".ranking-mine__item").last).to_contain_text(grid[1][0].title)
    expect(mine.locator("a[href='/foren/kalender/']")).to_be_visible()
    expect(page.locator("main form[method=post]")).to_have_count(0)


def test_repeating_workshops_are_ranked_once_for_the_whole_event(
    open_page: Callable[..., Page], member, password: str
) -> None:
    event, grid = workshop_event(slots=2, per_slot=3, repeating=True)
    WorkshopAllocationFactory(event=event, choices=3)
    RegistrationFactory(event=event, user=member)
    page = open_page("phone")
    sign_in(page, member.email, password)

    page.goto(f"/foren/{event.slug}/workshops/")
    assert_accessible(page)
    expect(page.locator("main fieldset")).to_have_count(1)
    expect(page.locator("#id_alle-1 option")).to_have_count(4)  # empty + three workshops
    expect(page.locator("#id_alle-1 option").nth(1)).to_contain_text(grid[1][0].room)
