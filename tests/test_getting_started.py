"""The getting-started example in this process, over real TCP on 127.0.0.1.

Beyond the transcript: what a user of the app would check by hand with a
browser and a watch.  Tickets expire, sliding reissue keeps an active user
logged in, a ticket only works from the address it was issued to, logout
ends the session in that browser, and denied paths say 401 or 403.  The
clock is injected into the policy so that "61 seconds later" takes no time.
"""

from __future__ import annotations

import logging
import secrets

import aiohttp
import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth_examples.getting_started import create_app

SECRET = secrets.token_bytes(32)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_server(aiohttp_server, clock):
    async def make(**policy_options: object):
        options: dict[str, object] = {"include_ip": True, "clock": clock, **policy_options}
        policy = auth.CookieTktAuthentication(SECRET, 60, **options)
        app = create_app(SECRET, auth_policy=policy)
        return await aiohttp_server(app, host="127.0.0.1")

    return make


async def get_text(client: aiohttp.ClientSession, path: str) -> tuple[int, str]:
    async with client.get(path, allow_redirects=False) as resp:
        return resp.status, await resp.text()


async def login(client: aiohttp.ClientSession, user: str = "alice") -> None:
    status, _ = await get_text(client, f"/login?username={user}&password={user}_password")
    assert status == 200


async def test_transcript_in_process(make_server, replayer, transcript):
    server = await make_server()
    await replayer(str(server.make_url("/")).rstrip("/"), transcript)


async def test_ticket_expires_after_max_age(make_server, clock, client_for):
    server = await make_server()
    async with client_for(server) as client:
        await login(client)
        clock.now += 59
        assert await get_text(client, "/view") == (200, "View Page")
        clock.now += 1  # valid_until == now: expired (the boundary is pinned)
        assert await get_text(client, "/") == (200, "Home page.")
        assert (await get_text(client, "/view"))[0] == 403
        assert (await get_text(client, "/logout"))[0] == 401


async def test_sliding_reissue_keeps_an_active_user_logged_in(make_server, clock, client_for):
    server = await make_server(reissue_time=30)
    async with client_for(server) as client:
        await login(client)
        first = {c.key: c.value for c in client.cookie_jar}["AUTH_TKT"]
        clock.now += 40  # past reissue_time: the next 2xx response carries a new ticket
        async with client.get("/view") as resp:
            assert resp.status == 200
            assert "AUTH_TKT" in resp.cookies
        second = {c.key: c.value for c in client.cookie_jar}["AUTH_TKT"]
        assert second != first
        clock.now += 40  # 80 s after login: the first ticket is dead, the reissued one lives
        assert await get_text(client, "/view") == (200, "View Page")


async def test_reissue_stops_at_the_absolute_lifetime(make_server, clock, client_for):
    server = await make_server(reissue_time=0, max_lifetime=100)
    async with client_for(server) as client:
        await login(client)
        for _ in range(3):  # active every 25 s: a fresh ticket each time...
            clock.now += 25
            assert await get_text(client, "/view") == (200, "View Page")
        clock.now += 25  # ...but 100 s after login the session ends, reissued or not
        assert (await get_text(client, "/view"))[0] == 403


async def test_ticket_is_bound_to_the_client_address(make_server, client_for):
    server = await make_server()
    async with client_for(server, "127.0.0.1") as alice:
        await login(alice)
        cookie = {c.key: c.value for c in alice.cookie_jar}["AUTH_TKT"]
    async with client_for(server, "127.0.0.2") as thief:
        thief.cookie_jar.update_cookies({"AUTH_TKT": cookie}, server.make_url("/"))
        assert await get_text(thief, "/") == (200, "Home page.")
        assert (await get_text(thief, "/view"))[0] == 403


async def test_without_ip_binding_the_same_ticket_works_from_another_address(
    make_server, client_for
):
    server = await make_server(include_ip=False)
    async with client_for(server, "127.0.0.1") as alice:
        await login(alice)
        cookie = {c.key: c.value for c in alice.cookie_jar}["AUTH_TKT"]
    async with client_for(server, "127.0.0.2") as other:
        other.cookie_jar.update_cookies({"AUTH_TKT": cookie}, server.make_url("/"))
        assert await get_text(other, "/view") == (200, "View Page")


