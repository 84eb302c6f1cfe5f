"""The transfer views in a real browser: the overview with its map and curve, a pilot's
map on its page, „Wer hat das schon gemacht?“ and the office's overview."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.network.models import FederalState, MunicipalityKind
from innoclub.pilots.models import AdoptionState, AdoptionStateChange
from tests.browser.helpers import assert_accessible, sign_in, submit, totp_token, wait_for_path
from tests.factories import MemberFactory, MunicipalityFactory, ProfileFactory, TopicFactory
from tests.pilots_factories import AdoptionFactory, ParticipantFactory, PilotFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = timezone.localdate()


def a_spreading_pilot():
    """A mobility pilot led by Marburg with a partner, three adopters and one given up."""
    mobility = TopicFactory(name="Mobilität", slug="mobilitaet")
    contact = ProfileFactory(user=MemberFactory(first_name="Jana", last_name="Kühn")).user
    pilot = PilotFactory(
        title="Rufbus für den ländlichen Raum",
        slug="rufbus",
        topics=[mobility],
        contacts=[contact],
        starts_on=TODAY - datetime.timedelta(days=700),
        lead_municipality=MunicipalityFactory(
            name="Marburg", ags="06534014", population=77_000, latitude=50.81, longitude=8.77
        ),
    )
    ParticipantFactory(
        pilot=pilot,
        municipality=MunicipalityFactory(
            name="Kassel", ags="06611000", population=200_000, latitude=51.31, longitude=9.49
        ),
    )
    places = [
        ("Rostock", "13003000", FederalState.MV, 54.09, 12.10, AdoptionState.IMPLEMENTED),
        ("Passau", "09262000", FederalState.BY, 48.57, 13.43, AdoptionState.PREPARING),
        ("Kiel", "01002000", FederalState.SH, None, None, AdoptionState.INTERESTED),
        ("Trier", "07211000", FederalState.RP, 49.75, 6.64, AdoptionState.GIVEN_UP),
    ]
    for index, (name, ags, state, lat, lon, adoption_state) in enumerate(places):
        adoption = AdoptionFactory(
            pilot=pilot,
            municipality=MunicipalityFactory(
                name=name,
                ags=ags,
                state=state,
                kind=MunicipalityKind.KREISFREIE_STADT,
                latitude=lat,
                longitude=lon,
            ),
            started_on=TODAY - datetime.timedelta(days=400 - 60 * index),
        )
        if adoption_state != AdoptionState.INTERESTED:
            on = TODAY - datetime.timedelta(days=100 - 10 * index)
            AdoptionStateChange.objects.create(
                adoption=adoption, state=adoption_state, effective_on=on
            )
            adoption.state = adoption_state
            adoption.given_up_reason = "Keine Fahrer gefunden." if index == 3 else ""
            adoption.given_up_on = on if adoption_state == AdoptionState.GIVEN_UP else None
            adoption.implemented_on = on if adoption_state == AdoptionState.IMPLEMENTED else None
            adoption.save()
    return pilot


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_public_sees_where_pilots_spread(open_page: Callable[..., Page], viewport) -> None:
    a_spreading_pilot()
    page = open_page(viewport)

    page.goto("/transfer/")
    assert_accessible(page)

    expect(
        page.get_by_role("img", name="Federführende, beteiligte und nachnutzende Kommunen")
    ).to_be_visible()
    # one path per role on the map; Kiel, the only one interested, has no coordinates
    expect(page.locator(".transfer-map__svg .transfer-map__marker")).to_have_count(5)
    expect(page.locator(".figures__number").first).to_have_text("5")
    page.get_by_text("Die Karte als Tabelle (6 Einträge)").click()
    by_state = page.locator("#transfer-karte-tabelle").locator("xpath=..")
    expect(by_state.locator("tbody tr")).to_have_count(5)  # Hessen has Marburg and Kassel
    expect(by_state.locator("tfoot")).to_contain_text("6")
    places = page.locator("#transfer-karte-orte").locator("xpath=..").locator("tbody tr")
    expect(places).to_have_count(6)
    expect(places.first).to_contain_text("Kassel")  # the largest first
    expect(places.filter(has_text="Kiel")).to_contain_text("nicht auf der Karte")
    expect(page.locator("#verlauf svg[role=img]")).to_be_visible()
    expect(page.locator("#reichweite .figures__number").nth(1)).to_have_text("403.000")

    page.locator("#transfer-thema").select_option("mobilitaet")
    submit(page, "main form[role=search] button[type=submit]")
    wait_for_path(page, "/transfer/?thema=mobilitaet")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Gezählt über 1 Pilotprojekt.")


def test_the_pilot_page_shows_its_map_and_curve(page: Page) -> None:
    a_spreading_pilot()

    page.goto("/pilotprojekte/rufbus/")
    assert_accessible(page)

    section = page.locator("#verbreitung")
    expect(
        section.get_by_role("img", name="Wo „Rufbus für den ländlichen Raum“ genutzt wird")
    ).to_be_visible()
    expect(section.locator(".transfer-map .transfer-legend__item")).to_have_count(6)
    expect(section.locator(".transfer-curve__message")).to_contain_text("3 Nachnutzungen")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_finds_who_has_done_it(open_page: Callable[..., Page], viewport, password) -> None:
    a_spreading_pilot()
    MemberFactory(
        email="giessen@example.org",
        municipality=MunicipalityFactory(
            name="Gießen", ags="06531005", population=90_000, latitude=50.58, longitude=8.68
        ),
    )
    page = open_page(viewport)
    sign_in(page, "giessen@example.org", password)
    wait_for_path(page, "/konto/")

    page.goto("/transfer/wer-hat-das-schon-gemacht/")
    assert_accessible(page)
    expect(page.locator("#id_kommune")).to_have_value("Gießen (06531005)")

    page.locator("#id_q").fill("und")
    submit(page, "main form[role=search] button[type=submit]")
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text("Bitte verwenden Sie ein genaueres Wort")

    page.locator("#id_thema").select_option("mobilitaet")
    page.locator("#id_q").fill("Rufbus")
    submit(page, "main form[role=search] button[type=submit]")
    assert_accessible(page)
    matches = page.locator(".transfer-match")
    expect(matches).to_have_count(3)  # Marburg (lead), Rostock and Passau; not Kiel or Trier
    expect(matches.first).to_contain_text("Marburg")
    expect(matches.first).to_contain_text("26 km entfernt")
    expect(matches.first).to_contain_text("Jana Kühn")


def test_the_office_sees_spread_and_what_to_verify(
    page: Page, staff, staff_device: TOTPDevice, password
) -> None:
    a_spreading_pilot()
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(staff_device))
    submit(page)
    wait_for_path(page, "/konto/")

    page.goto("/geschaeftsstelle/transfer/")
    assert_accessible(page)

    expect(page.locator("#aufgegeben-tabelle").locator("xpath=..")).to_contain_text(
        "Keine Fahrer gefunden."
    )
    to_check = page.locator("#pruefen-tabelle").locator("xpath=..").locator("tbody tr")
    expect(to_check).to_have_count(3)
    to_check.first.get_by_role("link").click()
    expect(page.locator("h1")).to_be_visible()
    assert "/pilotprojekte/rufbus/nachnutzung/" in page.url


def test_a_long_adoption_register_is_paged_accessibly(page: Page) -> None:
    pilot = a_spreading_pilot()
    AdoptionFactory.create_batch(55, pilot=pilot, state=AdoptionState.PREPARING)

    page.goto("/pilotprojekte/rufbus/")
    assert_accessible(page)
    register = page.locator("#nachnutzung")
    expect(register.locator("tbody tr")).to_have_count(50)
    expect(register.locator(".adoptions__count--vorbereitung")).to_contain_text("56")

    register.locator("a[rel=next]").click()
    wait_for_path(page, "/pilotprojekte/rufbus/?seite=2#nachnutzung")
    assert_accessible(page)
    expect(page.locator("#nachnutzung tbody tr")).to_have_count(9)
