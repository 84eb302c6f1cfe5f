"""A member asks for a copy of their data on the account page, downloads the ZIP,
opens it, and finds that the link does not work a second time."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from innoclub.accounts.models import DataExport
from tests.browser.helpers import assert_accessible, sign_in, submit, wait_for_path
from tests.factories import ProfileFactory
from tests.ideas_factories import CommentFactory, IdeaFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REQUEST_BUTTON = "main form[action='/konto/datenexport/'] button[type=submit]"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_downloads_their_data_once(
    open_page: Callable[..., Page],
    viewport: str,
    member,
    password: str,
    settings,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    ProfileFactory(user=member, phone="+49 6151 12345", show_phone=False)
    CommentFactory(idea=IdeaFactory(), author=member, body="Gute Idee, machen wir mit.")
    page = open_page(viewport)
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    section = page.locator("#meine-daten")
    expect(section.get_by_role("heading", level=2)).to_have_text("Meine Daten herunterladen")
    assert_accessible(page)

    # The file is built in the background; in the tests the task runs at once.
    submit(page, REQUEST_BUTTON)
    wait_for_path(page, "/konto/#meine-daten")
    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_contain_text("Wir stellen Ihre Daten zusammen.")
    expect(section).to_contain_text("Ihre Datei ist bereit.")
    expect(section.locator("form")).to_have_count(0)
    page.screenshot(path=tmp_path / f"account-export-{viewport}.png", full_page=True)
    [message] = mail.outbox
    assert message.subject == "Ihre Daten stehen zum Herunterladen bereit"

    link = section.get_by_role("link", name="Meine Daten herunterladen (ZIP)")
    href = link.get_attribute("href")
    assert href is not None
    assert href in message.body
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == (
        f"innoclub-meine-daten-{timezone.localdate().isoformat()}.zip"
    )
    with zipfile.ZipFile(download.path()) as archive:
        assert "README.txt" in archive.namelist()
        [profile] = json.loads(archive.read("json/profil.json"))
        [comment] = json.loads(archive.read("json/kommentare.json"))
    assert profile["telefon"] == "+49 6151 12345"
    assert comment["kommentar"] == "Gute Idee, machen wir mit."
    assert DataExport.objects.get(user=member).file_name == ""

    page.goto("/konto/")
    expect(section).to_contain_text("Sie haben Ihre Daten am")
    expect(section.locator(REQUEST_BUTTON.removeprefix("main "))).to_be_visible()

    page.goto(href)
    assert_accessible(page, status=410)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dieser Download ist nicht mehr verfügbar"
    )
    expect(page.locator("main")).to_contain_text("Sie haben diese Datei bereits am")
    page.screenshot(path=tmp_path / f"export-gone-{viewport}.png", full_page=True)
    page.get_by_role("link", name="Zu meinem Konto").click()
    wait_for_path(page, "/konto/#meine-daten")
