"""The getting-started app's HTML pages over real TCP, without a browser.

The browser tests (``tests/browser``) show what Chromium does with these
pages; this module pins what the server sends, in the dev suite that runs
everywhere: statuses, redirects, the headers every page needs, escaping,
the cross-site checks, and the same pages on the session-storage app.
"""

from __future__ import annotations

import html
import logging
import secrets

import pytest

from aiohttp_auth_examples import getting_started, session_app
from aiohttp_auth_examples.account_pages import PERMISSIONS
from aiohttp_auth_examples.users import USERS, password_matches

SECRET = secrets.token_bytes(32)
PAGES = ["/account/login", "/account", "/staff"]
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}


@pytest.fixture
async def server(aiohttp_server):
    return await aiohttp_server(getting_started.create_app(SECRET), host="127.0.0.1")


async def form_login(client, username: str, password: str, headers=None):
    data = {"username": username, "password": password}
    async with client.post(
        "/account/login", data=data, headers=headers, allow_redirects=False
    ) as resp:
        return resp.status, resp.headers, await resp.text()


async def logged_in(client, user: str) -> None:
    status, _, page = await form_login(client, user, f"{user}_password")
    assert status == 200, page


async def fetch(client, path: str, headers=None):
    async with client.get(path, headers=headers, allow_redirects=False) as resp:
        return resp.status, resp.headers, await resp.text()


def has_auth_cookie(client) -> bool:
    return any(c.key == "AUTH_TKT" and c.value for c in client.cookie_jar)


async def test_form_login_moves_on_to_an_account_page_naming_the_user(server, client_for):
    async with client_for(server) as client:
        status, headers, page = await form_login(client, "bob", "bob_password")
        assert (status, "Location" in headers) == (200, False)
        # a new navigation, not a redirect of the POST (why: account_pages' docstring)
        assert '<meta http-equiv="refresh" content="0; url=/account">' in page
        assert has_auth_cookie(client)
        status, _, page = await fetch(client, "/account")
    assert status == 200
    assert '<strong id="identity">bob</strong>' in page
    for permission, meaning in PERMISSIONS:
        assert f"<code>{html.escape(permission)}</code>" in page
        assert html.escape(meaning) in page


@pytest.mark.parametrize(
    ("username", "password"),
    [("bob", "alice_password"), ("carol", "carol_password"), ("bob", ""), ("", "bob_password")],
)
async def test_a_refused_login_is_401_with_the_form_and_no_cookie(
    server, client_for, username, password
):
    async with client_for(server) as client:
        status, headers, page = await form_login(client, username, password)
        assert not has_auth_cookie(client)
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Form ")  # a 401 names its scheme
    assert "Location" not in headers
    assert "Wrong user name or password." in page
    assert '<form method="post" action="/account/login">' in page


async def test_a_form_without_fields_is_refused_like_a_wrong_password(server, client_for):
    async with client_for(server) as client:
        async with client.post("/account/login", data={}, allow_redirects=False) as resp:
            assert resp.status == 401


