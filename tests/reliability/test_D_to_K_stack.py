"""SECURITY D-K at the whole-stack level: the example apps over TCP, where a browser meets them.

The unit tests prove each item inside the middleware; these drive the
getting-started and session example apps on 127.0.0.1 (in this process, so
the clock, the revocation store and the logs are at hand) and look at what a
client actually receives: raw ``Set-Cookie`` and cache headers, statuses,
which tickets still open ``/view`` or ``/admin``.  Items already driven over
TCP by ``tests/test_*.py`` (the ticket bound to the address, replay after
logout until expiry, absolute lifetime, session rotation, CSRF) are not
repeated here; SECURITY.md's table points at them.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth_examples import getting_started

README = Path(__file__).parents[2] / "packages" / "aiohttp-middleware" / "README.md"


async def test_D2_ipv6_loopback_binds_and_checks_the_ticket(stack, aiohttp_server, clock):
    app = await stack()  # for its policy; a second server on ::1 shares it
    server = await aiohttp_server(
        getting_started.create_app(b"", auth_policy=app.policy), host="::1"
    )
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        login = server.make_url("/login?username=bob&password=bob_password")
        async with client.get(login) as resp:
            ticket = resp.cookies["AUTH_TKT"].value
        assert "!::1!" in ticket  # bound to the IPv6 peer
        async with client.get(server.make_url("/admin")) as resp:
            assert resp.status == 200
    assert (await app.get("/admin", ticket))[0] == 403  # from 127.0.0.1: another address


async def test_D4_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(stack):
    direct = await stack()
    proxied = await stack(trusted_proxies=["127.0.0.1"])
    far = direct.ticket("bob", ip="203.0.113.9")
    near = direct.ticket("bob", ip="127.0.0.1")
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    assert (await direct.get("/admin", far, headers=spoof))[0] == 403  # untrusted peer: ignored
    assert (await direct.get("/admin", near, headers=spoof))[0] == 200
    assert (await proxied.get("/admin", far, headers=spoof))[0] == 200  # the proxy says who
    left = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}  # what a client wrote leftmost
    assert (await proxied.get("/admin", far, headers=left))[0] == 403
    for garbage in ("garbage", "1.2.3.4,,", ",".join(["10.0.0.1"] * 800), "[::1]:80"):
        assert (await proxied.get("/admin", far, headers={"X-Forwarded-For": garbage}))[0] == 403


async def test_D5_a_unix_socket_has_no_peer_address_anonymous_and_login_refused(
    stack, tmp_path, log_guard
):
    readme = " ".join(README.read_text().split())
    assert "No peer address (Unix socket): anonymous, one WARNING per policy" in readme
    log_guard.allow(logging.WARNING, r"include_ip")  # the one documented WARNING
    log_guard.allow(logging.ERROR, r"^Error handling request")  # remember() raising: a 500
    app = await stack()
    runner = web.AppRunner(getting_started.create_app(b"", auth_policy=app.policy))
    await runner.setup()
    path = str(tmp_path / "app.sock")
    await web.UnixSite(runner, path).start()
    try:
        async with aiohttp.ClientSession(connector=aiohttp.UnixConnector(path=path)) as client:
            headers = {"Cookie": f"AUTH_TKT={app.ticket('bob')}"}
            async with client.get("http://app/admin", headers=headers) as resp:
                assert resp.status == 403
            async with client.get("http://app/login?username=bob&password=bob_password") as resp:
                assert resp.status == 500  # remember() refuses to mint an unbound ticket
                assert "AUTH_TKT" not in resp.cookies
    finally:
        await runner.cleanup()


async def test_E1_E3_E4_cookie_attributes_and_cache_headers_over_the_wire(app, kit):
    login = await app.raw("/login?username=bob&password=bob_password", None)
    (cookie,) = kit.auth_cookies(login)
    morsel = cookie["AUTH_TKT"]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert morsel["domain"] == ""
    assert morsel["max-age"] == ""  # a session cookie by default
    assert morsel["secure"] == ""  # plain HTTP straight to 127.0.0.1: the documented exception
    cache = {v.strip() for v in login.header_values("Cache-Control")[0].split(",")}
    assert {"private", "no-store"} <= cache
    assert "Cookie" in login.header_values("Vary")[0]
    head = kit.cookie_head("/login?username=bob&password=bob_password", None)
    proxied = await kit.raw_request(app.port, head + b"\r\nX-Forwarded-Proto: https")
    assert kit.auth_cookies(proxied)[0]["AUTH_TKT"]["secure"] is True  # anything proxied: Secure
    logout = await app.raw("/logout", f"AUTH_TKT={morsel.value}".encode())
    (deletion,) = kit.auth_cookies(logout)
    gone = deletion["AUTH_TKT"]
    assert (gone.value, gone["max-age"], gone["path"], gone["samesite"]) == ("", "0", "/", "Lax")
    assert gone["httponly"] is True
    assert "no-store" in logout.header_values("Cache-Control")[0]


async def test_F4_J3_reissue_only_on_a_2xx_and_no_cookie_otherwise(stack, clock):
    app = await stack(reissue_time=10)
    alice = app.ticket("alice")
    clock.now += 20  # due for reissue
    for path, status in (("/admin", 403), ("/nowhere", 404), ("/view", 200)):
        got, _, headers = await app.get(path, alice)
        assert got == status
        assert ("AUTH_TKT=" in headers.get("Set-Cookie", "")) == (status == 200), path
    for stale in ("garbage", app.ticket("alice")[:-2], ""):  # invalid: never deleted, never set
        _, _, headers = await app.get("/view", stale)
        assert "Set-Cookie" not in headers


async def test_G3_an_expired_ticket_inside_a_live_session_is_anonymous(stack, clock):
    app = await stack("session")
    async with app.client() as bob:
        async with bob.get(app.url("/login?username=bob&password=bob_password")) as resp:
            assert resp.status == 200
        async with bob.get(app.url("/admin")) as resp:
            assert resp.status == 200
        clock.now += 61  # the session store still holds the session; the ticket in it expired
        async with bob.get(app.url("/admin")) as resp:
            assert resp.status == 403
        assert len(app.storage) == 1


async def test_H2_revoke_user_logs_a_user_out_of_every_browser(stack, clock):
    app = await stack(revocation=auth.MemoryRevocationStore(clock=clock))
    async with app.client() as laptop, app.client() as phone:
        tickets = [await app.login(laptop, "bob"), await app.login(phone, "bob")]
        alice = await app.login(phone, "alice")
        await app.policy.revoke_user("bob")
        for ticket in tickets:
            assert (await app.get("/admin", ticket))[0] == 403
        assert (await app.get("/view", alice))[0] == 200  # other users untouched
        clock.now += 1  # a new login from the next second on works
        assert (await app.get("/admin", await app.login(laptop, "bob")))[0] == 200


async def test_J1_concurrent_users_never_see_each_others_identity_or_groups(app):
    tickets = {user: app.ticket(user) for user in ("alice", "bob")}
    expected = {"alice": (200, 403), "bob": (200, 200)}

    async def one(user: str) -> tuple[str, int, int]:
        view = (await app.get("/view", tickets[user]))[0]
        admin = (await app.get("/admin", tickets[user]))[0]
        return user, view, admin

    results = await asyncio.gather(*(one(("alice", "bob")[i % 2]) for i in range(200)))
    assert all((view, admin) == expected[user] for user, view, admin in results)


def test_K1_the_docs_say_the_application_owns_login_redirects():
    root = Path(__file__).parents[2] / "packages"
    texts = [
        (root / p / "README.md").read_text().lower() for p in ("aiohttp-middleware", "examples")
    ]
    assert any("redirect" in t and ("next" in t or "came_from" in t) for t in texts)


@pytest.mark.parametrize(
    "user",
    [
        "staff",
        "guest",
        "Everyone",
        "Group.Everyone",
        "aiohttp_auth.acl.group.Everyone",
        "system.Authenticated",
        "staff ",
        "STAFF",
    ],
)
async def test_I6_a_user_id_equal_to_a_group_name_gains_nothing(app, user):
    ticket = app.ticket(user)
    assert (await app.get("/", ticket))[1] == "Home page. Logout:"  # logged in...
    assert (await app.get("/admin", ticket))[0] == 403  # ...but not staff
    assert (await app.get("/view", ticket))[0] == 403  # ...nor guest
