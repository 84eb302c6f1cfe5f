"""The bad-input catalogue: one test (or group) per class of attack seen in real
vulnerabilities of peer platforms (Decidim, Indico, pretix, adhocracy).

docs/architecture.md ("Security hardening") lists the classes and what each
checks. The walkers below read the URL configuration, so a new view is in the
catalogue the day it is added: a new object URL must name the hidden objects it
is tried with (``_object_kwargs``), and a state-changing view is posted to
without a CSRF token.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from innoclub.accounts.models import User
from innoclub.api.models import ApiToken
from innoclub.api.tokens import token_create
from innoclub.core.access import Visibility
from innoclub.events.models import Registration, RegistrationStatus
from innoclub.ideas.models import GROUP, Comment, Idea, Support
from innoclub.news.models import Article
from innoclub.pilots.models import Adoption, AdoptionState, DocumentKind
from tests.concurrency import at_once
from tests.conftest import login_client
from tests.factories import (
    ArticleFactory,
    EventFactory,
    MemberFactory,
    NominationFactory,
    ProfileFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.ideas_factories import CommentFactory, IdeaFactory, IdeaGroupFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"


# --- The URL walker -----------------------------------------------------------


def _patterns(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), entry


_DUMMY = {
    "int": "999999",
    "slug": "gibt-es-nicht",
    "str": "gibt-es-nicht",
    "uuid": str(uuid.UUID(int=7)),
    "path": "999999",
}
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _dummy_path(route: str) -> str | None:
    """The route with a well-formed but unknown value for every parameter;
    None for the admin's catch-all regular expressions."""
    if "(?P<" in route or route.startswith("^") or "$" in route:
        return None
    return "/" + _PARAMETER.sub(lambda m: _DUMMY[m.group(1) or "str"], route)


def all_routes() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, the API's and the admin's included."""
    return [(name, route) for name, route, _p in _patterns(get_resolver().url_patterns)]


# --- Headers on every kind of response ---------------------------------------


def _assert_hardened(response: Any) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in policy
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp or "sandbox" in csp


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/gibt-es-nicht/",  # 404 page
        "/ideen/?q=%00",  # 400 page of the NUL guard
        "/api/v1/topics",  # API
        "/api/v1/gibt-es-nicht",  # API problem
        "/aktuelles/feed/",
        "/robots.txt",
        "/offene-daten/pilotprojekte.csv",
    ],
)
def test_security_headers_on_pages_errors_api_and_downloads(anon_client, url):
    """Headers: nosniff, Referrer-Policy, Permissions-Policy and a strict CSP on every response."""
    _assert_hardened(anon_client.get(url))


def test_security_headers_on_a_server_error(settings):
    """Headers: the 500 page carries them too."""
    client = Client(raise_request_exception=False)
    settings.ROOT_URLCONF = "tests.security_urls"

    response = client.get("/kaputt/")

    assert response.status_code == 500
    _assert_hardened(response)


def test_security_headers_on_a_csrf_refusal(member):
    """Headers: the CSRF refusal page carries them too."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post("/konto/profil/", {})

    assert response.status_code == 403
    _assert_hardened(response)