async def test_logout_deletes_the_cookie_and_a_replay_lasts_only_until_expiry(
    make_server, clock, client_for
):
    """Without revocation a captured ticket works until it expires: pinned, documented."""
    server = await make_server()
    async with client_for(server) as client:
        await login(client)
        captured = {c.key: c.value for c in client.cookie_jar}["AUTH_TKT"]
        async with client.get("/logout") as resp:
            assert resp.status == 200
            morsel = resp.cookies["AUTH_TKT"]
            assert morsel.value == ""
            assert morsel["max-age"] == "0"
        assert not any(c.key == "AUTH_TKT" for c in client.cookie_jar)
        assert await get_text(client, "/") == (200, "Home page.")
    async with client_for(server) as replay:
        replay.cookie_jar.update_cookies({"AUTH_TKT": captured}, server.make_url("/"))
        assert (await get_text(replay, "/view"))[0] == 200
        clock.now += 60
        assert (await get_text(replay, "/view"))[0] == 403


@pytest.mark.parametrize(
    ("user", "path", "method", "status"),
    [
        (None, "/view", "GET", 403),  # autz_required: 403 even when anonymous (seed)
        (None, "/logout", "GET", 401),  # auth_required: 401 when anonymous
        ("alice", "/admin", "GET", 403),
        ("alice", "/view", "POST", 405),
        ("bob", "/admin", "GET", 200),
    ],
)
async def test_denied_and_allowed_paths(make_server, user, path, method, status, client_for):
    server = await make_server()
    async with client_for(server) as client:
        if user:
            await login(client, user)
        async with client.request(method, path, allow_redirects=False) as resp:
            assert resp.status == status


async def test_wrong_password_sets_no_cookie(make_server, client_for):
    server = await make_server()
    async with client_for(server) as client:
        async with client.get("/login?username=alice&password=bob_password") as resp:
            assert resp.status == 401
            assert "Set-Cookie" not in resp.headers


async def test_form_login_and_logout_by_post(make_server, client_for):
    server = await make_server()
    async with client_for(server) as client:
        data = {"username": "bob", "password": "bob_password"}
        async with client.post("/login", data=data) as resp:
            assert resp.status == 200
        assert await get_text(client, "/admin") == (200, "Admin Page")
        async with client.post("/logout") as resp:
            assert resp.status == 200
        assert (await get_text(client, "/admin"))[0] == 403


URLENCODED = "application/x-www-form-urlencoded"
MULTIPART_WITH_XFF = (
    b'--B\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n'
    b'--B\r\nContent-Disposition: form-data; name="password"\r\n\r\n\xff\r\n--B--\r\n'
)
MULTIPART_READABLE = MULTIPART_WITH_XFF.replace(b"\xff", b"alice_password")
PART_WITH_UNKNOWN_TRANSFER_ENCODING = MULTIPART_READABLE.replace(
    b"\r\n\r\nalice\r\n", b"\r\nContent-Transfer-Encoding: foo\r\n\r\nalice\r\n"
)
PART_WITH_A_BAD_HEADER_LINE = MULTIPART_READABLE.replace(
    b"\r\n\r\nalice\r\n", b"\r\nBad Header\r\n\r\nalice\r\n"
)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (URLENCODED, b"username=alice&password=\xff"),
        (URLENCODED, b"username=\xff&password=alice_password"),
        ("multipart/form-data; boundary=B", MULTIPART_WITH_XFF),  # a text field, decoded too
        (URLENCODED + "; charset=bogus", b"username=alice&password=alice_password"),
        ("multipart/form-data", MULTIPART_READABLE),  # no boundary
        ("multipart/form-data; boundary=B", MULTIPART_READABLE[:-8]),  # cut short
        ("multipart/form-data; boundary=B", PART_WITH_UNKNOWN_TRANSFER_ENCODING),
        ("multipart/form-data; boundary=B", PART_WITH_A_BAD_HEADER_LINE),
    ],
)
async def test_an_undecodable_login_form_is_a_bad_request(
    make_server, client_for, caplog, content_type, body
):
    """A body that cannot be read (a raw non-UTF-8 byte, an unknown charset, a broken
    multipart body): 400 and no cookie, not a 500 and a logged traceback."""
    server = await make_server()
    async with client_for(server) as client:
        headers = {"Content-Type": content_type}
        async with client.post("/login", data=body, headers=headers) as resp:
            assert resp.status == 400
            assert "Set-Cookie" not in resp.headers
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_login_form_whose_content_encoding_does_not_decode_is_a_bad_request(
    make_server, client_for, caplog
):
    server = await make_server()
    async with client_for(server) as client:
        headers = {"Content-Type": URLENCODED, "Content-Encoding": "gzip"}
        async with client.post("/login", data=b"not gzip", headers=headers) as resp:
            assert resp.status == 400
            assert "Set-Cookie" not in resp.headers
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_create_app_returns_an_application():
    assert isinstance(create_app(SECRET), web.Application)
