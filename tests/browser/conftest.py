"""Fixtures of the browser tests: the example app, Debian's Chromium, Playwright.

These tests drive the getting-started app's HTML pages the way a person does,
in headless Chromium through Playwright for Python.  Playwright never
downloads a browser here: it launches the system's Chromium
(``/usr/bin/chromium`` from Debian's ``chromium`` package, or the path in
``$AIOHTTP_AUTH_CHROMIUM``).

When the browser or Playwright is missing, the tests skip with a message
saying how to get them, except where a browser is required: CI sets
``AIOHTTP_AUTH_REQUIRE_BROWSER=1`` (``.ci/run`` does; ``CI=true`` counts
too), and there a missing browser fails the run.  A browser test that
silently skips in CI proves nothing.

Screenshots go to ``artifacts/browser/`` at the repository root (or
``$AIOHTTP_AUTH_BROWSER_ARTIFACTS``), one PNG per step worth looking at,
kept after the run; the folder is emptied when a run starts, so what it
holds is the last run's.

Chromium runs with its back/forward cache on, as a user's does.  Playwright
turns that cache off by default (``--disable-back-forward-cache``), and with
it off, the back-button test would only see the HTTP cache: the leak it
exists to catch happened in the back/forward cache (see
``aiohttp_auth_examples.account_pages``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("AIOHTTP_AUTH_BROWSER_ARTIFACTS", REPO / "artifacts" / "browser"))

# Flags for a machine with no display, run as root, and no outside network:
# without the background-networking ones Chromium keeps trying to reach
# Google's services, and a closed network refuses each attempt.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_required() -> bool:
    flags = (os.environ.get("AIOHTTP_AUTH_REQUIRE_BROWSER", ""), os.environ.get("CI", ""))
    return any(flag.lower() in {"1", "true", "yes"} for flag in flags)


def _unavailable(reason: str) -> None:
    """Fail where a browser is required, skip (saying how to fix it) elsewhere."""
    how = (
        "install Debian's chromium (apt-get install chromium) and run "
        "`hatch run browser:test`, which installs Playwright for Python"
    )
    if _browser_required():
        pytest.fail(f"browser tests required here, but {reason}; {how}", pytrace=False)
    pytest.skip(f"{reason}; {how}")


def _chromium_path() -> str | None:
    configured = os.environ.get("AIOHTTP_AUTH_CHROMIUM")
    if configured:
        if not Path(configured).is_file():
            _unavailable(f"AIOHTTP_AUTH_CHROMIUM={configured!r} is not a file")
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright_version() -> str:
    try:
        return metadata.version("playwright")
    except metadata.PackageNotFoundError:
        return "not installed"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless system Chromium for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    executable = _chromium_path()
    if executable is None:
        _unavailable("no Chromium executable was found")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        print(f"\nChromium {chromium.version}, Playwright {_playwright_version()}")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in a fresh context: no cookies, no cache, no history."""
    context = browser.new_context(viewport={"width": 800, "height": 600})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def example_app(run_server: Callable[..., Any]) -> str:
    """The getting-started app, started as users start it; returns its base URL."""
    env = {"AIOHTTP_AUTH_SECRET": secrets.token_hex(32)}
    server = run_server(["-m", "aiohttp_auth_examples", "--port", "{port}"], env=env)
    return str(server.base_url)


@pytest.fixture
def weakened_app(run_server: Callable[..., Any]) -> Callable[[str], str]:
    """``weakened_app("csrf")``: the same app minus one defence (a control); its base URL."""

    def start(weakness: str) -> str:
        env = {"AIOHTTP_AUTH_SECRET": secrets.token_hex(32)}
        script = str(Path(__file__).with_name("weakened_app.py"))
        server = run_server([script, "{port}", weakness], env=env)
        return str(server.base_url)

    return start


class AttackerSite:
    """Another site on 127.0.0.2: serves whatever page a test puts at ``/``.

    A real server, not a page Playwright makes up: Chromium treats a page
    without a network address as public, and its Local Network Access
    checks then block every request to 127.0.0.1, which would make the
    cross-site checks pass for the browser's reason rather than the app's.
    127.0.0.2 is loopback too, but another host, so another site.
    """

    def __init__(self) -> None:
        self.page = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def attacker_site() -> Iterator[AttackerSite]:
    site = AttackerSite()
    try:
        yield site
    finally:
        site.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """``screenshot(page, "step")`` saves ``<test name>--<step>.png`` under the artifacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test_name = request.node.name.replace("[", "-").replace("]", "").replace("/", "_")

    def take(page: Any, step: str) -> Path:
        path = ARTIFACTS / f"{test_name}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0, f"empty screenshot {path}"
        return path

    return take


@pytest.fixture
def log_in() -> Callable[..., None]:
    """Fill in and submit the login form as a person would."""

    def submit(page: Any, base_url: str, username: str, password: str) -> None:
        page.goto(f"{base_url}/account/login")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base_url}/account")  # after the login page's refresh

    return submit


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start each run with an empty artifacts folder: it holds this run's screenshots."""
    if ARTIFACTS.is_dir():
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()


def pytest_report_header() -> list[str]:
    chromium = os.environ.get("AIOHTTP_AUTH_CHROMIUM") or shutil.which("chromium")
    return [
        f"browser artifacts: {ARTIFACTS}",
        f"chromium: {chromium or 'not found'} (required: {_browser_required()})",
        f"playwright: {_playwright_version()}, python: {sys.version.split()[0]}",
    ]
