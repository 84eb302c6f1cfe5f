"""The club office creates a pilot project; its contact person edits it, fills in its
lists and uploads a document. Every page on the way passes the page check."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from innoclub.core.access import Visibility
from innoclub.pilots.models import DocumentVersion, PilotProject, PilotState
from tests.browser.helpers import (
    assert_accessible,
    sign_in,
    sign_in_as_office,
    submit,
    wait_for_path,
)
from tests.factories import MemberFactory, MunicipalityFactory, ProfileFactory, TopicFactory
from tests.pilots_factories import (
    AdoptionFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    PilotFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def contact():
    person = MemberFactory(
        email="kontakt@example.org",
        first_name="Clara",
        last_name="Kontakt",
        municipality=MunicipalityFactory(name="Fulda", ags="06631009"),
    )
    ProfileFactory(user=person, in_directory=True, public_listing=True)
    return person


def test_the_office_creates_a_pilot_and_its_contact_person_fills_it_in(
    open_page: Callable[..., Page], staff, staff_device, contact, password, tmp_path
) -> None:
    MunicipalityFactory(name="Kassel", ags="06611000")
    TopicFactory(name="Mobilität", slug="mobilitaet")
    PilotFactory(title="Digitale Bauakte", state=PilotState.COMPLETED)

    office = open_page()
    sign_in_as_office(office, password, staff_device)
    office.goto("/pilotprojekte/")
    assert_accessible(office)
    office.get_by_role("link", name="Neues Pilotprojekt").click()
    wait_for_path(office, "/pilotprojekte/neu/")
    assert_accessible(office)

    office.locator("#id_title").fill("Bürgerbus auf Abruf")
    office.locator("#id_summary").fill("Ein Bus, der **kommt, wenn man ihn ruft**.")
    office.locator("#id_lead_municipality").fill("Fulda")
    office.locator("#id_starts_on").fill("2025-04-01")
    office.locator("#id_ends_on").fill("2025-03-01")
    office.get_by_label("Mobilität").check()
    office.get_by_label("Clara Kontakt – Fulda").check()
    office.get_by_label("Öffentlich").check()
    submit(office)
    assert_accessible(office, status=400)
    expect(office.locator("#fehler")).to_contain_text("Das Ende liegt vor dem Beginn.")
    expect(office.locator("#id_title")).to_have_value("Bürgerbus auf Abruf")

    office.locator("#id_ends_on").fill("2026-03-31")
    submit(office)
    wait_for_path(office, "/pilotprojekte/buergerbus-auf-abruf/")
    assert_accessible(office)
    expect(office.locator(".site-messages")).to_contain_text("wurde angelegt")
    expect(office.locator("#ansprechpersonen")).to_contain_text("Clara Kontakt")

    person = open_page()
    sign_in(person, "kontakt@example.org", password)
    wait_for_path(person, "/konto/")
    person.goto("/pilotprojekte/buergerbus-auf-abruf/")
    person.get_by_role("link", name="Pilotprojekt bearbeiten").click()
    wait_for_path(person, "/pilotprojekte/buergerbus-auf-abruf/bearbeiten/")
    assert_accessible(person)
    expect(person.locator("#id_state")).to_have_count(0)
    person.locator("#id_results").fill("Doppelt so viele Fahrgäste am Abend.")
    person.locator("#id_lessons_learned").fill("Früh mit dem Busunternehmen sprechen.")
    submit(person)
    wait_for_path(person, "/pilotprojekte/buergerbus-auf-abruf/")
    expect(person.locator("#ergebnisse")).to_contain_text("Doppelt so viele Fahrgäste")

    person.locator("#beteiligte").get_by_role("link", name="Beteiligte Kommunen bearbeiten").click()
    wait_for_path(person, "/pilotprojekte/buergerbus-auf-abruf/bearbeiten/beteiligte/")
    assert_accessible(person)
    person.locator("#id_zeilen-0-municipality").fill("Kassel")
    person.locator("#id_zeilen-0-role").fill("Erprobung in der Großstadt")
    submit(person, "main form button[type=submit] >> nth=0")
    wait_for_path(person, "/pilotprojekte/buergerbus-auf-abruf/#beteiligte")
    expect(person.locator("#beteiligte")).to_contain_text("Erprobung in der Großstadt")

    person.goto("/pilotprojekte/buergerbus-auf-abruf/bearbeiten/indikatoren/")
    assert_accessible(person)
    person.locator("#id_zeilen-0-name").fill("Fahrgäste am Abend")
    person.locator("#id_zeilen-0-unit").select_option(label="Prozent")
    person.locator("#id_zeilen-0-after").fill("140")
    submit(person, "main form button[type=submit] >> nth=0")
    assert_accessible(person, status=400)
    expect(person.locator("#fehler")).to_contain_text("Ein Prozentwert liegt zwischen 0 und 100.")
    person.locator("#id_zeilen-0-after").fill("40")
    submit(person, "main form button[type=submit] >> nth=0")
    wait_for_path(person, "/pilotprojekte/buergerbus-auf-abruf/#indikatoren")
    expect(person.locator("#indikatoren")).to_contain_text("Fahrgäste am Abend")

    for page_path in ("meilensteine", "finanzierung"):
        person.goto(f"/pilotprojekte/buergerbus-auf-abruf/bearbeiten/{page_path}/")
        assert_accessible(person)

    person.goto("/pilotprojekte/buergerbus-auf-abruf/")
    person.locator("#dokumente").get_by_role("link", name="Dokument hinzufügen").click()
    wait_for_path(person, "/pilotprojekte/buergerbus-auf-abruf/dokumente/neu/")
    assert_accessible(person)
    file = tmp_path / "Ausschreibung.pdf"
    file.write_bytes(PDF)
    person.locator("#id_kind").select_option(label="Ausschreibungstext")
    person.locator("#id_title").fill("Ausschreibung Rufbus")
    person.locator("#id_upload").set_input_files(str(file))
    submit(person)
    version = DocumentVersion.objects.get()
    wait_for_path(person, f"/pilotprojekte/buergerbus-auf-abruf/dokumente/{version.document_id}/")
    assert_accessible(person)
    expect(person.locator("#versionen")).to_contain_text("Version 1: Ausschreibung.pdf")

    pilot = PilotProject.objects.get(slug="buergerbus-auf-abruf")
    assert pilot.results == "Doppelt so viele Fahrgäste am Abend."
    assert pilot.visibility == Visibility.PUBLIC
    assert list(pilot.indicators.values_list("after", flat=True)) == [Decimal("40.00")]


def test_a_visitor_filters_the_list_and_reads_a_full_pilot_page_on_a_phone(
    open_page: Callable[..., Page],
) -> None:
    pilot = PilotFactory(
        title="Digitale Bauakte im Landkreis",
        budget=Decimal(250000),
        results="Die Bearbeitungszeit hat sich **halbiert**.",
        lessons_learned="Früh mit dem Personalrat sprechen.",
        ends_on=datetime.date(2026, 2, 28),
    )
    PilotFactory(title="Bürgerbus", state=PilotState.PLANNED)
    ParticipantFactory(pilot=pilot, role="Erprobung in einer kleinen Gemeinde")
    MilestoneFactory(pilot=pilot, title="Ausschreibung veröffentlicht")
    IndicatorFactory(pilot=pilot, name="Anteil digitaler Bauanträge")
    AdoptionFactory(pilot=pilot)
    pilot.contacts.add(ProfileFactory(public_listing=True).user)

    page = open_page("phone")
    page.goto("/pilotprojekte/")
    assert_accessible(page)
    page.locator("#filter-state").select_option(label="laufend")
    expect(page.locator("#ergebnisse")).not_to_contain_text("Bürgerbus")
    expect(page.locator("#ergebnisse")).to_contain_text("1 Pilotprojekt gefunden")
    wait_for_path(page, "/pilotprojekte/?suche=&status=laufend&thema=&land=&sortierung=neueste")

    page.get_by_role("link", name="Digitale Bauakte im Landkreis").click()
    wait_for_path(page, f"/pilotprojekte/{pilot.slug}/")
    assert_accessible(page)
    expect(page.locator("#indikatoren")).to_contain_text("Anteil digitaler Bauanträge")
    expect(page.locator("#gelernt")).to_contain_text("Früh mit dem Personalrat sprechen.")
