"""A user-written ticket storage: ``TktAuthentication`` plus the original storage trio.

COMPAT.md: ``TktAuthentication(secret, max_age, reissue_time=None,
include_ip=False, cookie_name='AUTH_TKT')`` is abstract; subclasses implement
``async remember_ticket(request, ticket)``, ``async forget_ticket(request)``
and ``async get_ticket(request)``.  ``DictStorage`` below is written the way
a user of the original library would write it (only the trio, nothing of
this project's internals): tickets are kept server-side in a dict keyed by an
``X-Client-Id`` header, and every call to the trio is logged so the tests can
see that the policy goes through them.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth

CLIENT = "X-Client-Id"


class DictStorage(auth.TktAuthentication):
    """Tickets in a dict keyed by the client id header; every hook call is logged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tickets: dict[str, str] = {}
        self.calls: list[tuple[str, ...]] = []
        #: what ``issued_ticket(request)`` said inside each ``remember_ticket``
        self.issued_seen: list[str | None] = []

    async def remember_ticket(self, request: web.Request, ticket: str) -> None:
        client = request.headers[CLIENT]
        self.calls.append(("remember_ticket", client, ticket))
        self.issued_seen.append(auth.issued_ticket(request))
        self.tickets[client] = ticket

    async def forget_ticket(self, request: web.Request) -> None:
        client = request.headers[CLIENT]
        self.calls.append(("forget_ticket", client))
        self.tickets.pop(client, None)

    async def get_ticket(self, request: web.Request) -> str | None:
        client = request.headers.get(CLIENT, "")
        self.calls.append(("get_ticket", client))
        return self.tickets.get(client)

    def hooks(self) -> list[str]:
        """The names of the hooks called so far, in order."""
        return [call[0] for call in self.calls]


def as_client(client_id: str) -> dict[str, str]:
    return {CLIENT: client_id}


async def started(aiohttp_client: Any, make_app: Any, policy: DictStorage) -> Any:
    """A test client of the standard app, installed with ``auth.setup(app, policy)``."""
    return await aiohttp_client(make_app(policy, use_setup=True))


async def log_in(client: Any, policy: DictStorage, client_id: str, user: str = "alice") -> str:
    """Log ``user`` in as ``client_id``; return the ticket the storage received."""
    response = await client.get("/login", params={"user": user}, headers=as_client(client_id))
    assert response.status == 200
    ticket = policy.tickets[client_id]
    policy.calls.clear()
    return ticket


async def whoami(client: Any, client_id: str) -> str:
    response = await client.get("/whoami", headers=as_client(client_id))
    assert response.status == 200
    return await response.text()


# -- abstractness ---------------------------------------------------------------


def test_tkt_authentication_itself_is_abstract(secret: bytes) -> None:
    with pytest.raises(TypeError, match="abstract") as raised:
        auth.TktAuthentication(secret, 60)  # type: ignore[abstract]
    message = str(raised.value)
    for hook in ("remember_ticket", "forget_ticket", "get_ticket"):
        assert hook in message


@pytest.mark.parametrize("missing", ["remember_ticket", "forget_ticket", "get_ticket"])
def test_a_subclass_missing_one_hook_cannot_be_instantiated(secret: bytes, missing: str) -> None:
    async def hook(self: Any, request: Any, *args: Any) -> None:
        return None

    present = dict.fromkeys(("remember_ticket", "forget_ticket", "get_ticket"), hook)
    del present[missing]
    incomplete = type("Incomplete", (auth.TktAuthentication,), present)
    with pytest.raises(TypeError, match=missing):
        incomplete(secret, 60)


def test_a_subclass_with_the_three_hooks_is_a_policy_setup_accepts(secret: bytes) -> None:
    policy = DictStorage(secret, 60, None, False, "MY_TKT")
    assert isinstance(policy, auth.AbstractAuthentication)
    assert policy.cookie_name == "MY_TKT"
    auth.setup(web.Application(), policy)


# -- the trio through a real app ------------------------------------------------


async def test_login_stores_the_ticket_through_remember_ticket(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, cookies_set: Any
) -> None:
    policy = DictStorage(secret, 600, clock=clock)
    client = await started(aiohttp_client, make_app, policy)
    response = await client.get("/login", params={"user": "alice"}, headers=as_client("c1"))
    assert response.status == 200
    assert len(policy.calls) == 1
    hook, client_id, ticket = policy.calls[0]
    assert (hook, client_id) == ("remember_ticket", "c1")
    assert policy.tickets == {"c1": ticket}
    assert cookies_set(response) == []  # the storage is ours alone: no cookie behind our back
    assert "!alice!" in ticket


