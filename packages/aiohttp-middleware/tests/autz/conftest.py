"""Fixtures of the authorization tests (``aiohttp_auth.autz``, ``aiohttp_auth.acl``).

Test modules cannot import each other (``--import-mode=importlib``), so the
shared pieces live here: a header-based authentication policy (the identity
is whatever ``X-User`` says, so a test picks the user per request without a
login round trip), an app builder, the paths of the seed and of the
original library, and a runner for app scripts in a subprocess.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from hypothesis import settings

from aiohttp_auth import acl, auth, autz
from aiohttp_auth.auth import AbstractAuthentication
from aiohttp_auth.autz.policy.acl import AbstractACLAutzPolicy

settings.register_profile("autz", max_examples=60, deadline=None)

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parents[3]
APPS_DIR = TESTS_DIR / "apps"


class HeaderAuthentication(AbstractAuthentication):
    """Identity from the ``X-User`` header; counts ``get`` calls.

    Only for tests: the ticket machinery is ENGINEER AUTH's and tested there;
    here the identity must be chosen freely per request.
    """

    def __init__(self) -> None:
        self.get_calls = 0

    async def remember(self, request: web.Request, user_id: str) -> None:
        """Nothing to store: the client sends the header each time."""

    async def forget(self, request: web.Request) -> None:
        """Nothing to drop."""

    async def get(self, request: web.Request) -> Any:
        self.get_calls += 1
        return request.headers.get("X-User")


class DictACLPolicy(AbstractACLAutzPolicy):
    """An ACL policy whose groups come from a dict; records who it was asked about.

    A value that is an exception instance is raised instead of returned (I5);
    ``await asyncio.sleep(0)`` forces interleaving under concurrency (J1).
    Identities missing from the dict get ``()``, as in the seed app.
    """

    def __init__(self, groups: dict[Any, Any], context: Any = None) -> None:
        super().__init__(context)
        self.groups = groups
        self.calls: list[Any] = []

    def _lookup(self, user_identity: Any) -> Any:
        self.calls.append(user_identity)
        value = self.groups.get(user_identity, ())
        if isinstance(value, BaseException):
            raise value
        return value

    async def acl_groups(self, user_identity: Any) -> Any:
        await asyncio.sleep(0)
        return self._lookup(user_identity)


class SyncDictACLPolicy(DictACLPolicy):
    """The same, with a plain (not async) ``acl_groups``."""

    def acl_groups(self, user_identity: Any) -> Any:  # type: ignore[override]
        return self._lookup(user_identity)


@dataclass
class PolicyFactory:
    """Makes dict-backed ACL policies (async by default, ``sync=True`` for plain)."""

    def make(self, groups: dict[Any, Any], context: Any = None, *, sync: bool = False) -> Any:
        cls = SyncDictACLPolicy if sync else DictACLPolicy
        return cls(groups, context)


@pytest.fixture
def policy_factory() -> PolicyFactory:
    return PolicyFactory()


@pytest.fixture
def header_auth() -> Callable[[], HeaderAuthentication]:
    """Makes the ``X-User`` header authentication: one fresh policy a call."""
    return HeaderAuthentication


@dataclass
class AppBuilder:
    """Builds an app with header auth plus autz and/or the older acl middleware."""

    auth_policy: HeaderAuthentication = field(default_factory=HeaderAuthentication)

    def build(
        self,
        *,
        autz_policy: Any = None,
        groups_callback: Any = None,
        with_auth: bool = True,
        routes: list[tuple[str, str, Any]] | None = None,
    ) -> web.Application:
        app = web.Application()
        if with_auth:
            auth.setup(app, self.auth_policy)
        if autz_policy is not None:
            autz.setup(app, autz_policy)
        if groups_callback is not None:
            acl.setup(app, groups_callback)
        for method, path, handler in routes or []:
            app.router.add_route(method, path, handler)
        return app


@pytest.fixture
def app_builder() -> AppBuilder:
    return AppBuilder()


@pytest.fixture
async def start_app() -> Any:
    """Run an app's startup (``on_startup``) as a server would; cleaned up afterwards.

    The ``aiohttp_client`` fixture leaks its client session when startup
    raises, so F10 tests start the app through a bare ``web.AppRunner``.
    """
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> None:
        runner = web.AppRunner(app)
        runners.append(runner)
        await runner.setup()

    yield start
    for runner in runners:
        await runner.cleanup()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningApp:
    """An app script serving on 127.0.0.1 in a subprocess."""

    base_url: str
    process: subprocess.Popen[bytes]


class AppRunner:
    """Starts app scripts as subprocesses and always stops them (see the fixture)."""

    def __init__(self) -> None:
        self._processes: list[subprocess.Popen[bytes]] = []
        self._stderr_files: list[Any] = []

    def start(self, script: Path, *, pythonpath: Path | None = None) -> RunningApp:
        port = _free_port()
        env = dict(os.environ, PORT=str(port), PYTHONDONTWRITEBYTECODE="1")
        env.pop("PYTHONPATH", None)
        if pythonpath is not None:
            env["PYTHONPATH"] = str(pythonpath)
        # the script's folder on sys.path as for `python script.py`; cwd neutral
        # stderr to a file, not a pipe: a chatty app (the original warns and
        # logs tracebacks) must never block on a full pipe nobody reads
        stderr = tempfile.TemporaryFile()  # noqa: SIM115  # closed by stop_all()
        self._stderr_files.append(stderr)
        process = subprocess.Popen(
            [sys.executable, str(script)],
            env=env,
            cwd=str(script.parent),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        self._processes.append(process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if process.poll() is not None:
                stderr.seek(0)
                err = stderr.read().decode(errors="replace")
                raise AssertionError(f"{script.name} exited with {process.returncode}:\n{err}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return RunningApp(f"http://127.0.0.1:{port}", process)
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"{script.name} did not listen on port {port} within 20 s")

    def stop_all(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        for stderr in self._stderr_files:
            stderr.close()
        self._processes.clear()
        self._stderr_files.clear()


@pytest.fixture
def app_runner() -> Iterator[AppRunner]:
    runner = AppRunner()
    try:
        yield runner
    finally:
        runner.stop_all()


@pytest.fixture
def shared_dir() -> Path:
    """``shared/`` beside the repository (CI clones it there)."""
    path = REPO_ROOT.parent / "shared"
    assert (path / "seed").is_dir(), f"expected the shared folder with seed/ at {path}"
    return path


def _locate_original(environ: Mapping[str, str]) -> Path:
    default = REPO_ROOT / ".hatch" / "original"
    path = Path(environ.get("AIOHTTP_AUTH_ORIGINAL_PATH", str(default)))
    if not (path / "aiohttp_auth" / "autz").is_dir():
        pytest.fail(
            f"the original aiohttp_auth_autz 0.2.2 is not installed at {path}: "
            "run `hatch env create dev` (or set AIOHTTP_AUTH_ORIGINAL_PATH)"
        )
    return path


@pytest.fixture
def locate_original() -> Callable[[Mapping[str, str]], Path]:
    """``environ -> folder of the original library``; fails (never skips) when missing."""
    return _locate_original


@pytest.fixture
def original_pythonpath() -> Path:
    """The folder holding the original aiohttp_auth_autz 0.2.2 (never skipped when missing)."""
    return _locate_original(os.environ)


@pytest.fixture
def apps_dir() -> Path:
    return APPS_DIR


Replay = Callable[[str, list[tuple[str, str]]], Awaitable[list[tuple[int, str, bool]]]]


@pytest.fixture
def replay() -> Replay:
    """Send requests in order with one cookie-keeping client.

    Returns ``(status, body, AUTH_TKT cookie in the jar afterwards)`` per request.
    """
    import aiohttp

    async def run(base_url: str, requests: list[tuple[str, str]]) -> list[tuple[int, str, bool]]:
        results = []
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            for method, path in requests:
                async with session.request(
                    method, base_url + path, allow_redirects=False
                ) as response:
                    body = await response.text()
                    has_cookie = any(c.key == "AUTH_TKT" for c in jar)
                    results.append((response.status, body, has_cookie))
        return results

    return run