@pytest.mark.parametrize(
    "body", [b"username=alice&password=\xff", b"username=\xff&password=alice_password"]
)
async def test_an_undecodable_login_form_is_a_bad_request(server, client_for, caplog, body):
    """Raw non-UTF-8 bytes (no browser sends them): 400, not a 500 and a logged traceback."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    async with client_for(server) as client:
        async with client.post(
            "/account/login", data=body, headers=form, allow_redirects=False
        ) as resp:
            assert resp.status == 400
        assert not has_auth_cookie(client)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_what_the_user_typed_comes_back_escaped(server, client_for):
    typed = '"><script>alert(1)</script>'
    async with client_for(server) as client:
        _, _, page = await form_login(client, typed, "wrong")
    assert "<script" not in page
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
        await logged_in(client, user)
        got, _, page = await fetch(client, "/staff")
    assert got == status
    assert f"<h1>{title}</h1>" in page
    assert f"<strong>{user}</strong>" in page


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("user", [None, "alice", "bob"])
async def test_every_page_is_never_stored_never_framed_and_has_no_script(
    server, client_for, path, user
):
    async with client_for(server) as client:
        if user:
            await logged_in(client, user)
        async with client.get(path) as resp:  # redirects followed: the page itself
            assert resp.content_type == "text/html"
            headers, page = resp.headers, await resp.text()
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Security-Policy"] == PAGE_POLICY  # no script-src: none may run
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in page.lower()


async def test_the_login_form_says_who_is_already_logged_in(server, client_for):
    async with client_for(server) as client:
        await logged_in(client, "alice")
        _, _, page = await fetch(client, "/account/login")
    assert "You are logged in as <strong>alice</strong>" in page


async def test_logout_forgets_the_ticket_and_redirects_to_the_form(server, client_for):
    async with client_for(server) as client:
        await logged_in(client, "bob")
        async with client.post("/account/logout", allow_redirects=False) as resp:
            assert (resp.status, resp.headers["Location"]) == (303, "/account/login")
        assert not has_auth_cookie(client)
        assert (await fetch(client, "/account"))[0] == 303


async def test_logout_when_logged_out_is_harmless(server, client_for):
    async with client_for(server) as client:
        async with client.post("/account/logout", allow_redirects=False) as resp:
            assert resp.status == 303


async def test_a_cross_site_form_post_is_refused_before_login(server, client_for):
    async with client_for(server) as client:
        status, _, _ = await form_login(client, "bob", "bob_password", headers=CROSS_SITE)
        assert status == 403
        assert not has_auth_cookie(client)


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site"])
async def test_the_documents_get_login_refuses_a_link_from_another_site(
    server, client_for, fetch_site
):
    """The GET login of the original document is a login CSRF by link otherwise."""
    query = "/login?username=bob&password=bob_password"
    async with client_for(server) as client:
        status, _, _ = await fetch(client, query, headers={"Sec-Fetch-Site": fetch_site})
        assert status == 403
        assert not has_auth_cookie(client)
        # typed into the address bar, from our own pages, or by curl: as the document says
        for headers in ({"Sec-Fetch-Site": "none"}, {"Sec-Fetch-Site": "same-origin"}, None):
            assert (await fetch(client, query, headers=headers))[:1] == (200,)


async def test_the_documents_get_logout_refuses_a_link_from_another_site(server, client_for):
    async with client_for(server) as client:
        await logged_in(client, "bob")
        assert (await fetch(client, "/logout", headers=CROSS_SITE))[0] == 403
        assert has_auth_cookie(client)
        assert (await fetch(client, "/logout"))[0] == 200
        assert not has_auth_cookie(client)


async def test_other_get_routes_take_links_from_anywhere(server, client_for):
    async with client_for(server) as client:
        assert (await fetch(client, "/", headers=CROSS_SITE))[:1] == (200,)
        assert (await fetch(client, "/account/login", headers=CROSS_SITE))[:1] == (200,)


def test_password_check_knows_only_the_table():
    for user, record in USERS.items():
        assert password_matches(user, record["password"])
        assert not password_matches(user, f"{record['password']}x")
        assert not password_matches(user, None)
    assert not password_matches("carol", "carol_password")
    assert not password_matches(None, "bob_password")
    assert not password_matches(["bob"], "bob_password")


@pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)
async def test_the_session_app_has_the_same_pages(aiohttp_server, client_for):
    server = await aiohttp_server(session_app.create_app(SECRET), host="127.0.0.1")
    async with client_for(server) as client:
        await logged_in(client, "bob")
        status, _, page = await fetch(client, "/staff")
        assert (status, "<strong>bob</strong>" in page) == (200, True)
        async with client.post("/account/logout", allow_redirects=False) as resp:
            assert resp.status == 303
        assert (await fetch(client, "/staff"))[0] == 303
