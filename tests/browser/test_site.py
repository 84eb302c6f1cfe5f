"""What every page shares: styles and scripts load under the strict CSP, no
cookie and no third-party request for visitors, the language switch, the 404 page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.helpers import assert_accessible, wait_for_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.(css|js|woff2?|svg)$")


def test_styles_fonts_and_htmx_load_from_our_server_under_the_csp(page: Page) -> None:
    static: list[Response] = []
    page.on("response", lambda r: static.append(r) if "/static/" in r.url else None)

    response = page.goto("/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy

    # The KERN design system, our own stylesheet and the Fira Sans webfont apply.
    families = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family); }"
    )
    assert any("Fira Sans" in family for family in families), families
    assert "Fira Sans" in page.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
    header_background = page.locator(".site-header").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert header_background == "rgb(11, 61, 110)"  # --site-brand from site.css
    button = page.locator(".kern-btn--primary").first
    assert button.evaluate("e => getComputedStyle(e).display") != "inline"  # styled by kern.css
    # htmx is loaded and configured without eval.
    assert page.evaluate("() => typeof window.htmx === 'object' && htmx.config.allowEval === false")

    # Static files come with hashed names and far-future caching (WhiteNoise, as in production).
    names = sorted(r.url for r in static)
    assert any(name.endswith(".css") for name in names), names
    assert any(name.endswith(".js") for name in names), names
    assert any(".woff" in name for name in names), names
    for r in static:
        assert r.status == 200, (r.url, r.status)
        assert HASHED_NAME.search(r.url), r.url
        assert "immutable" in r.headers.get("cache-control", ""), r.url

    assert_accessible(page)


def test_a_visitor_gets_no_cookie_but_the_ones_the_privacy_policy_names(page: Page) -> None:
    for path in ["/", "/impressum/", "/datenschutz/", "/kontakt/"]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200
    assert page.context.cookies() == []

    # A page with a form sets the CSRF cookie, "only on pages with a form".
    page.goto("/barrierefreiheit/")
    cookies = page.context.cookies()
    assert [c["name"] for c in cookies] == ["innoclub_csrf"]
    assert cookies[0]["httpOnly"]
    assert cookies[0]["sameSite"] == "Lax"


def test_the_language_switch_changes_the_language_and_remembers_it(page: Page) -> None:
    page.goto("/impressum/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    with page.expect_navigation():
        page.locator("footer a[hreflang='en']").click()
    wait_for_path(page, "/impressum/")
    assert_accessible(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header a[href='/konto/anmelden/']")).to_have_text("Sign in")
    # The choice was asked for explicitly, so it may be kept in a cookie.
    assert {c["name"]: c["value"] for c in page.context.cookies()} == {"innoclub_language": "en"}

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.locator("footer a[hreflang='de']").click()
    wait_for_path(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_an_unknown_address_shows_the_not_found_page(page: Page) -> None:
    page.goto("/gibt-es-nicht/")
    assert_accessible(page, status=404)
    expect(page.locator("h1")).to_be_visible()
    page.locator("main a[href='/']").click()
    wait_for_path(page, "/")
    assert_accessible(page)
