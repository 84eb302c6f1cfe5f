"""The club office looks up a failed login in the audit log, filters it and
downloads what it found."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from innoclub.audit.models import Action, AuditEvent
from tests.browser.helpers import (
    assert_accessible,
    sign_in_as_office,
    submit,
    wait_for_path,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOG = "/geschaeftsstelle/protokoll/"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_finds_a_failed_login_in_the_log(
    open_page: Callable[..., Page],
    viewport: str,
    staff,
    staff_device: TOTPDevice,
    member,
    password: str,
) -> None:
    Client(REMOTE_ADDR="203.0.113.77").post(
        "/konto/anmelden/", {"username": member.email, "password": "falsch-falsch-1"}
    )
    page = open_page(viewport)
    sign_in_as_office(page, password, staff_device)

    page.goto("/geschaeftsstelle/")
    page.locator(f"main a[href='{LOG}']").click()
    wait_for_path(page, LOG)
    assert_accessible(page)
    table = page.locator("main table")
    expect(table).to_contain_text("Fehlgeschlagene Anmeldung")
    expect(table).to_contain_text("office@example.org")  # the office's own login

    page.locator("#id_q").fill("203.0.113")
    page.locator("#id_aktion").select_option(Action.LOGIN_FAILED.value)
    submit(page, "main form[role=search] button[type=submit]")

    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_contain_text("1 Eintrag")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("mitglied@example.org")
    expect(rows.first).to_contain_text("203.0.113.77")

    with page.expect_download() as download:
        page.locator("main a[href^='/geschaeftsstelle/protokoll/export.csv']").click()
    assert download.value.suggested_filename.startswith("innoclub-protokoll-")
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor_label == "office@example.org"
    assert export.details["filters"] == "q=203.0.113&aktion=login_failed"

    page.locator("#id_von").fill("2026-03-10")
    page.locator("#id_bis").fill("2026-03-01")
    submit(page, "main form[role=search] button[type=submit]")

    assert_accessible(page, status=400)
    expect(page.locator("main .kern-alert--danger")).to_contain_text(
        "Das Ende liegt vor dem Anfang."
    )
