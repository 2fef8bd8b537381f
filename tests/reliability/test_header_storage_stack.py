"""The ``Authorization`` header storage over raw sockets: API clients meet the same rules.

None of the example apps uses ``HeaderTktAuthentication``, so a small API
app is served on 127.0.0.1: ``POST /login`` returns the issued ticket,
``GET /me`` needs a login.  Written byte for byte: the scheme in any case,
extra spaces, non-UTF-8 bytes, a ticket of another user in a second header,
oversized values.  Checked: the ANON contract (401 on ``/me``, no
``X-Auth-Ticket``), never a 5xx, a sliding reissue only on a 2xx, and the
documented limit that ``forget()`` cannot recall a header ticket (A10, A17,
A18, F4, H1).
"""

from __future__ import annotations

import pytest
from aiohttp import web

from aiohttp_auth import auth


async def login(request: web.Request) -> web.Response:
    await auth.remember(request, "alice")
    return web.Response(text=auth.issued_ticket(request) or "")


@auth.auth_required
async def me(request: web.Request) -> web.Response:
    return web.Response(text=str(await auth.get_auth(request)))


@auth.auth_required
async def logout(request: web.Request) -> web.Response:
    await auth.forget(request)
    return web.Response(text="bye")


async def teapot(request: web.Request) -> web.Response:
    await auth.get_auth(request)
    return web.Response(status=418)


@pytest.fixture
async def api(aiohttp_server, clock, kit):
    policy = auth.HeaderTktAuthentication(kit.SECRET, 60, reissue_time=10, clock=clock)
    app = web.Application()
    auth.setup(app, policy)
    app.router.add_post("/login", login)
    app.router.add_get("/me", me)
    app.router.add_get("/logout", logout)
    app.router.add_get("/teapot", teapot)
    server = await aiohttp_server(app, host="127.0.0.1")
    return server, policy


async def call(kit, server, path: str, *authorization: bytes):
    head = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x"
    for value in authorization:
        head += b"\r\nAuthorization: " + value
    return await kit.raw_request(server.port, head)


@pytest.mark.parametrize(
    "value",
    [
        b"Bearer",
        b"Bearer ",
        b"Basic {t}",
        b"Bearer{t}",
        b"Bearer \xff\xfe",
        b"Bearer {t}\xff",
        b"Bearer " + b"A" * 8000,
        b"{t}",
        b"Bearer {t}x",
        b"Bearer null",
    ],
)
async def test_A10_A17_hostile_authorization_values_are_anonymous(api, kit, value):
    server, policy = api
    ticket = policy.issue_ticket("alice").encode()
    response = await call(kit, server, "/me", value.replace(b"{t}", ticket))
    assert response.status == 401
    assert not response.header_values("X-Auth-Ticket")


@pytest.mark.parametrize("value", [b"Bearer {t}", b"bearer {t}", b"BEARER  {t} "])
async def test_A17_the_scheme_is_case_insensitive_and_spaces_are_trimmed(api, kit, value):
    server, policy = api
    ticket = policy.issue_ticket("alice").encode()
    response = await call(kit, server, "/me", value.replace(b"{t}", ticket))
    assert (response.status, response.body) == (200, b"alice")


async def test_A18_two_authorization_headers_are_anonymous(api, kit):
    server, policy = api
    alice, bob = policy.issue_ticket("alice").encode(), policy.issue_ticket("bob").encode()
    for pair in ((alice, bob), (bob, alice), (alice, alice)):
        response = await call(kit, server, "/me", *(b"Bearer " + t for t in pair))
        assert response.status == 401


async def test_F4_H1_reissue_only_on_2xx_and_logout_cannot_recall_the_ticket(api, kit, clock):
    server, _ = api
    login_response = await kit.raw_request(
        server.port, b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 0"
    )
    ticket = login_response.body
    assert login_response.header_values("X-Auth-Ticket") == [ticket.decode()]
    clock.now += 20  # due for reissue
    teapot = await call(kit, server, "/teapot", b"Bearer " + ticket)
    assert teapot.status == 418
    assert not teapot.header_values("X-Auth-Ticket")  # not a 2xx: no reissue
    fresh = await call(kit, server, "/me", b"Bearer " + ticket)
    assert fresh.status == 200
    assert fresh.header_values("X-Auth-Ticket")  # 2xx: the client gets a new one
    assert "no-store" in fresh.header_values("Cache-Control")[0]
    assert (await call(kit, server, "/logout", b"Bearer " + ticket)).status == 200
    # documented: the server cannot delete what the client holds; it works until it expires
    assert (await call(kit, server, "/me", b"Bearer " + ticket)).status == 200
    clock.now += 40
    assert (await call(kit, server, "/me", b"Bearer " + ticket)).status == 401
