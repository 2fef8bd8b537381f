"""``HeaderTktAuthentication``: the API-client storage beyond the shared contract."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_ticket


@pytest.fixture
def policy(secret: bytes) -> auth.HeaderTktAuthentication:
    return auth.HeaderTktAuthentication(secret, 600)


async def api_login(request: web.Request) -> web.Response:
    await auth.remember(request, "alice")
    return web.json_response({"ticket": auth.issued_ticket(request)})


async def test_login_handler_returns_the_issued_ticket(
    aiohttp_client: Any, make_app: Any, policy: Any
) -> None:
    app = make_app(policy)
    app.router.add_post("/api/login", api_login)
    client = await aiohttp_client(app)
    response = await client.post("/api/login")
    ticket = (await response.json())["ticket"]
    assert response.headers["X-Auth-Ticket"] == ticket
    assert "no-store" in response.headers["Cache-Control"]
    assert "Authorization" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    who = await client.get("/whoami", headers={"Authorization": f"Bearer {ticket}"})
    assert await who.text() == "alice"


@pytest.mark.parametrize(
    "header",
    ["Basic {t}", "Bearer", "Bearer ", "{t}", "Bearer {t}x", "Token {t}"],
)
async def test_malformed_authorization_headers_are_anonymous(
    aiohttp_client: Any, make_app: Any, policy: Any, header: str
) -> None:
    ticket = make_auth_ticket(policy, "alice")
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", headers={"Authorization": header.format(t=ticket)})
    assert response.status == 200
    assert await response.text() == "anonymous"


async def test_scheme_is_case_insensitive_and_configurable(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    policy = auth.HeaderTktAuthentication(secret, 600, scheme="Ticket")
    assert (policy.scheme, policy.response_header) == ("ticket", "X-Auth-Ticket")
    ticket = make_auth_ticket(policy, "alice")
    client = await aiohttp_client(make_app(policy))
    for header in (f"Ticket {ticket}", f"ticket {ticket}", f"TICKET  {ticket} "):
        response = await client.get("/whoami", headers={"Authorization": header})
        assert await response.text() == "alice", header


async def test_A18_two_authorization_headers_are_anonymous(
    aiohttp_client: Any, make_app: Any, policy: Any
) -> None:
    alice = make_auth_ticket(policy, "alice")
    client = await aiohttp_client(make_app(policy))
    headers = [("Authorization", f"Bearer {alice}"), ("Authorization", f"Bearer {alice}")]
    response = await client.get("/whoami", headers=headers)
    assert await response.text() == "anonymous"


@pytest.mark.parametrize("option", [{"scheme": "Bad Scheme"}, {"response_header": "X:Y"}])
def test_header_options_are_validated(secret: bytes, option: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="token"):
        auth.HeaderTktAuthentication(secret, 600, **option)


async def test_cookies_are_ignored_by_the_header_storage(
    aiohttp_client: Any, make_app: Any, policy: Any
) -> None:
    """CSRF cannot apply: a browser's ambient cookie carries no identity here."""
    ticket = make_auth_ticket(policy, "alice")
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", cookies={"AUTH_TKT": ticket})
    assert await response.text() == "anonymous"
