"""The club office reads the growth statistics: charts with tables beside them, CSV files."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.network.models import FederalState, Function, Sector
from tests.browser.helpers import assert_accessible, sign_in, submit, totp_token, wait_for_path
from tests.factories import GuestFactory, MemberFactory, MunicipalityFactory, ProfileFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE = "/geschaeftsstelle/statistik/"


def a_few_members() -> None:
    """Five members since 2018 in Hessen and Bayern, one of whom left, and two partners."""
    this_year = timezone.localdate().year
    bavaria = MunicipalityFactory(
        name="Regensburg", state=FederalState.BY, ags="09362000", population=153_000
    )
    hesse = MunicipalityFactory(name="Marburg", population=77_000)
    for year, municipality, function, left in [
        (2018, hesse, Function.OBERBUERGERMEISTER, None),
        (2018, bavaria, Function.CDO, None),
        (2020, bavaria, Function.BUERGERMEISTER, 2023),
        (2022, hesse, Function.BUERGERMEISTER, None),
        (this_year, bavaria, Function.BUERGERMEISTER, None),
    ]:
        ProfileFactory(
            user=MemberFactory(municipality=municipality),
            function=function,
            member_since=datetime.date(year, 3, 1),
            left_on=datetime.date(left, 12, 31) if left else None,
        )
    for sector in [Sector.WISSENSCHAFT, Sector.ZIVILGESELLSCHAFT]:
        ProfileFactory(user=GuestFactory(), sector=sector, member_since=None)


def open_statistics(page: Page, password: str, device: TOTPDevice) -> None:
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(device))
    submit(page)
    wait_for_path(page, "/konto/")
    page.goto(PAGE)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_reads_the_growth_statistics(
    open_page: Callable[..., Page], viewport: str, staff, staff_device, password
) -> None:
    a_few_members()
    this_year = timezone.localdate().year
    page = open_page(viewport)

    open_statistics(page, password, staff_device)
    assert_accessible(page)

    # Each chart is an image named by its key message, with a table beside it.
    charts = page.locator("main svg[role=img]")
    expect(charts).to_have_count(6)
    # "From 2 members in 2018 to 4 in …", in German "Von 2 Mitgliedern 2018 auf 4 im Jahr …"
    growth = re.compile(rf"\b2\b\D+2018\D+\b4\b\D+{this_year}")
    expect(page.get_by_role("img", name=growth)).to_be_visible()
    expect(page.locator("main table")).to_have_count(6)
    members = page.locator("#mitglieder-pro-jahr table")
    expect(members.locator("caption")).to_be_visible()
    expect(members.locator("tbody tr")).to_have_count(this_year - 2018 + 1)
    expect(members.locator("tbody tr").first).to_contain_text("2018")
    expect(members.locator("tbody tr").first.locator("td")).to_have_text("2")
    states = page.locator("#bundeslaender tbody tr")
    expect(states).to_have_count(16)
    expect(states.nth(0)).to_contain_text("Bayern")
    expect(states.nth(0).locator("td")).to_have_text("2")
    expect(states.nth(1)).to_contain_text("Hessen")

    # The numbers of the figures at the top come from the same data.
    expect(page.locator(".figures__number").first).to_have_text("4")

    with page.expect_download() as download_info:
        page.locator("#bundeslaender a[href$='.csv']").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"innoclub-bundeslaender-{timezone.localdate().isoformat()}.csv"
    )
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(io.StringIO(file.read()), delimiter=";"))
    assert rows[1:3] == [["Bayern", "2"], ["Hessen", "2"]]
