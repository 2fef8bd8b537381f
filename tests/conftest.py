"""Fixtures of the integration suite: real servers on 127.0.0.1, real clients.

The suite drives the example apps the way a user's browser would: over TCP,
with a client that keeps cookies.  Apps run either in this process (through
pytest-aiohttp's ``aiohttp_server``, when a test needs to reach inside, e.g.
to move the clock) or as a subprocess (when the point is that the code runs
unchanged, e.g. the seed file itself).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AIOHTTP_AUTH_SHARED", REPO.parent / "shared"))
SEED_APP = SHARED / "seed" / "getting_started_app.py"
TRANSCRIPT = SHARED / "seed" / "expected_transcript.md"


@dataclass(frozen=True)
class Step:
    """One row of the seed transcript."""

    number: int
    method: str
    path: str
    status: int
    body: str | None  # None: not compared (aiohttp's default error pages)
    cookie_after: bool


def parse_transcript(text: str) -> list[Step]:
    """Read the request table of ``expected_transcript.md``."""
    row = re.compile(r"^\|\s*(\d+)\s*\|\s*(GET|POST)\s+(\S+)\s*\|\s*(\d{3})\s*\|(.*?)\|(.*?)\|\s*$")
    steps = []
    for line in text.splitlines():
        match = row.match(line)
        if not match:
            continue
        number, method, path, status, body, cookie = match.groups()
        body = body.strip()
        steps.append(
            Step(
                number=int(number),
                method=method,
                path=path,
                status=int(status),
                body=body.strip("`") if body else None,
                cookie_after=cookie.strip().startswith("AUTH_TKT"),
            )
        )
    return steps


@pytest.fixture(scope="session")
def seed_app() -> Path:
    """The restored seed file, run as it is (never copied or edited)."""
    if not SEED_APP.is_file():
        pytest.fail(f"the seed app is missing: {SEED_APP} (set AIOHTTP_AUTH_SHARED)")
    return SEED_APP


@pytest.fixture(scope="session")
def transcript() -> list[Step]:
    if not TRANSCRIPT.is_file():
        pytest.fail(f"the seed transcript is missing: {TRANSCRIPT} (set AIOHTTP_AUTH_SHARED)")
    steps = parse_transcript(TRANSCRIPT.read_text(encoding="utf-8"))
    assert [s.number for s in steps] == list(range(1, 21)), "transcript table not understood"
    return steps


async def replay(base_url: str, steps: list[Step], cookie_name: str = "AUTH_TKT") -> None:
    """Send the transcript's requests in order with one cookie-keeping client."""
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept cookies from an IP-address host
    async with aiohttp.ClientSession(base_url, cookie_jar=jar) as client:
        for step in steps:
            async with client.request(step.method, step.path, allow_redirects=False) as resp:
                body = await resp.text()
                where = f"step {step.number}: {step.method} {step.path}"
                assert resp.status == step.status, f"{where}: status {resp.status}, body {body!r}"
                if step.body is not None:
                    assert body == step.body, where
            has_cookie = any(c.key == cookie_name and c.value for c in jar)
            assert has_cookie == step.cookie_after, f"{where}: cookie in jar {has_cookie}"


@pytest.fixture
def replayer() -> object:
    """The :func:`replay` coroutine function (test modules cannot import conftest)."""
    return replay


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise AssertionError(f"server exited with {proc.returncode}:\n{out}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"server did not listen on 127.0.0.1:{port} within {timeout}s")


@dataclass
class RunningServer:
    base_url: str
    process: subprocess.Popen[bytes]


@pytest.fixture
def run_server() -> Iterator[object]:
    """Start ``argv`` as a subprocess serving on a free port; stopped at teardown."""
    started: list[subprocess.Popen[bytes]] = []

    def start(argv: list[str], env: dict[str, str] | None = None) -> RunningServer:
        port = free_port()
        full_env = {**os.environ, "PORT": str(port), **(env or {})}
        argv = [a.replace("{port}", str(port)) for a in argv]
        proc = subprocess.Popen(
            [sys.executable, *argv],
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        wait_for_port(port, proc)
        return RunningServer(f"http://127.0.0.1:{port}", proc)

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only on a stuck server
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def browser_for(server: object, local_ip: str = "127.0.0.1") -> aiohttp.ClientSession:
    """A cookie-keeping client of a test server, connecting from ``local_ip``.

    Any 127.0.0.0/8 address is loopback on Linux, so a second address plays
    a second machine (IP binding tests).  The jar accepts cookies from an
    IP-address host (``unsafe=True``), as a browser does for 127.0.0.1.
    """
    return aiohttp.ClientSession(
        str(server.make_url("/")),  # type: ignore[attr-defined]
        connector=aiohttp.TCPConnector(local_addr=(local_ip, 0), force_close=True),
        cookie_jar=aiohttp.CookieJar(unsafe=True),
    )


@pytest.fixture
def client_for() -> object:
    """:func:`browser_for` (test modules cannot import conftest)."""
    return browser_for


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A cookie-keeping client (cookies from 127.0.0.1 accepted)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        yield client
