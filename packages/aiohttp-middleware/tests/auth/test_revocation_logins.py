"""Revocation per login (SECURITY H1, H5): keyed by the ticket's signed login id.

Why these tests: a login used to be known by user id and login second, so a
logout also killed another login of that user made in the same second, and a
login right after a logout was born revoked. Every login now has a random
``login_id`` that reissues keep; these tests hold the clock in one second to
prove the two are told apart, in memory and in Redis, and that legacy
tickets (no login id) still die with the login they were migrated into.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiohttp_auth import auth
from aiohttp_auth.auth.revocation import login_key, migrated_login_id
from auth_tickets import TicketAuthCodec, TicketFactory, TicketSigner
from auth_tickets.login_ids import is_login_id

NAME = "AUTH_TKT"
AUTH_TIME = 1_700_000_000


#: the fake clock starts at the real time (Redis expires keys by its own clock);
#: that fixture and ``store`` (memory and Redis) live in this folder's conftest.py
pytestmark = pytest.mark.usefixtures("_start_at_the_real_time")


def login_id_of(secret: bytes, clock: Any, ticket: str) -> str:
    """The ticket's login id, read by a signer like the policy's (legacy format accepted)."""
    signer = TicketSigner(secret, max_age=600, clock=clock, accept=(TicketAuthCodec(),))
    return signer.verify(ticket).login_id


def jar_ticket(client: Any) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == NAME)


async def who(client: Any, ticket: str) -> str:
    return await (await client.get("/whoami", cookies={NAME: ticket})).text()


def test_login_ids_and_login_seconds_never_share_a_key() -> None:
    assert login_key("L0g1n-1d_AbC", AUTH_TIME) == "id:L0g1n-1d_AbC"
    assert login_key("", AUTH_TIME) == f"at:{AUTH_TIME}"
    assert login_key("170000000012", 12) != login_key("", 170000000012)


async def test_a_revoked_login_id_leaves_other_logins_of_the_same_second_alone(
    store: Any, clock: Any
) -> None:
    expires_at = int(clock()) + 660
    await store.revoke_login("alice", "L0g1n-1d_AbC", AUTH_TIME, expires_at)
    assert await store.is_revoked("alice", "L0g1n-1d_AbC", AUTH_TIME)
    assert await store.is_revoked("alice", "L0g1n-1d_AbC", AUTH_TIME + 5)  # the id decides
    assert not await store.is_revoked("alice", "0th3r-l0g1n_", AUTH_TIME)
    assert not await store.is_revoked("alice", "", AUTH_TIME)  # a legacy ticket of that second
    assert not await store.is_revoked("bob", "L0g1n-1d_AbC", AUTH_TIME)


async def test_a_legacy_ticket_without_a_login_id_is_keyed_by_its_login_second(
    store: Any, clock: Any
) -> None:
    await store.revoke_login("alice", "", AUTH_TIME, int(clock()) + 660)
    assert await store.is_revoked("alice", "", AUTH_TIME)
    assert not await store.is_revoked("alice", "", AUTH_TIME + 1)
    assert not await store.is_revoked("alice", "L0g1n-1d_AbC", AUTH_TIME)


async def test_logout_leaves_a_login_of_the_same_second_alone_and_login_again_works(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, clock=clock, revocation=store)
    laptop = await aiohttp_client(make_app(policy))
    phone = await aiohttp_client(make_app(policy))
    await laptop.get("/login?user=alice")
    await phone.get("/login?user=alice")  # the clock has not moved: the same second
    laptop_ticket, phone_ticket = jar_ticket(laptop), jar_ticket(phone)
    assert laptop_ticket != phone_ticket
    await laptop.get("/logout")
    assert await who(laptop, laptop_ticket) == "anonymous"
    assert await who(phone, phone_ticket) == "alice"
    await laptop.get("/login?user=alice")  # still the same second as the logout
    assert await (await laptop.get("/whoami")).text() == "alice"


async def test_a_reissue_keeps_the_login_id_so_logout_kills_the_whole_chain(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 600, reissue_time=0, clock=clock, revocation=store
    )
    client = await aiohttp_client(make_app(policy))
    await client.get("/login?user=alice")
    chain = [jar_ticket(client)]
    for _ in range(3):
        clock.advance(5)
        assert await (await client.get("/whoami")).text() == "alice"
        chain.append(jar_ticket(client))
    assert len(set(chain)) == len(chain)
    ids = {login_id_of(secret, clock, ticket) for ticket in chain}
    assert len(ids) == 1  # one login, one id, through every reissue
    await client.get("/logout")
    for ticket in chain:
        assert await who(client, ticket) == "anonymous"


async def test_logout_of_a_migrated_login_also_kills_its_legacy_cookie(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 600, clock=clock, revocation=store, accept_original_tickets=True
    )
    client = await aiohttp_client(make_app(policy))
    legacy = TicketFactory(secret).new("alice", valid_until=int(clock()) + 600)
    assert await who(client, legacy) == "alice"
    migrated = jar_ticket(client)  # reissued in the default format, with a new login id
    assert migrated.startswith("v1!")
    assert login_id_of(secret, clock, legacy) == ""
    clock.advance(1)
    await client.get("/logout", cookies={NAME: migrated})
    assert await who(client, migrated) == "anonymous"
    assert await who(client, legacy) == "anonymous"  # the cookie it was migrated from


def test_a_migrated_login_id_is_a_canonical_id_derived_from_user_and_login_second() -> None:
    derived = migrated_login_id("alice", AUTH_TIME)
    assert is_login_id(derived)
    assert derived == migrated_login_id("alice", AUTH_TIME)  # every copy: the same login
    assert derived != migrated_login_id("bob", AUTH_TIME)
    assert derived != migrated_login_id("alice", AUTH_TIME + 1)


@pytest.mark.parametrize("logout_with", ["legacy", "victim's migration"])
async def test_every_migrated_copy_of_a_legacy_ticket_dies_with_one_logout(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any, logout_with: str
) -> None:
    """A copied legacy cookie, migrated by its thief, is the same login as the victim's.

    With random ids each migration was a login of its own: the victim's
    logout, with the legacy cookie or with their own migrated one, left the
    thief's migrated ticket logged in.
    """
    policy = auth.CookieTktAuthentication(
        secret, 600, clock=clock, revocation=store, accept_original_tickets=True
    )
    victim = await aiohttp_client(make_app(policy))
    thief = await aiohttp_client(make_app(policy))
    legacy = TicketFactory(secret).new("alice", valid_until=int(clock()) + 600)
    assert await who(victim, legacy) == "alice"
    assert await who(thief, legacy) == "alice"
    victims, thiefs = jar_ticket(victim), jar_ticket(thief)
    assert victims.startswith("v1!")
    assert thiefs.startswith("v1!")
    assert login_id_of(secret, clock, victims) == login_id_of(secret, clock, thiefs)
    clock.advance(1)
    await victim.get("/logout", cookies={NAME: legacy if logout_with == "legacy" else victims})
    for ticket in (legacy, victims, thiefs):
        assert await who(thief, ticket) == "anonymous"


async def test_without_legacy_formats_a_logout_writes_one_entry(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    for accept_original, entries in ((False, 1), (True, 2)):
        store = auth.MemoryRevocationStore(clock=clock)
        policy = auth.CookieTktAuthentication(
            secret, 600, clock=clock, revocation=store, accept_original_tickets=accept_original
        )
        client = await aiohttp_client(make_app(policy))
        await client.get("/login?user=alice")
        await client.get("/logout")
        assert len(store) == entries


@pytest.mark.redis
async def test_redis_keys_hash_the_login_id_and_differ_per_login(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, redis_client: Any
) -> None:
    store = auth.RedisRevocationStore(redis_client, prefix="t")
    policy = auth.CookieTktAuthentication(secret, 600, clock=clock, revocation=store)
    tickets = []
    for _ in range(2):
        client = await aiohttp_client(make_app(policy))
        await client.get("/login?user=alice")
        tickets.append(jar_ticket(client))
        await client.get("/logout")
    keys = await redis_client.keys("t:login:*")
    assert len(keys) == 2
    for ticket in tickets:
        assert login_id_of(secret, clock, ticket).encode() not in b"".join(keys)


async def test_logout_revokes_every_login_of_the_user_the_request_presents(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    """Two cookies of one user in one request (an old ``Domain`` cookie beside the host
    cookie, after a configuration change): the one not chosen kept the browser logged in."""
    policy = auth.CookieTktAuthentication(secret, 600, clock=clock, revocation=store)
    client = await aiohttp_client(make_app(policy))
    first = policy.issue_ticket("alice")
    second = policy.issue_ticket("alice")
    other_user = policy.issue_ticket("bob")
    both = {"Cookie": f"{NAME}={first}; {NAME}={second}"}
    assert await (await client.get("/whoami", headers=both)).text() == "alice"
    response = await client.get("/logout", headers=both)
    assert await response.text() == "bye alice"
    assert await who(client, first) == "anonymous"
    assert await who(client, second) == "anonymous"
    assert await who(client, other_user) == "bob"
