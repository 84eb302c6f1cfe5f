"""Adopting a pilot in the browser: a member opens a pilot, presses "Nachnutzen", fills in
the declaration and finds the adoption in the pilot's section, on the map and in the
diffusion curve, and on its own page; the office confirms it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import cast

import pytest
from playwright.sync_api import Page, expect

from innoclub.accounts.models import User
from innoclub.network.models import Municipality
from innoclub.pilots.models import Adoption, AdoptionState, Indicator
from tests.browser.helpers import assert_accessible, sign_in, submit, totp_token, wait_for_path
from tests.factories import MemberFactory, MunicipalityFactory
from tests.pilots_factories import AdoptionFactory, IndicatorFactory, PilotFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_member_adopts_a_pilot_and_the_office_confirms_it(
    open_page: Callable[..., Page], password, staff, staff_device
):
    # Real places: the map draws one mark per grid cell (the strongest role in it), and
    # the factory puts every municipality at the same point as the pilot's lead.
    fulda = cast(
        Municipality,
        MunicipalityFactory(name="Fulda", ags="06631009", latitude=50.55, longitude=9.68),
    )
    member = cast(
        User,
        MemberFactory(email="buergermeisterin@example.org", first_name="Greta", municipality=fulda),
    )
    MemberFactory(first_name="Paul", last_name="Pfeiffer", municipality=fulda)
    pilot = PilotFactory(title="Digitale Bauakte", slug="digitale-bauakte")
    indicator = cast(Indicator, IndicatorFactory(pilot=pilot, name="Anteil digitaler Bauanträge"))
    AdoptionFactory(
        pilot=pilot,
        municipality__name="Kassel",
        municipality__latitude=51.31,
        municipality__longitude=9.48,
    )

    page = open_page()
    sign_in(page, member.email, password)
    wait_for_path(page, "/konto/")
    page.goto("/pilotprojekte/digitale-bauakte/")
    assert_accessible(page)
    section = page.locator("#nachnutzung")
    expect(section).to_contain_text("Kassel")
    spread = page.locator("#verbreitung")
    expect(spread.locator(".transfer-map__svg .transfer-map__marker--umgesetzt")).to_have_count(0)
    expect(spread.locator(".transfer-map__svg .transfer-map__marker--interessiert")).to_have_count(
        1
    )
    expect(spread.locator(".transfer-curve__message")).to_contain_text(
        "1 Nachnutzung (0 umgesetzt, 0 in Vorbereitung, 1 interessiert)"
    )
    section.get_by_role("link", name="Nachnutzen").click()
    wait_for_path(page, "/pilotprojekte/digitale-bauakte/nachnutzen/")
    assert_accessible(page)

    page.get_by_role("radio", name="umgesetzt").check()
    page.get_by_label("Begonnen am").fill("2025-01-15")
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text(
        "Bitte geben Sie an, wann die Lösung umgesetzt wurde."
    )

    page.get_by_label("Umgesetzt am").fill("2025-06-30")
    page.get_by_label("Ansprechperson").select_option(label="Paul Pfeiffer")
    page.get_by_label("Was haben Sie angepasst?").fill("Wir nutzen das Landesportal.")
    page.locator(f"#id_indicator_{indicator.pk}_before").fill("5")
    page.locator(f"#id_indicator_{indicator.pk}_after").fill("45.5")
    submit(page)
    wait_for_path(page, "/pilotprojekte/digitale-bauakte/#nachnutzung")
    expect(page.get_by_role("status")).to_contain_text(
        "Die Nachnutzung durch Fulda wurde gespeichert."
    )
    row = page.locator("#nachnutzung tr", has_text="Fulda")
    expect(row).to_contain_text("umgesetzt")
    expect(row).to_contain_text("30.06.2025")
    expect(
        page.locator("#nachnutzung").get_by_role("link", name="Nachnutzung aktualisieren")
    ).to_be_visible()
    # The map gains Fulda's marker and table row; the curve counts the new adoption.
    expect(spread.locator(".transfer-map__svg .transfer-map__marker--umgesetzt")).to_have_count(1)
    spread.get_by_text("Die Karte als Tabelle").click()
    expect(spread.locator("tr", has_text="Fulda")).to_contain_text("umgesetzt")
    expect(spread.locator(".transfer-curve__message")).to_contain_text(
        "2 Nachnutzungen (1 umgesetzt, 0 in Vorbereitung, 1 interessiert)"
    )

    row.get_by_role("link", name="Details").click()
    adoption = Adoption.objects.get(municipality=fulda)
    wait_for_path(page, f"/pilotprojekte/digitale-bauakte/nachnutzung/{adoption.pk}/")
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Fulda nutzt „Digitale Bauakte“ nach")
    expect(page.locator("main")).to_contain_text("Paul Pfeiffer")
    expect(page.locator("main")).to_contain_text("Wir nutzen das Landesportal.")
    expect(page.locator("main")).to_contain_text("Noch nicht von der Geschäftsstelle bestätigt")
    assert adoption.state == AdoptionState.IMPLEMENTED
    assert list(adoption.values.values_list("before", "after")) == [
        (Decimal("5.00"), Decimal("45.50"))
    ]

    office = open_page()
    sign_in(office, staff.email, password)
    wait_for_path(office, "/konto/anmelden/bestaetigen/")
    office.locator("#id_token").fill(totp_token(staff_device))
    submit(office)
    wait_for_path(office, "/konto/")
    office.goto(f"/pilotprojekte/digitale-bauakte/nachnutzung/{adoption.pk}/")
    submit(office, "main form button[value=bestaetigen]")
    expect(office.locator("main")).to_contain_text("Von der Geschäftsstelle bestätigt am")
    assert_accessible(office)
