"""The club office allocates a forum's workshops in the browser: it sets the rules, computes a
preview, reads how well it fits next to first come, first served, moves a person and publishes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.events.models import Session
from innoclub.workshops import services
from innoclub.workshops.models import Placement, WorkshopAllocation, WorkshopChoice
from tests.browser.helpers import (
    assert_accessible,
    sign_in_as_office,
    submit,
    wait_for_path,
)
from tests.factories import MemberFactory, RegistrationFactory
from tests.workshops_factories import workshop_event

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAMES = ["Anna Adler", "Bernd Bauer", "Clara Conrad", "David Dietz", "Eva Engel", "Frank Fuchs"]


def forum_with_wishes():
    """Two time slots of three workshops with three places each; six people have ranked."""
    event, grid = workshop_event(slots=2, per_slot=3, capacity=3)
    people = []
    for index, name in enumerate(NAMES):
        first, last = name.split(" ")
        registration = RegistrationFactory(
            event=event, user=MemberFactory(first_name=first, last_name=last)
        )
        people.append(registration)
        for slot in grid:
            turned = slot[index % 3 :] + slot[: index % 3]
            WorkshopChoice.objects.bulk_create(
                WorkshopChoice(registration=registration, session=session, rank=rank)
                for rank, session in enumerate(turned[:2], start=1)
            )
    return event, grid, people


def test_the_office_sets_up_computes_moves_and_publishes(
    open_page: Callable[..., Page], staff_device: TOTPDevice, password: str
) -> None:
    event, grid, people = forum_with_wishes()
    url = f"/geschaeftsstelle/foren/{event.slug}/workshops/"
    page = open_page()
    sign_in_as_office(page, password, staff_device)

    page.goto(f"/geschaeftsstelle/foren/{event.slug}/programm/")
    submit(page, f"main a[href='{url}']")
    wait_for_path(page, url)
    assert_accessible(page)

    # Rules: a missing deadline is explained, then the allocation is set up.
    page.locator("#id_ranking_deadline").fill("")
    page.locator("#id_choices").fill("2")
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#id_ranking_deadline")).to_have_attribute("aria-invalid", "true")
    assert not WorkshopAllocation.objects.exists()
    page.locator("#id_ranking_deadline").fill("2030-03-01T18:00")
    submit(page)
    wait_for_path(page, url)
    assert_accessible(page)
    allocation = WorkshopAllocation.objects.get(event=event)
    assert allocation.choices == 2

    # The preview, and how it compares with first come, first served.
    page.locator("#id_seed").fill("5")
    submit(page, f"main form[action='{url}berechnen/'] button[type=submit]")
    wait_for_path(page, url)
    assert_accessible(page)
    allocation.refresh_from_db()
    assert allocation.seed == 5
    figures = allocation.preview
    rows = page.locator("table.allocation-compare tbody tr")
    # 1st wish, 2nd wish, outside the wishes, no wishes given, without a place, worst place,
    # share of firsts.
    expect(rows).to_have_count(7)
    first = rows.nth(0).locator("td")
    expect(first.nth(0)).to_have_text(str(figures["allocation"]["histogram"]["1"]))
    expect(first.nth(2)).to_have_text(str(figures["fcfs"]["histogram"].get("1", 0)))
    expect(rows.nth(4).locator("td").nth(0)).to_have_text("0")  # nobody without a place

    # Anna moves to another workshop of her first slot; the place is fixed.
    anna = people[0]
    seat = Placement.objects.get(registration=anna, session__in=grid[0])
    target = next(
        s for s in grid[0] if s != seat.session and Placement.objects.filter(session=s).count() < 3
    )
    page.locator(f"#workshop-{seat.session_id} > summary").click()
    page.locator(f"#ziel-{seat.pk}").select_option(value=str(target.pk))
    expect(page.locator(f"#festlegen-{seat.pk}")).to_be_checked()
    submit(page, f"#workshop-{seat.session_id} form:has(#ziel-{seat.pk}) button[type=submit]")
    wait_for_path(page, f"{url}?offen={seat.session_id}&offen={target.pk}#workshop-{target.pk}")
    assert_accessible(page)
    moved = Placement.objects.get(registration=anna, session__in=grid[0])
    assert (moved.session, moved.locked) == (target, True)
    expect(page.locator(f"#workshop-{target.pk}")).to_have_attribute("open", "")
    expect(page.locator(f"#workshop-{target.pk}")).to_contain_text("Anna Adler")

    # Publication: everybody is told.
    submit(page, f"main form[action='{url}veroeffentlichen/'] button[type=submit]")
    wait_for_path(page, url)
    assert_accessible(page)
    allocation.refresh_from_db()
    assert allocation.is_published
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        registration.user.email for registration in people
    )
    expect(page.locator(f"main form[action='{url}berechnen/']")).to_have_count(0)


def test_the_overview_fits_a_phone(
    open_page: Callable[..., Page], staff_device: TOTPDevice, password: str, tmp_path: Path
) -> None:
    event, grid, _people = forum_with_wishes()
    # The second slot is short of places: three people stay without one there, and a
    # workshop stays below its minimum. Then a workshop grows, so they can be given a place.
    Session.objects.filter(pk__in=[s.pk for s in grid[1]]).update(capacity=1)
    Session.objects.filter(pk=grid[1][1].pk).update(minimum_participants=2)
    allocation = services.allocation_setup(
        event=event,
        ranking_deadline=timezone.now() - datetime.timedelta(days=1),
        choices=2,
        cancel_below_minimum=False,
    )
    services.allocation_preview(allocation=allocation)
    allocation.refresh_from_db()
    assert len(allocation.preview["unplaced"]) == 3
    Session.objects.filter(pk=grid[1][0].pk).update(capacity=4)
    page = open_page("phone")
    sign_in_as_office(page, password, staff_device)

    page.goto(f"/geschaeftsstelle/foren/{event.slug}/workshops/")
    for summary in page.locator("details.allocation-people > summary").all():
        summary.click()
    # assert_accessible also fails when the page scrolls sideways.
    assert_accessible(page)
    expect(page.locator("#ohne-platz-titel + ul > li")).to_have_count(3)
    expect(page.locator("#ohne-platz-titel + ul select")).to_have_count(3)
    page.screenshot(path=tmp_path / "workshops-office-phone.png", full_page=True)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
    )
    assert widths[0] <= widths[2] and widths[1] <= widths[2]
    # The comparison table scrolls inside its own container if it must.
    wrap = page.locator(".allocation-table-wrap").first
    expect(wrap).to_have_attribute("tabindex", "0")
    assert wrap.evaluate("e => e.getBoundingClientRect().right") <= widths[2]
