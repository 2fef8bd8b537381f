"""The middleware lifecycle: which responses carry the cookie, and when (SECURITY F1-F9)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_cookie

NAME = "AUTH_TKT"


@pytest.fixture
def policy(secret: bytes, clock: Any) -> auth.CookieTktAuthentication:
    return auth.CookieTktAuthentication(secret, 600, reissue_time=0, clock=clock)


@pytest.fixture
def alice(policy: auth.CookieTktAuthentication) -> dict[str, str]:
    return make_auth_cookie(policy, "alice", tokens=("editor",), user_data="d")


@pytest.mark.parametrize("exc", [web.HTTPFound, web.HTTPSeeOther, web.HTTPUnauthorized])
async def test_F1_compat_bug5_remember_then_raise_keeps_the_cookie(
    aiohttp_client: Any, policy: Any, cookies_set: Any, exc: type[web.HTTPException]
) -> None:
    async def handler(request: web.Request) -> web.Response:
        await auth.remember(request, "alice")
        if exc is web.HTTPUnauthorized:
            raise exc()
        raise exc(location="/")

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", allow_redirects=False)
    assert response.status == exc.status_code
    (morsel,) = cookies_set(response, NAME)
    assert morsel.value
    assert "private" in response.headers["Cache-Control"]


async def test_F2_handler_cookies_and_headers_are_preserved(
    aiohttp_client: Any, policy: Any, cookies_set: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        await auth.remember(request, "alice")
        exc = web.HTTPFound("/", headers={"X-Kept": "1"})
        exc.set_cookie("other", "x")
        raise exc

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", allow_redirects=False)
    names = [m.key for m in cookies_set(response)]
    assert sorted(names) == ["AUTH_TKT", "other"]
    assert response.headers["X-Kept"] == "1"


async def test_F3_forget_then_raise_deletes_the_cookie(
    aiohttp_client: Any, policy: Any, alice: Any, cookies_set: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        await auth.forget(request)
        raise web.HTTPFound("/")

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", cookies=alice, allow_redirects=False)
    (morsel,) = cookies_set(response, NAME)
    assert morsel.value == ""
    assert morsel["max-age"] == "0"


def _reply(kind: str) -> web.StreamResponse:
    if kind.startswith("raise"):
        raise web.HTTPFound("/") if kind == "raise302" else web.HTTPNoContent()
    return web.Response(status=int(kind), body=None if int(kind) in (204, 304) else b"x")


@pytest.mark.parametrize(
    ("kind", "reissued"),
    [
        ("200", True),
        ("204", True),
        ("201", True),
        ("301", False),
        ("302", False),
        ("304", False),
        ("400", False),
        ("404", False),
        ("500", False),
        ("raise302", False),
        ("raise204", False),
    ],
)
async def test_F4_compat_bug7_reissue_only_on_returned_2xx(
    aiohttp_client: Any, policy: Any, alice: Any, cookies_set: Any, kind: str, reissued: bool
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        assert await auth.get_auth(request) == "alice"
        return _reply(kind)

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", cookies=alice, allow_redirects=False)
    assert bool(cookies_set(response, NAME)) is reissued


async def test_F4_compat_bug7_reissue_on_a_streamed_2xx_response(
    aiohttp_client: Any, policy: Any, alice: Any, cookies_set: Any
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        await auth.get_auth(request)
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"streamed")
        return response

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", cookies=alice)
    assert await response.read() == b"streamed"
    assert cookies_set(response, NAME)


@pytest.mark.parametrize("second", ["forget", "remember"])
async def test_F5_compat_bug4_logout_or_new_login_beats_a_pending_reissue(
    aiohttp_client: Any, policy: Any, alice: Any, cookies_set: Any, second: str
) -> None:
    async def handler(request: web.Request) -> web.Response:
        assert await auth.get_auth(request) == "alice"  # schedules a reissue (reissue_time=0)
        if second == "forget":
            await auth.forget(request)
        else:
            await auth.remember(request, "bob")
        return web.Response()

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    app.router.add_get("/who", _who)
    client = await aiohttp_client(app)
    response = await client.get("/", cookies=alice)
    (morsel,) = cookies_set(response, NAME)
    if second == "forget":
        assert morsel.value == ""
    else:
        who = await client.get("/who", cookies={NAME: morsel.value})
        assert await who.text() == "bob"


async def _who(request: web.Request) -> web.Response:
    return web.Response(text=str(await auth.get_auth(request)))


async def test_F6_reissue_keeps_tokens_user_data_and_login_time(
    aiohttp_client: Any, make_app: Any, clock: Any, policy: Any, cookies_set: Any
) -> None:
    client = await aiohttp_client(make_app(policy))
    login = await client.get("/login?user=alice&tokens=editor,admin&data=hello")
    first = (await client.get("/info")).headers  # reissued at once: reissue_time=0
    assert first
    before = await (await client.get("/info")).json()
    clock.advance(100)
    response = await client.get("/info")
    assert cookies_set(response, NAME)  # a reissue happened
    after = await (await client.get("/info")).json()
    assert login.status == 200
    assert after["tokens"] == before["tokens"] == ["editor", "admin"]
    assert after["user_data"] == before["user_data"] == "hello"
    assert after["auth_time"] == before["auth_time"]
    assert after["valid_until"] == before["valid_until"] + 100


async def test_F8_compat_bug6_remember_before_prepare_reaches_the_headers(
    aiohttp_client: Any, policy: Any, cookies_set: Any
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        await auth.remember(request, "alice")
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(3):
            await response.write(b"chunk")
        return response

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert await response.read() == b"chunk" * 3
    (morsel,) = cookies_set(response, NAME)
    assert morsel.value


async def test_F8_compat_bug6_remember_after_prepare_raises_at_the_call_site(
    aiohttp_client: Any, policy: Any, cookies_set: Any
) -> None:
    errors: list[str] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"body")
        for call in (auth.remember(request, "alice"), auth.forget(request)):
            try:
                await call
            except RuntimeError as exc:
                errors.append(str(exc))
        await response.write(b" complete")
        return response

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert await response.read() == b"body complete"  # never truncated
    assert len(errors) == 2
    assert all("prepare()" in error for error in errors)
    assert not cookies_set(response, NAME)


async def test_F8_websocket_remember_before_prepare_is_on_the_101(
    aiohttp_client: Any, policy: Any, alice: Any, cookies_set: Any
) -> None:
    upgrade: list[Any] = []

    async def handler(request: web.Request) -> web.WebSocketResponse:
        await auth.remember(request, "alice")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("hi")
        await ws.close()
        return ws

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        upgrade.append(response)

    app = web.Application()
    auth.setup(app, policy)
    app.on_response_prepare.append(on_prepare)
    app.router.add_get("/ws", handler)
    client = await aiohttp_client(app)
    async with client.ws_connect("/ws") as ws:
        assert (await ws.receive()).data == "hi"
    assert upgrade[0].status == 101
    assert cookies_set(upgrade[0], NAME)[0].value


async def test_F4_no_reissue_on_a_websocket_upgrade(
    aiohttp_client: Any, policy: Any, alice: Any, cookies_set: Any
) -> None:
    seen: list[Any] = []

    async def handler(request: web.Request) -> web.WebSocketResponse:
        seen.append(await auth.get_auth(request))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.close()
        return ws

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        seen.append(response)

    app = web.Application()
    auth.setup(app, policy)
    app.on_response_prepare.append(on_prepare)
    app.router.add_get("/ws", handler)
    client = await aiohttp_client(app, cookies=alice)
    async with client.ws_connect("/ws"):
        pass
    assert seen[0] == "alice"
    assert not cookies_set(seen[1], NAME)


async def test_F9_unhandled_exception_sends_no_cookie_and_is_logged_once(
    aiohttp_client: Any, policy: Any, cookies_set: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def handler(request: web.Request) -> web.Response:
        await auth.remember(request, "alice")
        raise KeyError("boom")

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.DEBUG):
        response = await client.get("/")
    assert response.status == 500
    assert not cookies_set(response, NAME)
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1
    assert tracebacks[0].exc_info is not None
    assert tracebacks[0].exc_info[0] is KeyError


async def test_bare_middleware_handles_returned_responses(
    aiohttp_client: Any, make_app: Any, policy: Any
) -> None:
    client = await aiohttp_client(make_app(policy, use_setup=False))
    await client.get("/login?user=carol")
    assert await (await client.get("/whoami")).text() == "carol"


async def test_bare_middleware_warns_when_a_streamed_login_cannot_be_written(
    aiohttp_client: Any, policy: Any, cookies_set: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        await auth.remember(request, "alice")
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"ok")
        return response

    app = web.Application(middlewares=[auth.auth_middleware(policy)])
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.WARNING, logger="aiohttp_auth.auth"):
        response = await client.get("/")
        assert await response.read() == b"ok"
    assert not cookies_set(response, NAME)
    assert "aiohttp_auth.auth.setup" in caplog.text


async def test_streamed_body_is_never_truncated(aiohttp_client: Any, policy: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"a" * 100_000)
        return response

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    try:
        body = await (await client.get("/")).read()
    except aiohttp.ClientPayloadError:  # pragma: no cover  # the failure this test exists for
        pytest.fail("truncated body")
    assert len(body) == 100_000
