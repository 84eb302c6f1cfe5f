"""Privacy by design: no cookie without need, nothing from other hosts."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/impressum/",
    "/datenschutz/",
    "/kontakt/",
    "/barrierefreiheit/",
    "/konto/anmelden/",
]

# src/href of scripts, stylesheets, fonts, images, frames and media. A canonical
# or alternate <link> names an address and loads nothing, so it is left out.
_RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=[\"']([^\"']+)|"
    r"<link\b(?![^>]*\brel=[\"'](?:canonical|alternate)[\"'])[^>]*\bhref=[\"']([^\"']+)",
    re.IGNORECASE,
)


def external_resources(html: str) -> list[str]:
    urls = [a or b for a, b in _RESOURCE.findall(html)]
    return [url for url in urls if re.match(r"^(https?:)?//", url)]


def test_anonymous_visitor_of_the_start_page_gets_no_cookie(anon_client):
    response = anon_client.get("/")

    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", ["/impressum/", "/datenschutz/", "/kontakt/"])
def test_reading_pages_set_no_cookie(anon_client, url):
    assert anon_client.get(url).cookies == {}


def test_forms_set_only_the_csrf_cookie(anon_client):
    response = anon_client.get("/barrierefreiheit/")

    assert set(response.cookies) == {"innoclub_csrf"}
    assert response.cookies["innoclub_csrf"]["httponly"] is True
    assert response.cookies["innoclub_csrf"]["samesite"] == "Lax"


def test_session_cookie_is_http_only_and_same_site(member, password, anon_client):
    response = anon_client.post(
        "/konto/anmelden/", {"username": member.email, "password": password}
    )

    cookie = response.cookies["innoclub_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_load_nothing_from_other_hosts(anon_client, url):
    html = anon_client.get(url).content.decode()

    assert "<link" in html
    assert external_resources(html) == []


@pytest.mark.parametrize("url", ["/konto/", "/konto/zwei-faktor/", "/geschaeftsstelle/"])
def test_member_and_staff_pages_load_nothing_from_other_hosts(staff_client, url):
    html = staff_client.get(url).content.decode()

    assert external_resources(html) == []


def test_the_resource_finder_would_notice_an_external_font():
    html = '<link rel="stylesheet" href="https://fonts.example.com/css"><img src="/static/x.png">'

    assert external_resources(html) == ["https://fonts.example.com/css"]


def test_the_resource_finder_ignores_canonical_and_feed_links():
    html = (
        '<link rel="canonical" href="https://innoclub.example/">'
        '<link rel="alternate" type="application/atom+xml" href="https://innoclub.example/feed/">'
    )

    assert external_resources(html) == []


def test_content_security_policy_forbids_inline_code_and_framing(anon_client):
    policy = anon_client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_contain_no_inline_script_or_style(staff_client, anon_client):
    pages = [anon_client.get(url).content.decode() for url in PUBLIC_PAGES]
    pages += [staff_client.get(url).content.decode() for url in ("/konto/", "/geschaeftsstelle/")]

    for html in pages:
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
        assert "<style" not in html
        assert re.search(r"\sstyle=", html) is None
        assert re.search(r"\son[a-z]+=", html) is None


def test_security_headers_are_set(anon_client):
    response = anon_client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
