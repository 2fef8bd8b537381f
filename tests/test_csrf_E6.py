"""E6: SameSite does not stop login CSRF, so the examples refuse cross-site posts.

A form on another site that posts the attacker's credentials to /login would
log the victim into the attacker's account.  The example apps answer 403 to
unsafe methods that the browser marks as cross-site, and the library's state
does not change on such a request.
"""

from __future__ import annotations

import secrets

import pytest

from aiohttp_auth_examples.getting_started import create_app

CREDENTIALS = {"username": "bob", "password": "bob_password"}


@pytest.fixture
async def server(aiohttp_server):
    return await aiohttp_server(create_app(secrets.token_bytes(32)), host="127.0.0.1")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin
        {"Origin": "https://evil.example"},  # older browsers: Origin only
        {"Origin": "null"},
    ],
)
async def test_E6_cross_site_login_post_is_refused(server, headers, client_for):
    async with client_for(server) as client:
        async with client.post("/login", data=CREDENTIALS, headers=headers) as resp:
            assert resp.status == 403
            assert "Set-Cookie" not in resp.headers
        async with client.get("/admin") as resp:
            assert resp.status == 403  # not logged in as bob


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {},  # not a browser: curl, scripts
    ],
)
async def test_E6_same_origin_login_post_works(server, headers, client_for):
    async with client_for(server) as client:
        async with client.post("/login", data=CREDENTIALS, headers=headers) as resp:
            assert resp.status == 200
        async with client.get("/admin") as resp:
            assert resp.status == 200


async def test_E6_same_origin_by_origin_header(server, client_for):
    origin = f"http://127.0.0.1:{server.port}"
    async with client_for(server) as client:
        async with client.post("/login", data=CREDENTIALS, headers={"Origin": origin}) as resp:
            assert resp.status == 200


async def test_E6_cross_site_logout_post_does_not_log_out(server, client_for):
    async with client_for(server) as client:
        async with client.post("/login", data=CREDENTIALS) as resp:
            assert resp.status == 200
        headers = {"Sec-Fetch-Site": "cross-site"}
        async with client.post("/logout", headers=headers) as resp:
            assert resp.status == 403
            assert "Set-Cookie" not in resp.headers
        async with client.get("/admin") as resp:
            assert resp.status == 200