async def test_a_later_request_is_authenticated_through_get_ticket(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    policy = DictStorage(secret, 600, clock=clock)
    client = await started(aiohttp_client, make_app, policy)
    await log_in(client, policy, "c1")
    assert await whoami(client, "c1") == "alice"
    assert policy.calls == [("get_ticket", "c1")]
    response = await client.get("/protected", headers=as_client("c1"))
    assert (response.status, await response.text()) == (200, "secret page")
    # another client has no ticket in the storage: anonymous, and asked the storage too
    policy.calls.clear()
    assert await whoami(client, "c2") == "anonymous"
    assert policy.calls == [("get_ticket", "c2")]
    response = await client.get("/protected", headers=as_client("c2"))
    assert response.status == 401


@pytest.mark.parametrize("tamper", ["user id", "digest"])
async def test_a_tampered_ticket_is_anonymous(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, tamper: str
) -> None:
    policy = DictStorage(secret, 600, clock=clock)
    client = await started(aiohttp_client, make_app, policy)
    ticket = await log_in(client, policy, "c1")
    assert await whoami(client, "c1") == "alice"  # the untouched ticket works
    body, digest = ticket.rsplit("!", 1)
    if tamper == "user id":
        assert "!alice!" in body
        forged = body.replace("!alice!", "!admin!") + "!" + digest
    else:
        forged = body + "!" + digest[:-1] + ("0" if digest[-1] != "0" else "1")
    assert forged != ticket
    policy.tickets["c1"] = forged
    policy.calls.clear()
    assert await whoami(client, "c1") == "anonymous"
    assert policy.calls == [("get_ticket", "c1")]  # read through the hook, then refused
    assert (await client.get("/protected", headers=as_client("c1"))).status == 401
    assert policy.tickets["c1"] == forged  # an invalid ticket is left alone, not rewritten


async def test_forget_calls_forget_ticket_and_the_client_is_anonymous_afterwards(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    policy = DictStorage(secret, 600, clock=clock)
    client = await started(aiohttp_client, make_app, policy)
    await log_in(client, policy, "c1")
    await log_in(client, policy, "c2", user="bob")
    response = await client.get("/logout", headers=as_client("c1"))
    assert (response.status, await response.text()) == (200, "bye alice")
    assert ("forget_ticket", "c1") in policy.calls
    assert "remember_ticket" not in policy.hooks()
    assert "c1" not in policy.tickets
    assert await whoami(client, "c1") == "anonymous"
    assert await whoami(client, "c2") == "bob"  # only the client that logged out


async def test_reissue_goes_through_remember_ticket_again(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, json_body: Any
) -> None:
    policy = DictStorage(secret, 60, reissue_time=0, clock=clock)
    client = await started(aiohttp_client, make_app, policy)
    first = await log_in(client, policy, "c1")
    clock.advance(40)
    response = await client.get("/info", headers=as_client("c1"))
    assert response.status == 200
    before = json_body(await response.text())
    assert before["user"] == "alice"
    assert policy.hooks() == ["get_ticket", "remember_ticket"]
    _, client_id, second = policy.calls[1]
    assert client_id == "c1"
    assert second != first
    assert policy.tickets["c1"] == second
    assert policy.issued_seen == [first, second]  # issued_ticket() agrees, at login and reissue
    # 80 s after login the first ticket (max_age 60) has expired; the reissued one carries on
    clock.advance(40)
    policy.calls.clear()
    response = await client.get("/info", headers=as_client("c1"))
    after = json_body(await response.text())
    assert after["user"] == "alice"
    assert after["auth_time"] == before["auth_time"]  # same login, only the expiry moved
    assert after["valid_until"] > before["valid_until"]
    assert policy.hooks() == ["get_ticket", "remember_ticket"]
    # the first ticket, replayed now, no longer works
    policy.tickets["c1"] = first
    assert await whoami(client, "c1") == "anonymous"


async def test_reissue_is_not_stored_for_an_error_response(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    """Only a 2xx response is reissued (COMPAT bug 7): here a 404 after a valid ticket."""

    async def missing(request: web.Request) -> web.Response:
        assert await auth.get_auth(request) == "alice"
        raise web.HTTPNotFound

    policy = DictStorage(secret, 60, reissue_time=0, clock=clock)
    app = make_app(policy)
    app.router.add_get("/missing", missing)
    client = await aiohttp_client(app)
    await log_in(client, policy, "c1")
    clock.advance(10)
    response = await client.get("/missing", headers=as_client("c1"))
    assert response.status == 404
    assert policy.hooks() == ["get_ticket"]


async def test_forget_in_a_request_due_for_reissue_is_not_undone(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    """COMPAT bug 4, custom storage: no reissue through remember_ticket after a logout."""

    async def whoami_then_logout(request: web.Request) -> web.Response:
        assert await auth.get_auth(request) == "alice"  # the ticket is read: reissue is due
        await auth.forget(request)
        return web.Response(text="bye")

    policy = DictStorage(secret, 60, reissue_time=0, clock=clock)
    app = make_app(policy)
    app.router.add_get("/whoami_then_logout", whoami_then_logout)
    client = await aiohttp_client(app)
    await log_in(client, policy, "c1")
    clock.advance(10)
    response = await client.get("/whoami_then_logout", headers=as_client("c1"))
    assert (response.status, await response.text()) == (200, "bye")
    assert policy.hooks() == ["get_ticket", "forget_ticket"]
    assert "c1" not in policy.tickets
    assert await whoami(client, "c1") == "anonymous"
