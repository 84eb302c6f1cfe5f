"""The office downloads exports; anyone reads the open data page and takes a dataset."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from innoclub.core.access import Visibility
from innoclub.pilots.models import AdoptionState
from tests.browser.helpers import (
    assert_accessible,
    sign_in_as_office,
    wait_for_path,
)
from tests.factories import (
    EventFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    RegistrationFactory,
)
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def a_little_club() -> None:
    """Two members, one forum with a registration, a public and a members-only pilot."""
    albers = MemberFactory(first_name="Jana", last_name="Albers", email="jana@example.org")
    ProfileFactory(user=albers, position="=Oberbürgermeisterin")
    ProfileFactory(user=MemberFactory(first_name="Tom", last_name="Berg"))
    forum = EventFactory(title="23. Deutschlandforum", slug="deutschlandforum-23")
    RegistrationFactory(event=forum, user=albers, dietary_needs="vegan")
    public = PilotFactory(title="Digitale Bauakte", slug="digitale-bauakte")
    AdoptionFactory(
        pilot=public,
        municipality=MunicipalityFactory(name="Gießen", ags="06531005"),
        state=AdoptionState.IMPLEMENTED,
        started_on=datetime.date(2024, 5, 1),
        implemented_on=datetime.date(2025, 1, 15),
        contact=albers,
    )
    PilotFactory(title="Interner Versuch", visibility=Visibility.MEMBERS)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_downloads_exports(
    open_page: Callable[..., Page],
    viewport: str,
    staff,
    staff_device,
    password,
    tmp_path: Path,
) -> None:
    a_little_club()
    page = open_page(viewport)
    sign_in_as_office(page, password, staff_device)

    page.goto("/geschaeftsstelle/")
    page.get_by_role("link", name="Exporte (CSV und XLSX)").click()
    wait_for_path(page, "/geschaeftsstelle/exporte/")
    assert_accessible(page)
    page.screenshot(path=tmp_path / f"exports-{viewport}.png", full_page=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Exporte")
    members = page.locator("tbody tr").filter(has_text="Mitglieder und Partner")
    expect(members.locator("td").nth(1)).to_have_text("2")

    # The members as CSV, from the table's link.
    with page.expect_download() as download_info:
        members.get_by_role("link", name="CSV (Mitglieder und Partner)").click()
    download = download_info.value
    today = timezone.localdate().isoformat()
    assert download.suggested_filename == f"innoclub-mitglieder-{today}.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(io.StringIO(file.read()), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Albers", "Berg"]
    assert rows[1][5] == "'=Oberbürgermeisterin"

    # The registrations of one forum as XLSX, from the form's second button.
    page.get_by_label("Forum", exact=True).select_option("deutschlandforum-23")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Als XLSX herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == (f"innoclub-anmeldungen-deutschlandforum-23-{today}.xlsx")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    assert [cell.value for cell in sheet[2]][:3] == ["Albers", "Jana", "jana@example.org"]
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_anyone_reads_the_open_data_page_and_takes_a_dataset(
    open_page: Callable[..., Page], viewport: str, tmp_path: Path
) -> None:
    a_little_club()
    page = open_page(viewport)

    page.goto("/transfer/")
    page.get_by_role(
        "link", name="Die öffentlichen Pilotprojekte und ihre Nachnutzungen als offene Daten"
    ).click()
    wait_for_path(page, "/offene-daten/")
    assert_accessible(page)
    page.screenshot(path=tmp_path / f"opendata-{viewport}.png", full_page=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Daten")
    expect(page.get_by_role("table", name="Felder des Datensatzes „Pilotprojekte“")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Interner Versuch")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Nachnutzungen als CSV").click()
    download = download_info.value
    assert download.suggested_filename == "nachnutzungen.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(io.StringIO(file.read()), delimiter=";"))
    assert [(row["municipality"], row["state"]) for row in rows] == [("Gießen", "umgesetzt")]

    # The JSON file opens in the browser, with its licence.
    answer = page.request.get("/offene-daten/pilotprojekte.json")
    document = json.loads(answer.body())
    assert answer.headers["link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"'
    assert document["license"]["name"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert [item["title"] for item in document["items"]] == ["Digitale Bauakte"]