def test_hsts_is_sent_when_the_site_is_served_over_https(settings, anon_client):
    """Headers: HSTS over HTTPS, as the production settings configure it."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = anon_client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- CSRF on every state-changing view ---------------------------------------


def _csrf_targets() -> list[str]:
    return sorted(
        {
            path
            for name, route in all_routes()
            if not name.startswith("api:") and (path := _dummy_path(route)) is not None
        }
    )


@pytest.fixture
def csrf_staff_client(staff) -> Client:
    """Staff may use every view; a second factor is verified. No CSRF token is sent."""
    client = login_client(staff)
    client.handler.enforce_csrf_checks = True
    return client


def test_every_view_refuses_a_post_without_csrf_token(csrf_staff_client, staff):
    """CSRF: every URL outside the API answers a token-less POST with 403 and changes nothing."""
    before = (User.objects.count(), Idea.objects.count(), Article.objects.count())

    answers = {
        path: csrf_staff_client.post(path, {"x": "1"}).status_code for path in _csrf_targets()
    }

    assert {path: status for path, status in answers.items() if status != 403} == {}
    assert (User.objects.count(), Idea.objects.count(), Article.objects.count()) == before
    assert len(answers) > 150


def test_every_view_refuses_other_unsafe_methods_without_csrf_token(csrf_staff_client):
    """CSRF: PUT, PATCH and DELETE are held to the same rule as POST."""
    for path in ("/konto/profil/", "/ideen/neu/", "/geschaeftsstelle/aktuelles/neu/"):
        for method in (csrf_staff_client.put, csrf_staff_client.patch, csrf_staff_client.delete):
            assert method(path).status_code == 403


def test_the_api_refuses_session_writes_without_csrf_token(member):
    """CSRF: the API's session-authenticated writes need the token as well."""
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    responses = [
        client.post(f"/api/v1/ideas/{idea.pk}/support"),
        client.delete(f"/api/v1/ideas/{idea.pk}/support"),
        client.post(
            f"/api/v1/ideas/{idea.pk}/comments",
            {"body": "Ohne Token"},
            content_type="application/json",
        ),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert Support.objects.filter(idea=idea).count() == 0
    assert Comment.objects.filter(idea=idea).count() == 0


def test_token_authenticated_api_calls_are_exempt_from_csrf_by_design(member):
    """CSRF: a Bearer token is not sent by the browser on its own, so no CSRF token is needed."""
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    _token, plain = token_create(user=member, name="Skript", scope="write", days=30)
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/api/v1/ideas/{idea.pk}/support", HTTP_AUTHORIZATION=f"Bearer {plain}")

    assert response.status_code == 200
    assert Support.objects.filter(idea=idea, user=member).count() == 1


# --- Object access by guessing ids --------------------------------------------

# Links that open something by a secret in the address; their refusal of a
# wrong secret is tested with each feature (recruitment, password reset, feeds).
_SECRET_LINKS = {
    "accounts:password_reset_confirm",
    "recruitment:accept",
    "events:feed",
    "accounts:data_export_download",  # see the export replay test
}


@pytest.fixture
def hidden_world(db) -> dict[str, Any]:
    """Objects nobody but the office (and their owners) may see or change."""
    owner = MemberFactory.create()
    hidden_idea = IdeaFactory(
        visibility=GROUP, group=IdeaGroupFactory(members=[owner]), authors=[owner]
    )
    public_idea = IdeaFactory(visibility=Visibility.PUBLIC, authors=[owner])
    hidden_event = EventFactory(visibility=Visibility.STAFF)
    # Pilot projects are public or for members: hidden from guests and visitors.
    hidden_pilot = PilotFactory(visibility=Visibility.MEMBERS)
    public_pilot = PilotFactory(visibility=Visibility.PUBLIC)
    token, _plain = token_create(user=owner, name="Fremd", scope="read", days=30)
    return {
        "owner": owner,
        "hidden_idea": hidden_idea,
        "hidden_comment": CommentFactory(idea=hidden_idea, author=owner),
        "others_comment": CommentFactory(idea=public_idea, author=owner),
        "public_idea": public_idea,
        "hidden_event": hidden_event,
        "hidden_session": SessionFactory(event=hidden_event),
        "others_registration": RegistrationFactory(user=owner),
        "hidden_pilot": hidden_pilot,
        "public_pilot": public_pilot,
        "hidden_adoption": AdoptionFactory(pilot=hidden_pilot),
        "others_adoption": AdoptionFactory(pilot=public_pilot),
        "draft": ArticleFactory(published_at=None),
        "others_token": token,
    }


def _object_kwargs(name: str, w: dict[str, Any]) -> dict[str, Any]:
    """The hidden (or somebody else's) objects each object URL is tried with."""
    idea, comment = w["hidden_idea"], w["hidden_comment"]
    event, session = w["hidden_event"], w["hidden_session"]
    pilot, adoption = w["hidden_pilot"], w["hidden_adoption"]
    others_idea = {"pk": w["public_idea"].pk}
    by_name: dict[str, dict[str, Any]] = {
        "api_tokens:revoke": {"pk": w["others_token"].pk},
        "network:municipality": {"ags": "99999999"},
        "network:topic": {"slug": "gibt-es-nicht"},
        "news:detail": {"slug": w["draft"].slug},
        "news:image": {"slug": w["draft"].slug},
        "news:publication": {"slug": "gibt-es-nicht"},
        "news:publication_file": {"slug": "gibt-es-nicht"},
        "news:publication_cover": {"slug": "gibt-es-nicht"},
        "events:speaker": {"slug": "gibt-es-nicht"},
        "events:speaker_photo": {"slug": "gibt-es-nicht"},
        "events:file": {"slug": event.slug, "session_slug": session.slug, "pk": 1},
        "ideas:edit": others_idea,
        "ideas:attachment_upload": others_idea,
        "ideas:attachment_delete": {**others_idea, "file_id": 1},
        "ideas:evaluate": others_idea,
        "ideas:comment_edit": {"pk": w["public_idea"].pk, "comment_id": w["others_comment"].pk},
        "pilots:edit": {"slug": w["public_pilot"].slug},
        "pilots:participants": {"slug": w["public_pilot"].slug},
        "pilots:milestones": {"slug": w["public_pilot"].slug},
        "pilots:funding": {"slug": w["public_pilot"].slug},
        "pilots:indicators": {"slug": w["public_pilot"].slug},
        "pilots:document_create": {"slug": w["public_pilot"].slug},
        "pilots:adoption_edit": {"slug": w["public_pilot"].slug, "pk": w["others_adoption"].pk},
        "statistics:csv": {"table": "mitglieder"},
        "core:legal_page_edit": {"slug": "impressum"},
        "network:profile": {"pk": w["owner"].pk},
        "accounts_office:erase": {"pk": w["owner"].pk},
        "network:profile_photo": {"pk": w["owner"].pk},
    }
    if name in by_name:
        return by_name[name]
    params = {
        "pk": idea.pk if name.startswith("ideas:") else adoption.pk,
        "comment_id": comment.pk,
        "file_id": 1,
        "slug": pilot.slug if name.startswith("pilots:") else event.slug,
        "session_slug": session.slug,
        "document_id": 1,
        "number": 1,
        "code": uuid.UUID(int=7),
    }
    route = dict(all_routes())[name]
    wanted = [m.group(2) for m in _PARAMETER.finditer(route)]
    if name.startswith(("events_office:", "workshops_office:")) and "pk" in wanted:
        params["pk"] = w["others_registration"].pk
    if name.startswith(("recruitment:", "news_office:", "core:")):
        params["pk"] = 1
    return {key: params[key] for key in wanted}


def _object_urls(world: dict[str, Any]) -> dict[str, str]:
    return {
        name: reverse(name, kwargs=_object_kwargs(name, world))
        for name, route in all_routes()
        if "<" in route and not name.startswith(("admin:", "api:")) and name not in _SECRET_LINKS
    }


# A member sees pilot projects for members and may declare an adoption of one.
_MEMBERS_SEE_PILOTS = {"pilots:detail", "pilots:factsheet", "pilots:adoption", "pilots:adopt"}


def _refused(response: Any, *, anonymous: bool) -> bool:
    if response.status_code in (404, 405):
        return True
    return anonymous and response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("persona", ["anonymous", "guest", "outsider"])
def test_guessed_object_urls_answer_not_found(persona, hidden_world, guest):
    """Object access: every object URL, tried with hidden or other people's objects, refuses."""
    client = {
        "anonymous": Client(),
        "guest": login_client(guest),
        "outsider": login_client(MemberFactory()),
    }[persona]
    urls = _object_urls(hidden_world)
    if persona == "outsider":
        for name in _MEMBERS_SEE_PILOTS:
            del urls[name]

    leaks = {}
    for name, url in urls.items():
        got, posted = client.get(url), client.post(url, {})
        anonymous = persona == "anonymous"
        if not (_refused(got, anonymous=anonymous) and _refused(posted, anonymous=anonymous)):
            leaks[name] = (url, got.status_code, posted.status_code)
        elif {got.status_code, posted.status_code} == {405}:
            leaks[name] = (url, "405 both")

    assert leaks == {}
    assert len(urls) > 80
    assert ApiToken.objects.get(pk=hidden_world["others_token"].pk).revoked_at is None
    assert Article.objects.get(pk=hidden_world["draft"].pk).published_at is None
    assert User.objects.filter(pk=hidden_world["owner"].pk, erased_at=None).exists()


def _api_object_urls(w: dict[str, Any]) -> list[tuple[str, str]]:
    idea, event, pilot = w["hidden_idea"].pk, w["hidden_event"].slug, w["hidden_pilot"].slug
    registration = w["others_registration"].pk
    return [
        ("get", f"/api/v1/ideas/{idea}"),
        ("get", f"/api/v1/ideas/{idea}/comments"),
        ("post", f"/api/v1/ideas/{idea}/comments"),
        ("post", f"/api/v1/ideas/{idea}/support"),
        ("delete", f"/api/v1/ideas/{idea}/support"),
        ("get", f"/api/v1/events/{event}"),
        ("get", f"/api/v1/events/{event}/sessions"),
        ("get", f"/api/v1/events/{event}/speakers"),
        ("get", f"/api/v1/sessions/{w['hidden_session'].pk}"),
        ("post", f"/api/v1/events/{event}/registration"),
        ("delete", f"/api/v1/events/{event}/registration"),
        ("get", f"/api/v1/events/{event}/workshop-ranking"),
        ("put", f"/api/v1/events/{event}/workshop-ranking"),
        ("get", f"/api/v1/registrations/{registration}"),
        ("post", f"/api/v1/registrations/{registration}/cancel"),
        ("get", f"/api/v1/pilots/{pilot}"),
        ("post", f"/api/v1/pilots/{pilot}/adoption"),
        ("get", f"/api/v1/adoptions/{w['hidden_adoption'].pk}"),
        ("put", f"/api/v1/adoptions/{w['others_adoption'].pk}"),
        ("patch", f"/api/v1/adoptions/{w['others_adoption'].pk}"),
        ("get", f"/api/v1/news/{w['draft'].slug}"),
        ("get", "/api/v1/topics/gibt-es-nicht"),
        ("get", "/api/v1/municipalities/99999999"),
        ("get", "/api/v1/speakers/gibt-es-nicht"),
        ("get", "/api/v1/publications/gibt-es-nicht"),
        ("get", f"/api/v1/members/{w['owner'].pk}"),
    ]


def test_the_api_object_list_covers_every_api_object_route(hidden_world):
    """Object access: the API list below names every API route with a parameter."""
    covered = {
        route
        for _m, url in _api_object_urls(hidden_world)
        for route in [str(get_resolver().resolve(url).route)]
    }
    api_routes = {route for name, route in all_routes() if name.startswith("api:") and "<" in route}

    assert api_routes - covered == set()


@pytest.mark.parametrize("persona", ["anonymous", "guest"])
def test_guessed_api_ids_answer_not_found(persona, hidden_world, guest):
    """Object access: API operations on hidden or other people's objects answer 404 (401 anonymous)."""
    client = Client() if persona == "anonymous" else login_client(guest)
    # 422: a malformed body is refused before any lookup, alike for every id.
    allowed = {401, 404, 422} if persona == "anonymous" else {404, 422}

    answers = {
        (method, url): getattr(client, method)(url, {}, content_type="application/json").status_code
        for method, url in _api_object_urls(hidden_world)
    }

    assert {key: status for key, status in answers.items() if status not in allowed} == {}
    assert (
        Registration.objects.get(pk=hidden_world["others_registration"].pk).status
        == RegistrationStatus.CONFIRMED
    )


def test_guessed_api_ids_answer_not_found_for_an_outsider_member(hidden_world):
    """Object access: a member's token reaches nothing hidden or belonging to others."""
    outsider = MemberFactory()
    _token, plain = token_create(user=outsider, name="Neugier", scope="write", days=30)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    pilot = hidden_world["hidden_pilot"]
    visible_to_members = {
        f"/api/v1/members/{hidden_world['owner'].pk}",
        f"/api/v1/pilots/{pilot.slug}",
        f"/api/v1/adoptions/{hidden_world['hidden_adoption'].pk}",
    }

    answers = {
        (method, url): getattr(client, method)(url, {}, content_type="application/json").status_code
        for method, url in _api_object_urls(hidden_world)
        if url not in visible_to_members
    }

    assert {key: status for key, status in answers.items() if status not in (404, 422)} == {}
    assert (
        Adoption.objects.get(pk=hidden_world["others_adoption"].pk).state
        == AdoptionState.INTERESTED
    )


# --- Stored and reflected XSS ------------------------------------------------

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
XSS_MARKDOWN = (
    f'{XSS}\n\n[Klick](javascript:alert(1)) <a href="javascript:alert(2)">a</a> '
    '<iframe src="https://evil.example"></iframe> <svg onload=alert(3)>'
)


def _assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html.lower()
    assert "<iframe" not in html
    assert "<svg onload" not in html


def test_stored_xss_through_names_texts_comments_and_profiles_is_escaped(staff):
    """Stored XSS: names, titles, Markdown (nh3), comments and profile fields come out inert."""
    author = MemberFactory(first_name=XSS, last_name=XSS)
    ProfileFactory(user=author, bio=XSS_MARKDOWN, can_help_with=XSS, looking_for=XSS)
    idea = IdeaFactory(
        visibility=Visibility.PUBLIC,
        title=f"Idee {XSS}",
        problem=XSS_MARKDOWN,
        proposal=XSS_MARKDOWN,
        authors=[author],
    )
    CommentFactory(idea=idea, author=author, body=XSS_MARKDOWN)
    article = ArticleFactory(title=f"Meldung {XSS}", teaser=XSS, body=XSS_MARKDOWN)
    event = EventFactory(title=f"Forum {XSS}", description=XSS_MARKDOWN)
    pilot = PilotFactory(title=f"Pilot {XSS}", summary=XSS_MARKDOWN)
    pages = [
        f"/ideen/{idea.pk}/",
        "/ideen/",
        f"/aktuelles/{article.slug}/",
        "/aktuelles/",
        f"/foren/{event.slug}/",
        f"/pilotprojekte/{pilot.slug}/",
        "/pilotprojekte/",
        f"/mitglieder/{author.pk}/",
        "/mitglieder/",
        "/suche/?q=Idee",
        "/geschaeftsstelle/ideen/",
    ]
    client = login_client(staff)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.content.decode())
    assert "&lt;script&gt;" in client.get(f"/ideen/{idea.pk}/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/suche/?q={p}",
        "/suche/vorschlaege/?q={p}",
        "/ideen/?q={p}",
        "/aktuelles/?thema={p}",
        "/pilotprojekte/?q={p}",
        "/mitglieder/?q={p}",
        "/konto/anmelden/?next={p}",
        "/gibt-es-nicht/{p}/",
        "/foren/?jahr={p}",
    ],
)
def test_reflected_xss_through_query_parameters_and_error_pages_is_escaped(member_client, url):
    """Reflected XSS: query parameters and paths echoed on pages and error pages come out inert."""
    from urllib.parse import quote

    response = member_client.get(url.format(p=quote(XSS)))

    assert response.status_code in (200, 302, 400, 404)
    if response.status_code == 302:  # the signed-in member is sent on, within the site
        assert response["Location"].startswith("%3Cscript")
    _assert_inert(response.content.decode())


