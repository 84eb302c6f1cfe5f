"""Fixtures of the browser tests: one Chromium, one Nu HTML checker, the live server.

Every page a test opens is watched (see ``helpers.PageWatch``): a console
error, a failed request or a request to any host but the live server fails the
test. ``helpers.assert_accessible(page)`` runs axe-core and the Nu HTML checker.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from innoclub.accounts.models import User
from tests.browser.helpers import VIEWPORTS, NuChecker, PageWatch, unwatch_page, watch_page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    # Nothing leaves the machine: every host name but the live server's fails to
    # resolve. A page's request to a third party is still seen and fails its test.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
# Generous for a slow CI machine, short enough that a missing element fails fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def nu_checker() -> Iterator[NuChecker]:
    """The Nu HTML checker as a local HTTP service, started once per session."""
    checker = NuChecker()
    yield checker
    checker.stop()


@pytest.fixture(scope="package")
def browser(nu_checker: NuChecker) -> Iterator[Browser]:
    """Debian's Chromium, shared by all browser tests.

    Playwright's sync API keeps an asyncio loop marked as running in the test
    thread while it is started. Two things in Django react to that:

    - the ORM raises SynchronousOnlyOperation; DJANGO_ALLOW_ASYNC_UNSAFE lifts
      that guard;
    - the database connections of the thread are looked up in a context-local
      store instead of the thread-local one, so the test would get a second
      connection without the state pytest-django keeps on the first (the
      serialized database for ``serialized_rollback``, the connection shared
      with the live server). The same connection objects are put into that
      store, so test, fixtures and live server use one connection, as in
      Django's own LiveServerTestCase.

    Package scope rather than session scope, so that both end with the last
    browser test and tests outside this package keep Django's guard. (Asking
    for the Nu checker here lets the JVM warm up while Chromium starts.)
    """
    from django.db import connections

    thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class _StaticFilesAsInProduction(StaticFilesHandler):
    """Leave /static/ to WhiteNoise, as in production.

    pytest-django's live server wraps the application in Django's
    StaticFilesHandler, which looks files up by their source names and cannot
    serve the hashed names of CompressedManifestStaticFilesStorage. This
    handler passes every request on, so WhiteNoise serves the files
    collectstatic wrote to STATIC_ROOT: hashed names, compressed variants and
    far-future cache headers, exactly what visitors get.
    """

    def _should_handle(self, path: str) -> bool:
        return False


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, django_db_setup: None) -> Iterator[LiveServer]:
    """pytest-django's live server, with static files served as in production.

    Started after the test database exists, so that with in-memory SQLite the
    server thread shares the test's connection.
    """
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        manifest = Path(django_settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.exists():
            pytest.fail(f"{manifest} is missing: run `manage.py collectstatic` before the tests")
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "127.0.0.1"
    )
    server = LiveServer(address, start=False)
    server.thread.static_handler = _StaticFilesAsInProduction
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _browser_settings(settings, live_server: LiveServer) -> None:
    """E-mailed links are built from SITE_URL; let them lead to the live server.

    (Passwords are hashed with a fast algorithm for all tests: tests/conftest.py.)
    """
    settings.SITE_URL = live_server.url


@pytest.fixture
def open_page(
    browser: Browser, live_server: LiveServer, nu_checker: NuChecker
) -> Iterator[Callable[..., Page]]:
    """Open a fresh browser window (own cookies) as a German visitor.

    ``open_page("phone")`` gives a 390×844 touch screen, the default a
    1280×900 desktop. Relative URLs resolve against the live server.
    """
    opened: list[tuple[BrowserContext, Page]] = []

    def _open(viewport: str = "desktop") -> Page:
        phone = viewport == "phone"
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport=VIEWPORTS[viewport],
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=3 if phone else 1,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        watch_page(page, PageWatch(origin=live_server.url, viewport=viewport, nu=nu_checker))
        opened.append((context, page))
        return page

    yield _open

    problems: list[str] = []
    for context, page in opened:
        watch = unwatch_page(page)
        context.close()
        if watch is not None:
            problems.extend(watch.problems)
    assert not problems, "The browser noticed problems:\n  " + "\n  ".join(problems)


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A desktop browser window."""
    return open_page("desktop")


@pytest.fixture
def staff_device(staff: User) -> TOTPDevice:
    """The club office's confirmed authenticator app."""
    return TOTPDevice.objects.create(user=staff, name="Authenticator-App", confirmed=True)
