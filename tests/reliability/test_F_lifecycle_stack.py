"""SECURITY F1-F9 over TCP: the response paths a real app uses, and the cookie on each.

The example apps only return plain responses, so this module serves a small
purpose-built app on 127.0.0.1 with the handlers real applications write:
log in and redirect by raising, log out and redirect, stream a body, open a
WebSocket, crash.  A real client reads what arrives on the wire (the 302's
headers, the 101's headers, the whole streamed body), so a cookie lost on one
of these paths, or a body cut short, shows here even if the middleware's unit
tests pass.
"""

from __future__ import annotations

import logging

import aiohttp
import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.auth import ticket_info

BODY = b"x" * 200_000


async def login_and_redirect(request: web.Request) -> web.Response:
    await auth.remember(request, "alice", tokens=("editor", "staff"), user_data="pref=1")
    exc = web.HTTPFound("/who")
    exc.set_cookie("theme", "dark")  # the handler's own cookie must survive too (F2)
    raise exc


async def logout_and_redirect(request: web.Request) -> web.Response:
    await auth.forget(request)
    raise web.HTTPSeeOther("/who")


async def who(request: web.Request) -> web.Response:
    """Identity twice around a login in the same request: must be consistent (F7)."""
    before = await auth.get_auth(request)
    if "as" in request.query:
        await auth.remember(request, request.query["as"])
    after = await auth.get_auth(request)
    info = ticket_info(request)
    extra = f" {info.tokens} {info.user_data}" if info is not None and after == before else ""
    return web.Response(text=f"{before}->{after}{extra}")


async def stream(request: web.Request) -> web.StreamResponse:
    await auth.remember(request, "alice")
    response = web.StreamResponse()
    await response.prepare(request)  # the cookie must already be in these headers
    for start in range(0, len(BODY), 50_000):
        await response.write(BODY[start : start + 50_000])
    await response.write_eof()
    return response


async def websocket(request: web.Request) -> web.WebSocketResponse:
    await auth.remember(request, "alice")
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str("hello")
    await ws.close()
    return ws


async def crash(request: web.Request) -> web.Response:
    await auth.remember(request, "alice")
    raise KeyError("boom")


@pytest.fixture
async def server(aiohttp_server, clock, kit):
    policy = auth.CookieTktAuthentication(kit.SECRET, 60, reissue_time=10, clock=clock)
    app = web.Application()
    auth.setup(app, policy)
    for path, handler in (
        ("/login", login_and_redirect),
        ("/logout", logout_and_redirect),
        ("/who", who),
        ("/stream", stream),
        ("/ws", websocket),
        ("/crash", crash),
    ):
        app.router.add_get(path, handler)
    return await aiohttp_server(app, host="127.0.0.1")


@pytest.fixture
async def browser():
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def test_F1_F2_login_then_a_raised_redirect_carries_both_cookies(server, browser):
    async with browser.get(server.make_url("/login"), allow_redirects=False) as resp:
        assert resp.status == 302
        names = [v.split("=", 1)[0] for v in resp.headers.getall("Set-Cookie")]
    assert sorted(names) == ["AUTH_TKT", "theme"]  # both, once each
    async with browser.get(server.make_url("/who")) as resp:
        assert (await resp.text()).startswith("alice->alice")


async def test_F3_logout_then_a_raised_redirect_deletes_the_cookie(server, browser):
    await browser.get(server.make_url("/login"), allow_redirects=False)
    async with browser.get(server.make_url("/logout"), allow_redirects=False) as resp:
        assert resp.status == 303
        assert resp.cookies["AUTH_TKT"].value == ""
    async with browser.get(server.make_url("/who")) as resp:
        assert await resp.text() == "None->None"


async def test_F6_a_reissue_keeps_tokens_user_data_and_login_time(server, browser, clock):
    await browser.get(server.make_url("/login"), allow_redirects=False)
    first = next(c.value for c in browser.cookie_jar if c.key == "AUTH_TKT")
    clock.now += 20
    async with browser.get(server.make_url("/who")) as resp:
        assert await resp.text() == "alice->alice ('editor', 'staff') pref=1"
        second = resp.cookies["AUTH_TKT"].value
    assert second != first
    # only valid_until moved: same login time, login id, address, user, tokens and user data
    assert first.split("!")[2:8] == second.split("!")[2:8]
    assert int(second.split("!")[1]) == int(first.split("!")[1]) + 20


async def test_F7_identity_follows_a_login_within_the_request(server, browser):
    async with browser.get(server.make_url("/who?as=bob")) as resp:
        assert await resp.text() == "None->bob"
    async with browser.get(server.make_url("/who?as=alice")) as resp:
        assert await resp.text() == "bob->alice"


async def test_F8_a_streamed_body_arrives_whole_with_the_cookie_in_its_headers(server, browser):
    async with browser.get(server.make_url("/stream")) as resp:
        assert "AUTH_TKT" in resp.cookies
        assert await resp.read() == BODY  # never truncated
    async with browser.get(server.make_url("/who")) as resp:
        assert (await resp.text()).startswith("alice->alice")


async def test_F8_a_websocket_upgrade_carries_the_cookie(server, browser):
    async with browser.ws_connect(server.make_url("/ws")) as ws:
        assert await ws.receive_str() == "hello"
    async with browser.get(server.make_url("/who")) as resp:
        assert (await resp.text()).startswith("alice->alice")


async def test_F9_an_unhandled_error_is_a_500_without_a_login(server, browser, log_guard, caplog):
    log_guard.allow(logging.ERROR, r"^Error handling request from 127\.0\.0\.1$")
    async with browser.get(server.make_url("/crash")) as resp:
        assert resp.status == 500
        assert "AUTH_TKT" not in resp.cookies
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1  # logged once, and it is the handler's own error
    assert isinstance(errors[0].exc_info[1], KeyError)
