"""``aiohttp_auth.testing``: the helpers users call from their own tests."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.testing import login, logout, make_auth_cookie, make_auth_ticket


async def test_login_puts_a_valid_ticket_in_the_jar(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, include_ip=True)
    client = await aiohttp_client(make_app(policy))
    assert await (await client.get("/whoami")).text() == "anonymous"
    ticket = await login(client, "alice", tokens=["editor"], user_data="x")
    assert ticket.startswith("v1!")
    info = await (await client.get("/info")).json()
    assert info == {**info, "user": "alice", "tokens": ["editor"], "user_data": "x"}
    await logout(client)
    assert await (await client.get("/whoami")).text() == "anonymous"


async def test_login_with_a_header_policy_returns_the_ticket(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    policy = auth.HeaderTktAuthentication(secret, 600)
    client = await aiohttp_client(make_app(policy))
    ticket = await login(client, "alice")
    assert not list(client.session.cookie_jar)
    response = await client.get("/whoami", headers={"Authorization": f"Bearer {ticket}"})
    assert await response.text() == "alice"


@pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)
async def test_login_refuses_session_policies_and_unknown_apps(
    aiohttp_client: Any, make_app: Any, secret: bytes, memory_storage: Any
) -> None:
    session_policy = auth.SessionTktAuthentication(secret, 600)
    client = await aiohttp_client(make_app(session_policy, session_storage=memory_storage))
    with pytest.raises(TypeError, match="login route"):
        await login(client, "alice")
    bare = await aiohttp_client(web.Application())
    with pytest.raises(RuntimeError, match="policy="):
        await login(bare, "alice")


async def test_make_auth_cookie_for_an_explicit_request(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, cookie_name="session_tkt")
    client = await aiohttp_client(make_app(policy))
    cookie = make_auth_cookie(policy, "bob")
    assert list(cookie) == ["session_tkt"]
    assert await (await client.get("/whoami", cookies=cookie)).text() == "bob"


def test_make_auth_ticket_needs_an_address_for_bound_policies(secret: bytes) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, include_ip=True)
    with pytest.raises(ValueError, match="client_ip"):
        make_auth_ticket(policy, "alice")
    with pytest.raises(TypeError):
        make_auth_ticket(object(), "alice")  # type: ignore[arg-type]
