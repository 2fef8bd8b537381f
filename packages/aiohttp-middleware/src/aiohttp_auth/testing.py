"""Helpers for applications' own tests (pytest-aiohttp and the aiohttp test client).

Logging in through the real login route in every test is slow and couples
unrelated tests to the login form.  These helpers mint a genuine ticket with
the application's own policy, so the code under test sees exactly what a
browser that logged in would send::

    from aiohttp_auth.testing import login

    async def test_dashboard(aiohttp_client):
        client = await aiohttp_client(make_app())
        await login(client, "alice")
        assert (await client.get("/dashboard")).status == 200

Nothing here weakens the policy: the tickets are signed with its secret,
bound to the test client's address when ``include_ip`` is on, and expire as
usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .auth._state import AUTH_APP_POLICY_KEY
from .auth.cookie_ticket_auth import CookieTktAuthentication
from .auth.header_ticket_auth import HeaderTktAuthentication
from .auth.ticket_auth import TktAuthentication

if TYPE_CHECKING:
    from collections.abc import Iterable

    from aiohttp.test_utils import TestClient

__all__ = ["login", "logout", "make_auth_cookie", "make_auth_ticket"]


def make_auth_ticket(
    policy: TktAuthentication,
    user_id: str,
    *,
    tokens: Iterable[str] = (),
    user_data: str = "",
    client_ip: str | None = None,
) -> str:
    """A valid ticket for ``user_id``, as ``policy`` would issue it at login."""
    if not isinstance(policy, TktAuthentication):
        raise TypeError(f"a TktAuthentication policy is needed, got {type(policy).__name__}")
    if policy.include_ip and client_ip is None:
        raise ValueError("the policy binds tickets to an address (include_ip): pass client_ip")
    return policy.issue_ticket(user_id, tokens=tokens, user_data=user_data, client_ip=client_ip)


def make_auth_cookie(
    policy: TktAuthentication,
    user_id: str,
    *,
    tokens: Iterable[str] = (),
    user_data: str = "",
    client_ip: str | None = None,
) -> dict[str, str]:
    """``{cookie_name: ticket}``, ready for ``client.get(..., cookies=...)``."""
    ticket = make_auth_ticket(
        policy, user_id, tokens=tokens, user_data=user_data, client_ip=client_ip
    )
    return {policy.cookie_name: ticket}


def _policy_of(client: TestClient[Any, Any], policy: TktAuthentication | None) -> object:
    if policy is not None:
        return policy
    app = client.app
    if app is None or AUTH_APP_POLICY_KEY not in app:
        raise RuntimeError(
            "pass policy=...: the client's application was not set up with aiohttp_auth.auth.setup"
        )
    return app[AUTH_APP_POLICY_KEY]


async def login(
    client: TestClient[Any, Any],
    user_id: str,
    *,
    policy: TktAuthentication | None = None,
    tokens: Iterable[str] = (),
    user_data: str = "",
) -> str:
    """Log ``client`` in as ``user_id`` and return the ticket.

    Cookie policies: the ticket goes into the client's cookie jar.  Header
    policies: send it yourself as ``Authorization: Bearer <ticket>``.
    Session policies keep the ticket server-side, so log in through the
    application's login route instead (``TypeError`` here).
    """
    found = _policy_of(client, policy)
    if not isinstance(found, (CookieTktAuthentication, HeaderTktAuthentication)):
        raise TypeError(
            "login() supports CookieTktAuthentication and HeaderTktAuthentication; "
            f"for {type(found).__name__} log in through the application's login route"
        )
    client_ip = client.server.host if found.include_ip else None
    ticket = make_auth_ticket(
        found, user_id, tokens=tokens, user_data=user_data, client_ip=client_ip
    )
    if isinstance(found, CookieTktAuthentication):
        client.session.cookie_jar.update_cookies(
            {found.cookie_name: ticket}, response_url=client.make_url("/")
        )
    return ticket


async def logout(client: TestClient[Any, Any], *, policy: TktAuthentication | None = None) -> None:
    """Drop the client's auth cookie from its jar (what a browser does after logout)."""
    found = _policy_of(client, policy)
    if not isinstance(found, TktAuthentication):
        raise TypeError(f"a TktAuthentication policy is needed, got {type(found).__name__}")
    name = found.cookie_name
    client.session.cookie_jar.clear(lambda morsel: morsel.key == name)
