"""Fixtures of the whole-stack reliability suite: real servers, raw bytes, clean logs.

Every test here talks to a server over TCP on 127.0.0.1, either the example
app in this process (``stack``: the clock and the policy options can be set,
logs are captured) or ``python -m aiohttp_auth_examples`` as a subprocess
(``example_process``: the code runs exactly as a user starts it, its output
is read back).  Two promises are checked after *every* test without the test
having to ask, because SECURITY.md makes them for every request: nothing is
logged above INFO, and no ticket ever appears in a log line (``log_guard``).
"""

from __future__ import annotations

import asyncio
import hmac
import importlib.util
import logging
import re
import sys
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp_session import session_middleware

from aiohttp_auth import auth
from aiohttp_auth_examples import getting_started
from aiohttp_auth_examples.memory_session_storage import MemorySessionStorage
from auth_tickets import HmacCodec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import ModuleType

HERE = Path(__file__).resolve().parent
SECRET = bytes(range(101, 133))
START = 1_800_000_000.0
#: What a ticket or its MAC looks like in text: neither may ever reach a log line.


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"reliability_{name}", HERE / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


servers = _load("example_servers")
TICKET_IN_TEXT = servers.TICKET_IN_TEXT


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """aiohttp-session (third party) keeps a plain string key on requests: its warning, not ours."""
    here = str(HERE)
    mark = pytest.mark.filterwarnings(
        "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
    )
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(mark)


class Clock:
    """The injectable clock: tests move time instead of sleeping."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def forge(
    body: str, secret: bytes = SECRET, hashalg: str = "sha256", purpose: str = "login"
) -> str:
    """A default-format ticket with a correct MAC over any ``body`` (canonical or not)."""
    key = HmacCodec(hashalg, purpose=purpose).derive_key(secret)
    data = body.encode("utf-8", "surrogateescape")
    return f"{body}!{hmac.new(key, data, hashalg).hexdigest()}"


@dataclass
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


async def raw_request(port: int, head: bytes, timeout: float = 10.0) -> RawResponse:
    """Send ``head`` (request line + headers, no final blank line) byte for byte."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + b"\r\nConnection: close\r\n\r\n")
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = [tuple(x.strip() for x in line.split(":", 1)) for line in lines[1:] if ":" in line]
    return RawResponse(status, headers, body)  # type: ignore[arg-type]


def cookie_head(path: str, cookie: bytes | None) -> bytes:
    """A GET request head carrying ``cookie`` as the raw value of one Cookie header."""
    head = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1"
    return head if cookie is None else head + b"\r\nCookie: " + cookie


@dataclass
class Stack:
    """One example app served in this process, with handles on its moving parts."""

    server: Any
    policy: auth.TktAuthentication
    clock: Clock
    app: Any
    storage: MemorySessionStorage | None = None

    @property
    def port(self) -> int:
        return int(self.server.port)

    def url(self, path: str = "/") -> str:
        return str(self.server.make_url(path))

    def client(self, local_ip: str = "127.0.0.1", **options: Any) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(local_addr=(local_ip, 0), force_close=True)
        return aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True), **options
        )

    def ticket(self, user: str = "alice", ip: str | None = "127.0.0.1", **kw: Any) -> str:
        """A valid ticket minted by the server's own policy (bound to ``ip``)."""
        return self.policy.issue_ticket(
            user, client_ip=ip if self.policy.include_ip else None, **kw
        )

    async def get(
        self, path: str, cookie: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, Any]:
        """GET ``path`` from a fresh connection with ``cookie`` as the auth cookie."""
        headers = dict(headers or {})
        if cookie is not None:
            headers["Cookie"] = f"AUTH_TKT={cookie}"
        async with self.client() as client:
            async with client.get(self.url(path), headers=headers, allow_redirects=False) as r:
                return r.status, await r.text(), r.headers

    async def raw(self, path: str, cookie: bytes | None) -> RawResponse:
        return await raw_request(self.port, cookie_head(path, cookie))

    async def login(self, client: aiohttp.ClientSession, user: str = "alice") -> str:
        url = self.url(f"/login?username={user}&password={user}_password")
        async with client.get(url) as resp:
            assert resp.status == 200, await resp.text()
        return jar_ticket(client)


async def _assert_anon(stack: Stack, cookie: bytes) -> None:
    """The whole ANON contract for one raw Cookie header value."""
    home = await stack.raw("/", cookie)
    assert home.status == 200, (cookie[:80], home.status, home.body[:200])
    assert home.body == b"Home page."
    assert not [v for v in home.header_values("Set-Cookie") if v.startswith("AUTH_TKT")]
    view = await stack.raw("/view", cookie)
    assert view.status == 403, (cookie[:80], view.status)


async def _assert_alice(stack: Stack, cookie: bytes) -> None:
    """The control: the untampered input does authenticate (so a rejection means something)."""
    view = await stack.raw("/view", cookie)
    assert (view.status, view.body) == (200, b"View Page")


