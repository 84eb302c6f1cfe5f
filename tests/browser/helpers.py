"""What every browser test checks on every page it visits, and small user actions.

``assert_accessible(page)`` is the one check each page passes: no console
error, no failed or third-party request, axe-core (WCAG 2.1 A and AA) without
a single violation, the Nu HTML checker without a single error on the HTML the
server sent, and no horizontal scrolling.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Page, Request, Response, ViewportSize, expect

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


# --- The Nu HTML checker as a local HTTP service ------------------------------


class NuChecker:
    """One ``vnu.jar`` servlet per test session, bound to 127.0.0.1."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._ready = False
        # Started at once; the JVM warms up while the database and browser start.
        self.process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_until_ready(self, timeout: float = 90.0) -> None:
        if self._ready:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"vnu.jar exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as answer:
                    if answer.status == 200:
                        self._ready = True
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)  # polling a starting service, not waiting for the page under test
        raise RuntimeError(f"vnu.jar did not answer on {self.url} within {timeout:.0f} s")

    def errors(self, html: bytes) -> list[dict[str, Any]]:
        """The checker's errors for one HTML document (warnings and info are left out)."""
        self.wait_until_ready()
        request = urllib.request.Request(
            self.url + "?out=json",
            data=html,
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            report = json.load(answer)
        return [m for m in report["messages"] if m.get("type") in {"error", "non-document-error"}]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- Watching a page: console, requests, the document response -----------------


@dataclass
class PageWatch:
    """Everything noticed on one page that must make its test fail."""

    origin: str
    viewport: str
    nu: NuChecker
    problems: list[str] = field(default_factory=list)
    document: Response | None = None

    def attach(self, page: Page) -> None:
        page.add_init_script(path=AXE_SOURCE_PATH)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", lambda response: self._on_response(page, response))
        page.on("requestfailed", self._on_request_failed)
        page.on("request", self._on_request)

    def is_own(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def _on_request(self, request: Request) -> None:
        if not self.is_own(request.url):
            self.problems.append(f"request to a third party: {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Failed loads are reported precisely by _on_response; the document's own
        # status (404 page, 400 form errors) is what the test asserts.
        if message.text.startswith("Failed to load resource: the server responded with a status"):
            return
        self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _on_response(self, page: Page, response: Response) -> None:
        request = response.request
        if request.resource_type == "document" and response.frame == page.main_frame:
            self.document = response
        elif response.status >= 400:
            self.problems.append(f"{request.method} {response.url} answered {response.status}")

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or ""
        # A navigation cancels what the previous page still loaded; that is no fault.
        if failure == "net::ERR_ABORTED" or not self.is_own(request.url):
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({failure})")


_WATCHES: dict[int, PageWatch] = {}


def watch_page(page: Page, watch: PageWatch) -> None:
    watch.attach(page)
    _WATCHES[id(page)] = watch


def unwatch_page(page: Page) -> PageWatch | None:
    return _WATCHES.pop(id(page), None)


# --- The page check -------------------------------------------------------------


def _format_axe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            lines.append(f"       {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def _format_nu(errors: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"line {e.get('lastLine', '?')}, column {e.get('firstColumn', e.get('lastColumn', '?'))}: "
        f"{e['message']}\n    {' '.join(str(e.get('extract', '')).split())}"
        for e in errors
    )


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    axe comes into every page as a Playwright init script (see
    ``PageWatch.attach``), which the page's Content Security Policy does not
    restrict; the page's own resources stay under the policy.
    """
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def assert_accessible(page: Page, *, status: int = 200) -> None:
    """The page just loaded is usable, valid and accessible.

    Checks the HTTP status of the document, that the browser noticed no
    problem (console errors, failed or third-party requests), zero axe-core
    violations for WCAG 2.1 A and AA, zero Nu HTML checker errors on the HTML
    the server sent, and that the page does not scroll sideways.
    """
    watch = _WATCHES[id(page)]
    page.wait_for_load_state("load")
    document = watch.document
    assert document is not None, f"no document was loaded in {page.url}"
    assert document.url.split("#")[0] == page.url.split("#")[0], (
        f"the last document response ({document.url}) is not the page shown ({page.url})"
    )
    assert document.status == status, f"{page.url} answered {document.status}, expected {status}"

    problems: list[str] = []
    violations = run_axe(page)
    if violations:
        problems.append(f"axe-core found violations:\n{_format_axe(violations)}")
    errors = watch.nu.errors(document.body())
    if errors:
        problems.append(f"the Nu HTML checker found errors:\n{_format_nu(errors)}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"the page scrolls sideways by {overflow} px ({watch.viewport} viewport)")
    problems.extend(watch.problems)
    assert not problems, f"{page.url} ({watch.viewport}):\n" + "\n\n".join(problems)


# --- User actions -----------------------------------------------------------------


def totp_token(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, as six digits.

    django-otp accepts each time step only once. When the current step was
    already used (two sign-ins within 30 seconds), the app's next code is taken,
    which the device accepts within its tolerance of one step, so no test has
    to wait for the clock.
    """
    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if generator.t() <= device.last_t:
        generator.drift += device.last_t + 1 - generator.t()
    return f"{generator.token():0{device.digits}d}"


def authenticator_code(displayed_key: str) -> str:
    """The code an authenticator app shows for a key typed in from the screen."""
    key = "".join(displayed_key.split()).upper()
    app = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    return f"{app.token():06d}"


def wait_for_path(page: Page, path: str) -> None:
    """Wait until the page shows exactly ``path`` (with query and fragment) of the live server."""
    url = _WATCHES[id(page)].origin + path
    page.wait_for_url(lambda current: current == url)


def submit(page: Page, button: str = "main form button[type=submit]") -> None:
    """Press a submit button and wait until the answer (after any redirects) has loaded.

    Waiting for the navigation itself, not for a URL, also covers a form that
    answers on its own address, such as one shown again with errors.
    """
    with page.expect_navigation():
        page.locator(button).click()


def sign_in(page: Page, email: str, password: str) -> None:
    """Fill in and send the sign-in form (the first step only)."""
    page.goto("/konto/anmelden/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    submit(page)


def sign_in_as_office(page: Page, password: str, device: TOTPDevice) -> None:
    """Both steps of the sign-in of the office persona (``office@example.org``),
    ending on the account page."""
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(device))
    submit(page)
    wait_for_path(page, "/konto/")


def sign_out(page: Page) -> None:
    """Press the sign-out button in the header and land on the start page."""
    submit(page, "header form[action='/konto/abmelden/'] button")
    wait_for_path(page, "/")
    expect(page.locator("header a[href='/konto/anmelden/']")).to_be_visible()
