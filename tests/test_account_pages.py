"""The getting-started app's HTML pages over real TCP, without a browser.

The browser tests (``tests/browser``) show what Chromium does with these
pages; this module pins what the server sends, in the dev suite that runs
everywhere: statuses, redirects, the headers every page needs, escaping,
and the same pages on the session-storage app.
"""

from __future__ import annotations

import html
import secrets

import pytest

from aiohttp_auth_examples import getting_started, session_app
from aiohttp_auth_examples.account_pages import PERMISSIONS

SECRET = secrets.token_bytes(32)
PAGES = ["/account/login", "/account", "/staff"]


@pytest.fixture
async def server(aiohttp_server):
    return await aiohttp_server(getting_started.create_app(SECRET), host="127.0.0.1")


async def form_login(client, username: str, password: str):
    data = {"username": username, "password": password}
    async with client.post("/account/login", data=data, allow_redirects=False) as resp:
        return resp.status, resp.headers.get("Location"), await resp.text()


async def fetch(client, path: str):
    async with client.get(path, allow_redirects=False) as resp:
        return resp.status, resp.headers, await resp.text()


async def test_form_login_redirects_to_an_account_page_naming_the_user(server, client_for):
    async with client_for(server) as client:
        assert (await form_login(client, "bob", "bob_password"))[:2] == (303, "/account")
        status, _, page = await fetch(client, "/account")
    assert status == 200
    assert '<strong id="identity">bob</strong>' in page
    for permission, _meaning in PERMISSIONS:
        assert f"<code>{permission}</code>" in page


@pytest.mark.parametrize(
    ("username", "password"),
    [("bob", "alice_password"), ("carol", "carol_password"), ("bob", ""), ("", "bob_password")],
)
async def test_a_refused_login_is_401_with_the_form_and_no_cookie(
    server, client_for, username, password
):
    async with client_for(server) as client:
        status, location, page = await form_login(client, username, password)
        assert not [c for c in client.cookie_jar if c.key == "AUTH_TKT"]
    assert (status, location) == (401, None)
    assert "Wrong user name or password." in page
    assert '<form method="post" action="/account/login">' in page


async def test_a_form_without_fields_is_refused_like_a_wrong_password(server, client_for):
    async with client_for(server) as client:
        async with client.post("/account/login", data={}, allow_redirects=False) as resp:
            assert resp.status == 401


async def test_what_the_user_typed_comes_back_escaped(server, client_for):
    typed = '"><script>alert(1)</script>'
    async with client_for(server) as client:
        _, _, page = await form_login(client, typed, "wrong")
    assert "<script>alert" not in page
    assert f'value="{html.escape(typed)}"' in page


@pytest.mark.parametrize("path", ["/account", "/staff"])
async def test_anonymous_visitors_are_sent_to_the_login_form(server, client_for, path):
    async with client_for(server) as client:
        status, headers, _ = await fetch(client, path)
    assert (status, headers["Location"]) == (303, "/account/login")
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("user", "status", "title"), [("bob", 200, "Staff page"), ("alice", 403, "Staff only")]
)
async def test_the_staff_page_is_for_admin_view_holders(server, client_for, user, status, title):
    async with client_for(server) as client:
        await form_login(client, user, f"{user}_password")
        got, _, page = await fetch(client, "/staff")
    assert got == status
    assert f"<h1>{title}</h1>" in page
    assert f"<strong>{user}</strong>" in page


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("user", [None, "alice", "bob"])
async def test_every_page_is_never_stored_never_framed_and_runs_no_script(
    server, client_for, path, user
):
    async with client_for(server) as client:
        if user:
            await form_login(client, user, f"{user}_password")
        async with client.get(path) as resp:  # redirects followed: the page itself
            assert resp.content_type == "text/html"
            headers = resp.headers
    assert headers["Cache-Control"] == "no-store"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src" not in policy  # default-src 'none' then forbids every script
    assert headers["X-Content-Type-Options"] == "nosniff"


async def test_the_login_form_says_who_is_already_logged_in(server, client_for):
    async with client_for(server) as client:
        await form_login(client, "alice", "alice_password")
        _, _, page = await fetch(client, "/account/login")
    assert "You are logged in as <strong>alice</strong>" in page


async def test_logout_forgets_the_ticket_and_redirects_to_the_form(server, client_for):
    async with client_for(server) as client:
        await form_login(client, "bob", "bob_password")
        async with client.post("/account/logout", allow_redirects=False) as resp:
            assert (resp.status, resp.headers["Location"]) == (303, "/account/login")
        assert not [c for c in client.cookie_jar if c.key == "AUTH_TKT" and c.value]
        assert (await fetch(client, "/account"))[0] == 303


async def test_logout_when_logged_out_is_harmless(server, client_for):
    async with client_for(server) as client:
        async with client.post("/account/logout", allow_redirects=False) as resp:
            assert resp.status == 303


async def test_a_cross_site_form_post_is_refused_before_login(server, client_for):
    async with client_for(server) as client:
        data = {"username": "bob", "password": "bob_password"}
        headers = {"Sec-Fetch-Site": "cross-site"}
        async with client.post("/account/login", data=data, headers=headers) as resp:
            assert resp.status == 403
        assert not [c for c in client.cookie_jar if c.key == "AUTH_TKT"]


@pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)
async def test_the_session_app_has_the_same_pages(aiohttp_server, client_for):
    server = await aiohttp_server(session_app.create_app(SECRET), host="127.0.0.1")
    async with client_for(server) as client:
        assert (await form_login(client, "bob", "bob_password"))[0] == 303
        status, _, page = await fetch(client, "/staff")
        assert (status, "<strong>bob</strong>" in page) == (200, True)
        async with client.post("/account/logout", allow_redirects=False) as resp:
            assert resp.status == 303
        assert (await fetch(client, "/staff"))[0] == 303