def auth_cookies(raw: RawResponse) -> list[SimpleCookie]:
    """The Set-Cookie headers of a raw response that set the auth cookie, parsed."""
    out = []
    for value in raw.header_values("Set-Cookie"):
        jar = SimpleCookie()
        jar.load(value)
        if "AUTH_TKT" in jar:
            out.append(jar)
    return out


def jar_ticket(client: aiohttp.ClientSession, name: str = "AUTH_TKT") -> str:
    """The auth cookie in the client's jar ('' when there is none)."""
    return next((c.value for c in client.cookie_jar if c.key == name), "")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stack(aiohttp_server: Any, clock: Clock) -> Callable[..., Any]:
    """``await stack(app="getting-started"|"session", middlewares=(...), **policy_options)``.

    ``middlewares`` run outside the auth middleware (races use one to hold a
    response until the test releases it).
    """

    async def build(
        app: str = "getting-started",
        max_age: int = 60,
        middlewares: tuple[Any, ...] = (),
        secrets: Any = SECRET,
        **options: Any,
    ) -> Stack:
        options = {"include_ip": True, "clock": clock, **options}
        storage = None
        if app == "session":
            storage = MemorySessionStorage()
            policy = auth.SessionTktAuthentication(secrets, max_age, **options)
            application = getting_started.create_app(
                SECRET,
                auth_policy=policy,
                extra_middlewares=[*middlewares, session_middleware(storage)],
            )
        else:
            policy = auth.CookieTktAuthentication(secrets, max_age, **options)
            application = getting_started.create_app(
                SECRET, auth_policy=policy, extra_middlewares=middlewares
            )
        server = await aiohttp_server(application, host="127.0.0.1")
        return Stack(server, policy, clock, application, storage)

    return build


class LogGuard:
    """What the current test allows in its captured logs (tests loosen it explicitly)."""

    def __init__(self) -> None:
        self.max_level = logging.INFO
        self.allowed: list[re.Pattern[str]] = []  # messages above max_level a test expects
        self.exempt: set[str] = set()  # loggers a test checks itself (a pinned third-party flaw)

    def allow(self, level: int, pattern: str) -> None:
        """Expect records up to ``level`` whose message matches ``pattern`` (an injected fault)."""
        self.allowed.append(re.compile(pattern))
        self.max_level = max(self.max_level, level)


@pytest.fixture
async def app(stack: Callable[..., Any]) -> Stack:
    """The example app with the default options."""
    return await stack()


@pytest.fixture
def assert_anon() -> Callable[[Stack, bytes], Any]:
    """``await assert_anon(app, cookie)``: the whole ANON contract for one raw Cookie value."""
    return _assert_anon


@pytest.fixture
def assert_alice() -> Callable[[Stack, bytes], Any]:
    """``await assert_alice(app, cookie)``: the control, the input authenticates as alice."""
    return _assert_alice


@pytest.fixture(autouse=True)
def log_guard(caplog: pytest.LogCaptureFixture) -> Iterator[LogGuard]:
    """After each test: nothing above INFO (unless allowed) and no ticket in any record."""
    caplog.set_level(logging.DEBUG)
    guard = LogGuard()
    yield guard
    records = [
        *caplog.get_records("setup"),
        *caplog.get_records("call"),
    ]  # .records: this phase only
    for record in records:
        if record.name in guard.exempt:
            continue
        text = record.getMessage() + (repr(record.exc_info[1]) if record.exc_info else "")
        assert not TICKET_IN_TEXT.search(text), f"a ticket was logged: {record.name}: {text[:200]}"
        if record.levelno > logging.INFO:
            expected = record.levelno <= guard.max_level and any(
                p.search(record.getMessage()) for p in guard.allowed
            )
            assert expected, f"unexpected {record.levelname} from {record.name}: {text[:500]}"


@pytest.fixture
def example_process(tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    """Start example apps as users do; at teardown stop them and check their output is clean."""
    started: list[Any] = []

    def start(app: str = "getting-started") -> Any:
        server = servers.start_example(app, tmp_path / f"{app}-{len(started)}.log", SECRET)
        started.append(server)
        return server

    yield start
    for server in started:
        servers.stop_example(server)
    for server in started:
        servers.assert_clean_output(server.output())


@pytest.fixture(scope="session")
def kit() -> Any:
    """The helpers above for test modules (which cannot import conftest under importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        SECRET=SECRET,
        forge=forge,
        raw_request=raw_request,
        cookie_head=cookie_head,
        jar_ticket=jar_ticket,
        auth_cookies=auth_cookies,
        Clock=Clock,
        start_example=lambda app, log: servers.start_example(app, log, SECRET),
        stop_example=servers.stop_example,
        assert_clean_output=servers.assert_clean_output,
    )
