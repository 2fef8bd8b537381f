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
    await auth.forget(request)
    return web.Response(text="bye")


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


def build_app(policy: auth.AbstractAuthentication, *, use_setup: bool = True) -> web.Application:
    """An app with /whoami, /login, /logout, /protected and /info."""
    app = web.Application()
    if use_setup:
        auth.setup(app, policy)
    else:
        app.middlewares.append(auth.auth_middleware(policy))
    app.router.add_get("/whoami", whoami)
    app.router.add_get("/login", login)
    app.router.add_get("/logout", logout)
    app.router.add_get("/protected", protected)
    app.router.add_get("/info", info)
    return app


@pytest.fixture
def make_app() -> Callable[..., web.Application]:
    return build_app


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
