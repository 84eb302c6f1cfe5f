"""A member creates a personal API token, copies it while it is shown, calls the
API with it, and revokes it; and the API reference for everyone."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from innoclub.api.models import ApiToken
from tests.browser.helpers import assert_accessible, sign_in, submit, wait_for_path
from tests.factories import TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOKENS = "/konto/api-tokens/"
CREATE = "main form[action='/konto/api-tokens/'] button[type=submit]"
PLAIN_TOKEN = re.compile(r"ic_[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def call_api(live_server: LiveServer, path: str, token: str) -> tuple[int, dict[str, Any]]:
    """A program's call with the token, from outside the browser."""
    request = urllib.request.Request(
        live_server.url + path,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "de"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_creates_uses_and_revokes_a_token(
    open_page: Callable[..., Page], viewport: str, member, password: str, live_server: LiveServer
) -> None:
    TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    page = open_page(viewport)
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.locator(f"main a[href='{TOKENS}']").click()
    wait_for_path(page, TOKENS)
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Sie haben noch keine API-Tokens.")

    page.locator("#id_name").fill("Auswertungsskript")
    page.locator("#id_scope_1").check()
    page.locator("#id_days").fill("30")
    submit(page, CREATE)

    # The token is shown this once, with the hint to copy it now.
    assert_accessible(page)
    expect(page.locator(".token-new")).to_contain_text("Kopieren Sie den Token jetzt")
    plain = page.locator("#neuer-token").input_value()
    assert PLAIN_TOKEN.fullmatch(plain)
    token = ApiToken.objects.get(user=member)
    assert (token.name, token.scope) == ("Auswertungsskript", "write")

    status, body = call_api(live_server, "/api/v1/topics", plain)
    assert status == 200
    assert [item["name"] for item in body["items"]] == ["Digitale Verwaltung"]

    # Opened again, the page lists the token by its prefix only, and its use.
    page.goto(TOKENS)
    assert_accessible(page)
    expect(page.locator("#neuer-token")).to_have_count(0)
    card = page.locator(".token-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(f"ic_{token.prefix}…")
    expect(card).to_contain_text("aktiv")
    expect(card).to_contain_text("Lesen und schreiben")
    expect(card.locator("dd").last).not_to_have_text("nie")
    assert plain not in page.content()

    submit(page, "main .token-card form button[type=submit]")
    wait_for_path(page, TOKENS)
    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_contain_text(
        "Der Token „Auswertungsskript“ ist widerrufen."
    )
    expect(page.locator(".token-card")).to_contain_text("widerrufen")
    expect(page.locator(".token-card form")).to_have_count(0)

    status, body = call_api(live_server, "/api/v1/topics", plain)
    assert status == 401
    assert body["title"] == "Anmeldung erforderlich"


def test_reloading_the_answer_shows_no_token_and_creates_no_second(
    page: Page, member, password: str
) -> None:
    sign_in(page, "mitglied@example.org", password)
    page.goto(TOKENS)
    page.locator("#id_name").fill("Einmal")
    submit(page, CREATE)
    expect(page.locator("#neuer-token")).to_have_count(1)

    page.reload()

    wait_for_path(page, TOKENS)
    assert_accessible(page)
    expect(page.locator("#neuer-token")).to_have_count(0)
    expect(page.locator("main [role=status]")).to_contain_text(
        "Dieses Formular wurde bereits gesendet."
    )
    assert ApiToken.objects.filter(user=member).count() == 1


def test_bad_input_is_explained_and_creates_nothing(page: Page, member, password: str) -> None:
    sign_in(page, "mitglied@example.org", password)
    page.goto(TOKENS)
    page.locator("#id_days").fill("400")
    submit(page, CREATE)

    assert_accessible(page, status=400)
    summary = page.locator("#fehler[role=alert]")
    expect(summary).to_contain_text("Bitte geben Sie dem Token einen Namen.")
    expect(summary).to_contain_text("Bitte geben Sie eine Zahl von 1 bis 365 Tagen an.")
    summary.locator("a[href='#id_name']").click()
    expect(page.locator("#id_name")).to_be_focused()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_api_reference_is_readable_for_everyone(
    open_page: Callable[..., Page], viewport: str
) -> None:
    page = open_page(viewport)
    page.goto("/api/v1/docs/")

    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("API-Dokumentation")
    page.locator(".api-docs__toc a[href='#get-topics']").click()
    expect(page.locator("#get-topics")).to_be_in_viewport()
    expect(page.locator("#get-topics")).to_contain_text("Alle, ohne Anmeldung.")
    expect(page.locator(".api-docs a[href='/api/v1/openapi.json']")).to_be_visible()