def test_reflected_xss_through_redirect_targets_is_not_followed(anon_client):
    """Reflected XSS: a javascript: target on the language switch never becomes a Location."""
    response = anon_client.get("/sprache/?sprache=en&weiter=javascript:alert(1)")

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- Injection through search, filters and ordering --------------------------

INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE accounts_user; --",
    "title) UNION SELECT password FROM accounts_user --",
    "-password",
    "user__password",
    "__class__",
    "%' AND 1=0 UNION SELECT 1 --",
    "99999999999999999999999999",
    "-1",
    "ä" * 5000,
]
LIST_PAGES = [
    "/suche/?q={v}",
    "/suche/vorschlaege/?q={v}",
    "/ideen/?q={v}&sortierung={v}&phase={v}&thema={v}&seite={v}",
    "/pilotprojekte/?q={v}&sortierung={v}&land={v}&seite={v}",
    "/mitglieder/?q={v}&sortierung={v}&land={v}&funktion={v}&seite={v}",
    "/aktuelles/?thema={v}&seite={v}",
    "/publikationen/?art={v}&jahr={v}",
    "/foren/?jahr={v}",
    "/kommunen/?q={v}&land={v}&seite={v}",
    "/geschaeftsstelle/ideen/?sortierung={v}&phase={v}",
    "/transfer/wer-hat-das-schon-gemacht/?q={v}&pilot={v}",
]
API_LISTS = [
    "/api/v1/ideas?ordering={v}&q={v}&page={v}",
    "/api/v1/pilots?ordering={v}&page={v}",
    "/api/v1/adoptions?ordering={v}",
    "/api/v1/events?ordering={v}",
    "/api/v1/municipalities?ordering={v}&q={v}",
    "/api/v1/members?ordering={v}",
    "/api/v1/speakers?ordering={v}",
    "/api/v1/registrations?ordering={v}",
    "/api/v1/news?page={v}&page_size={v}",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_search_filters_and_sorting_is_harmless(staff, value):
    """Injection: SQL fragments, unknown fields and huge values in search, filter and sort
    parameters give a page (or a German 400), never a 500 and never a hidden idea."""
    from urllib.parse import quote

    hidden = IdeaFactory(title="Geheime Vorlage Stadtwerke", visibility=Visibility.MEMBERS)
    client = login_client(staff)
    outsider = Client()

    for template in LIST_PAGES:
        url = template.format(v=quote(value))
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        seen_by_visitor = outsider.get(url)
        assert seen_by_visitor.status_code in (200, 302, 400, 404), url
        assert hidden.title not in seen_by_visitor.content.decode()
    assert User.objects.filter(pk=staff.pk).exists()


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_api_ordering_and_filters_is_refused_in_german(member, value):
    """Injection: the API refuses unknown orderings and bad values with a problem, never a 500."""
    from urllib.parse import quote

    client = login_client(member)

    for template in API_LISTS:
        url = template.format(v=quote(value))
        response = client.get(url)
        assert response.status_code in (200, 422), (url, response.status_code)
        if response.status_code == 422:
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == 422


# --- `next` redirects only to our own host -----------------------------------

FOREIGN_TARGETS = [
    "//evil.example/",
    "https://evil.example/",
    "http://evil.example/konto/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    " //evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
]


def _stays_home(response: Any) -> bool:
    """A path on our own host, also as a lenient browser reads it (it drops
    tabs and newlines and takes a backslash for a slash)."""
    location = re.sub(r"[\t\n\r ]", "", response["Location"]).replace("\\", "/")
    split = urlsplit(location)
    return location.startswith("/") and not location.startswith("//") and not split.netloc


@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_login_follows_next_only_within_the_site(member, password, target):
    """Open redirect: the login's next goes nowhere but our own pages."""
    client = Client()

    response = client.post(LOGIN, {"username": member.email, "password": password, "next": target})
    again = client.get(LOGIN, {"next": target})

    assert response.status_code == 302 and _stays_home(response), response["Location"]
    assert again.status_code == 302 and _stays_home(again), again["Location"]


@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_logout_and_language_switch_follow_targets_only_within_the_site(member_client, target):
    """Open redirect: the language switch and the logout ignore foreign targets."""
    switched = member_client.get("/sprache/", {"sprache": "en", "weiter": target})
    logged_out = member_client.post("/konto/abmelden/", {"next": target})

    assert switched.status_code == 302 and _stays_home(switched), switched["Location"]
    assert logged_out.status_code == 302 and _stays_home(logged_out), logged_out["Location"]


def test_agenda_toggle_returns_only_within_the_site(member):
    """Open redirect: the agenda's way back (weiter) ignores foreign targets."""
    session = SessionFactory()
    RegistrationFactory(event=session.event, user=member)
    client = login_client(member)

    response = client.post(
        f"/foren/{session.event.slug}/programm/{session.slug}/agenda/",
        {"weiter": "//evil.example/"},
    )

    assert response.status_code == 302
    assert _stays_home(response)


# --- Host-header poisoning of e-mailed links ---------------------------------


def test_an_unknown_host_is_refused(anon_client, member):
    """Host header: a request for a host outside ALLOWED_HOSTS gets 400 and sends nothing."""
    response = anon_client.post(
        "/konto/passwort-vergessen/", {"email": member.email}, HTTP_HOST="evil.example"
    )

    assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.parametrize("header", ["HTTP_HOST", "HTTP_X_FORWARDED_HOST"])
def test_password_reset_links_come_from_the_site_url_only(
    anon_client, member, settings, header, django_capture_on_commit_callbacks
):
    """Host header: even an allowed second host or X-Forwarded-Host never reaches the link."""
    settings.SITE_URL = "https://innoclub.example"
    settings.ALLOWED_HOSTS = ["innoclub.example", "evil.example", "testserver"]

    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client.post(
            "/konto/passwort-vergessen/", {"email": member.email}, **{header: "evil.example"}
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert "https://innoclub.example/konto/passwort-neu/" in message.body
    assert "evil.example" not in message.body
    assert "evil.example" not in str(message.alternatives[0][0])


def test_notification_links_come_from_the_site_url_only(
    member, settings, django_capture_on_commit_callbacks
):
    """Host header: notifications sent while a request names another host link to SITE_URL."""
    settings.SITE_URL = "https://innoclub.example"
    settings.ALLOWED_HOSTS = ["innoclub.example", "evil.example", "testserver"]
    author = MemberFactory(email="autorin@example.org")
    idea = IdeaFactory(visibility=Visibility.PUBLIC, authors=[author])
    client = login_client(member)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/ideen/{idea.pk}/kommentare/",
            {"body": "Gute Idee."},
            HTTP_HOST="evil.example",
            HTTP_X_FORWARDED_HOST="evil.example",
        )

    (message,) = mail.outbox
    assert f"https://innoclub.example/ideen/{idea.pk}/" in message.body
    assert "evil.example" not in message.body + str(message.alternatives[0][0])


# --- Template injection through user text in e-mails --------------------------

TEMPLATE_TEXT = "{{ settings.SECRET_KEY }} {% debug %} {{ request }}"


def test_user_text_in_emails_arrives_literally(
    member, staff, settings, django_capture_on_commit_callbacks
):
    """Template injection: names, titles and comments in e-mails are never evaluated."""
    from innoclub.network import recruitment

    settings.SECRET_KEY = "geheimer-schluessel-0123456789-abcdefghijklmnopqrstuvwxyz"
    author = MemberFactory(email="autorin@example.org", first_name=TEMPLATE_TEXT)
    idea = IdeaFactory(title=f"Idee {TEMPLATE_TEXT}", authors=[author])
    commenter = MemberFactory(first_name=TEMPLATE_TEXT, last_name="{{ 7|add:7 }}")
    nomination = NominationFactory(first_name=TEMPLATE_TEXT, nominated_by=member)

    with django_capture_on_commit_callbacks(execute=True):
        login_client(commenter).post(
            f"/ideen/{idea.pk}/kommentare/", {"body": f"Kommentar {TEMPLATE_TEXT}"}
        )
        recruitment.invitation_send(
            nomination=recruitment.nomination_accept(nomination=nomination, decided_by=staff),
            sent_by=staff,
        )

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        everything = message.subject + message.body + str(message.alternatives[0][0])
        assert settings.SECRET_KEY not in everything
        assert "{{ settings.SECRET_KEY }}" in everything.replace("&#x27;", "'")
        assert "{% debug %}" in everything
        assert "14" not in message.subject


# --- X-Forwarded-For spoofing against rate limits ----------------------------


def _fail_logins(member: User, count: int) -> None:
    for attempt in range(count):
        Client().post(
            LOGIN,
            {"username": member.email, "password": "falsch-falsch-1"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )


def test_rotating_x_forwarded_for_does_not_escape_the_login_lockout(member, password):
    """XFF spoofing: without a trusted proxy the header is ignored by the lockout."""
    _fail_logins(member, 5)

    locked = Client().post(
        LOGIN,
        {"username": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )

    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.client.session


def test_with_one_proxy_only_the_address_the_proxy_saw_counts(member, password, settings):
    """XFF spoofing: behind one proxy a client's own X-Forwarded-For entries are ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        Client().post(
            LOGIN,
            {"username": member.email, "password": "falsch-falsch-1"},
            # the client's forged entry first, then the one our proxy appended
            HTTP_X_FORWARDED_FOR=f"10.{attempt}.0.1, 198.51.100.9",
        )

    locked = Client().post(
        LOGIN,
        {"username": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="10.99.0.1, 198.51.100.9",
    )
    elsewhere = Client().post(
        LOGIN,
        {"username": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="198.51.100.9, 192.0.2.44",
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_rotating_x_forwarded_for_does_not_escape_the_api_rate_limit(anon_client, settings):
    """XFF spoofing: the API's per-address limit counts REMOTE_ADDR without a trusted proxy."""
    settings.API_RATE_PER_ADDRESS = "3/m"

    statuses = [
        anon_client.get("/api/v1/topics", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


# --- Invitation-token expiry bypass -------------------------------------------


@pytest.mark.parametrize("how", ["expired", "revoked", "replaced", "used"])
def test_a_dead_invitation_cannot_be_accepted_by_replaying_the_form(
    how, staff, django_capture_on_commit_callbacks
):
    """Invitation bypass: the complete form POST, captured while the link still worked,
    is refused once the link expired, was withdrawn, replaced or used; nothing changes."""
    from innoclub.network import recruitment
    from innoclub.network.models import Invitation, Nomination
    from tests.test_recruitment import invite, onboarding_data

    nomination = NominationFactory(email="jana.neumann@example.org", last_name="Neumann")
    token = invite(nomination, staff, django_capture_on_commit_callbacks)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/einladung/{token}/")
    form = {**onboarding_data(), "csrfmiddlewaretoken": page.context["csrf_token"]}
    nomination = Nomination.objects.get(pk=nomination.pk)
    if how == "expired":
        Invitation.objects.filter(nomination=nomination).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif how == "revoked":
        recruitment.invitation_revoke(nomination=nomination, revoked_by=staff)
    elif how == "replaced":
        with django_capture_on_commit_callbacks(execute=True):
            recruitment.invitation_resend(nomination=nomination, sent_by=staff)
    else:
        assert browser.post(f"/einladung/{token}/", form).status_code == 302
        Client().post("/konto/abmelden/")
        browser = Client(enforce_csrf_checks=True)
        form["csrfmiddlewaretoken"] = browser.get(LOGIN).context["csrf_token"]
    accounts_before = User.objects.count()

    replay = browser.post(f"/einladung/{token}/", form)

    assert replay.status_code in (404, 410)
    assert User.objects.count() == accounts_before
    assert "_auth_user_id" not in browser.session


# --- Double-submit races --------------------------------------------------------

THREADS = 6


def _at_once(work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    return at_once(work, threads=THREADS)


race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@race
def test_double_submitted_support_counts_once():
    """Race: "Ich unterstütze" sent several times at once is one support."""
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    member = MemberFactory()
    clients = [login_client(member) for _ in range(THREADS)]

    results, errors = _at_once(
        lambda n: clients[n].post(f"/ideen/{idea.pk}/unterstuetzen/", {"aktion": "hinzufuegen"})
    )

    assert errors == []
    assert {r.status_code for r in results} == {302}
    assert Support.objects.filter(idea=idea, user=member).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1


@race
def test_double_submitted_registration_is_one_registration_and_one_seat():
    """Race: the registration form sent several times at once takes one seat."""
    from innoclub.events import services as event_services
    from innoclub.events.models import Event

    event = EventFactory(capacity=5)
    member = MemberFactory()

    results, errors = _at_once(
        lambda _n: event_services.registration_create(event=event, user=member, attendance="onsite")
    )

    assert errors == []
    assert sorted(created for _r, created in results) == [False] * (THREADS - 1) + [True]
    assert Registration.objects.filter(event=event, user=member).count() == 1
    assert Event.objects.get(pk=event.pk).seats_taken == 1


@race
def test_double_submitted_adoption_is_one_adoption():
    """Race: a municipality's adoption declared several times at once is stored once."""
    from innoclub.pilots import adoptions

    pilot = PilotFactory()
    member = MemberFactory()

    results, errors = _at_once(
        lambda _n: adoptions.adoption_declare(
            pilot=pilot,
            by=member,
            state=AdoptionState.INTERESTED,
            started_on=datetime.date(2025, 5, 2),
        )
    )

    assert errors == []
    assert len(results) == THREADS
    assert Adoption.objects.filter(pilot=pilot, municipality=member.municipality).count() == 1


# --- Uploads: never served as a page from our origin --------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ACTIVE_CONTENT = [
    ("seite.html", b"<html><body><script>alert(document.cookie)</script></body></html>"),
    ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    ("tarnung.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
    ("tarnung.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _assert_served_as_inert_attachment(response: Any, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(("name", "content"), ACTIVE_CONTENT)
def test_html_and_svg_uploads_are_refused_and_nothing_is_stored(media, name, content):
    """Uploads: HTML, SVG and disguised active content are refused in German; nothing stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innoclub.ideas.models import IdeaAttachment
    from innoclub.pilots.models import PilotDocument

    author = MemberFactory()
    idea = IdeaFactory(authors=[author])
    pilot = PilotFactory(contacts=[author])
    client = login_client(author)

    for_idea = client.post(
        f"/ideen/{idea.pk}/dateien/", {"upload": SimpleUploadedFile(name, content)}
    )
    for_pilot = client.post(
        f"/pilotprojekte/{pilot.slug}/dokumente/neu/",
        {
            "kind": DocumentKind.RESOLUTION,
            "title": "Vorlage",
            "upload": SimpleUploadedFile(name, content),
        },
    )

    refusal = (
        gettext(
            "Files of this type cannot be uploaded. "
            "Allowed are PDF, PowerPoint, Word, Excel, OpenDocument, PNG and JPEG."
        )
        if name.endswith((".html", ".svg"))
        else gettext(
            "The content of the file does not match its name ending “%(extension)s”. "
            "Please upload the original file."
        )
        % {"extension": name[name.rindex(".") :]}
    )
    for response in (for_idea, for_pilot):
        assert response.status_code == 400
        assert escape(refusal) in response.content.decode()
    assert IdeaAttachment.objects.count() == 0
    assert PilotDocument.objects.count() == 0
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_stored_files_are_served_as_sandboxed_attachments(media):
    """Uploads: documents and attachments come as downloads, never sniffed, sandboxed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    author = MemberFactory()
    idea = IdeaFactory(visibility=Visibility.PUBLIC, authors=[author])
    pilot = PilotFactory(contacts=[author])
    client = login_client(author)
    client.post(f"/ideen/{idea.pk}/dateien/", {"upload": SimpleUploadedFile("k.pdf", PDF)})
    client.post(
        f"/pilotprojekte/{pilot.slug}/dokumente/neu/",
        {
            "kind": DocumentKind.RESOLUTION,
            "title": "Vorlage",
            "upload": SimpleUploadedFile("v.pdf", PDF),
        },
    )
    attachment = idea.attachments.get()
    document = pilot.documents.get()

    _assert_served_as_inert_attachment(
        client.get(f"/ideen/{idea.pk}/dateien/{attachment.pk}/"), "application/pdf"
    )
    _assert_served_as_inert_attachment(
        client.get(f"/pilotprojekte/{pilot.slug}/dokumente/{document.pk}/datei/"),
        "application/pdf",
    )


# --- Export link replay ------------------------------------------------------


def test_the_personal_data_export_link_cannot_be_replayed(
    member, settings, media, django_capture_on_commit_callbacks
):
    """Export replay: the mailed link works once, for its owner only; replays and
    other people get nothing, and the file is gone after the first download."""
    settings.SITE_URL = "https://innoclub.example"
    owner = login_client(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post("/konto/datenexport/").status_code == 302
    found = re.search(
        r"https://innoclub\.example(/konto/datenexport/[\w-]+/)", mail.outbox[-1].body
    )
    assert found is not None
    link = found.group(1)

    by_stranger = login_client(MemberFactory()).get(link)
    by_visitor = Client().get(link)
    first = owner.get(link)
    b"".join(first.streaming_content)
    replay_same_session = owner.get(link)
    replay_new_session = login_client(member).get(link)

    assert by_stranger.status_code == 404
    assert by_visitor.status_code == 302 and by_visitor["Location"].startswith(LOGIN)
    assert first.status_code == 200
    assert first["Content-Disposition"].startswith("attachment;")
    assert replay_same_session.status_code == 410
    assert replay_new_session.status_code == 410
    assert [p for p in media.rglob("*.zip")] == []
