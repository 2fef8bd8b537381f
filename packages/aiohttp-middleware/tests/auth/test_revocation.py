"""Logout that sticks: server-side revocation (SECURITY H1-H5), in memory and in Redis."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_cookie

NAME = "AUTH_TKT"
LOGIN_ID = "L0g1n-1d_AbC"  # any canonical login id


#: the fake clock starts at the real time (Redis expires keys by its own clock);
#: that fixture and ``store`` (memory and Redis) live in this folder's conftest.py
pytestmark = pytest.mark.usefixtures("_start_at_the_real_time")


def jar_ticket(client: Any) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == NAME)


async def test_H1_without_revocation_a_captured_ticket_works_until_it_expires(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, clock=clock)
    client = await aiohttp_client(make_app(policy))
    await client.get("/login?user=alice")
    captured = jar_ticket(client)
    await client.get("/logout")
    replay = {NAME: captured}
    assert await (await client.get("/whoami", cookies=replay)).text() == "alice"  # documented
    clock.advance(600)
    assert await (await client.get("/whoami", cookies=replay)).text() == "anonymous"


async def test_H1_with_revocation_a_ticket_captured_before_logout_is_dead(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 600, reissue_time=0, clock=clock, revocation=store
    )
    client = await aiohttp_client(make_app(policy))
    other_device = await aiohttp_client(make_app(policy))
    await client.get("/login?user=alice")
    clock.advance(1)
    await other_device.get("/login?user=alice")
    captured = jar_ticket(client)
    clock.advance(5)
    assert await (await client.get("/whoami")).text() == "alice"
    reissued = jar_ticket(client)
    assert reissued != captured
    await client.get("/logout")
    for ticket in (captured, reissued):
        response = await client.get("/whoami", cookies={NAME: ticket})
        assert await response.text() == "anonymous"
    assert await (await other_device.get("/whoami")).text() == "alice"  # only that login


async def test_H2_revoke_user_logs_out_everywhere_and_a_new_login_works(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, clock=clock, revocation=store)
    phone = await aiohttp_client(make_app(policy))
    laptop = await aiohttp_client(make_app(policy))
    await phone.get("/login?user=alice")
    clock.advance(30)
    await laptop.get("/login?user=alice")
    await laptop.get("/login?user=bob", cookies={})  # another user is not touched
    bob = jar_ticket(laptop)
    await laptop.get("/login?user=alice")
    await policy.revoke_user("alice")
    assert await (await phone.get("/whoami")).text() == "anonymous"
    assert await (await laptop.get("/whoami")).text() == "anonymous"
    assert await (await laptop.get("/whoami", cookies={NAME: bob})).text() == "bob"
    clock.advance(1)
    await phone.get("/login?user=alice")
    assert await (await phone.get("/whoami")).text() == "alice"


def test_H2_revoke_user_needs_a_store(secret: bytes) -> None:
    policy = auth.CookieTktAuthentication(secret, 600)
    with pytest.raises(RuntimeError, match="revocation="):
        asyncio.run(policy.revoke_user("alice"))


def test_revocation_must_be_a_store(secret: bytes) -> None:
    with pytest.raises(TypeError, match="RevocationStore"):
        auth.CookieTktAuthentication(secret, 600, revocation=object())  # type: ignore[arg-type]


async def test_H3_memory_store_is_bounded_and_anonymous_logout_writes_nothing(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    # elapsed time follows the test clock too, so advancing it lets entries go
    store = auth.MemoryRevocationStore(clock=clock, monotonic=clock)
    policy = auth.CookieTktAuthentication(secret, 600, clock=clock, revocation=store)
    client = await aiohttp_client(make_app(policy))
    await client.get("/logout")  # anonymous
    await client.get("/logout", cookies={NAME: "garbage"})
    assert len(store) == 0
    for index in range(100_000):
        await store.revoke_login(f"user{index}", LOGIN_ID, 1_700_000_000, int(clock()) + 660)
    await store.revoke_user("alice", int(clock()), int(clock()) + 660)
    assert len(store) == 100_001
    clock.advance(661)
    assert not await store.is_revoked("user1", LOGIN_ID, 1_700_000_000)
    assert len(store) == 0


async def test_H3_memory_store_keeps_entries_until_elapsed_time_passes_too(clock: Any) -> None:
    """A wall clock stepped forward does not let the sweep forget a revocation early."""
    elapsed = [0.0]
    store = auth.MemoryRevocationStore(clock=clock, monotonic=lambda: elapsed[0])
    await store.revoke_login("alice", LOGIN_ID, 1_700_000_000, int(clock()) + 660)
    clock.advance(10_000)  # the wall clock jumps; no time has really passed
    assert not await store.is_revoked("alice", LOGIN_ID, 1_700_000_000)  # expired anyway
    assert len(store) == 1
    clock.advance(-10_000)  # and back
    assert await store.is_revoked("alice", LOGIN_ID, 1_700_000_000)
    elapsed[0] += 661
    clock.advance(661)
    assert not await store.is_revoked("alice", LOGIN_ID, 1_700_000_000)
    assert len(store) == 0


async def test_H3_redis_entries_expire_with_the_tickets(
    aiohttp_client: Any, make_app: Any, secret: bytes, redis_client: Any
) -> None:
    store = auth.RedisRevocationStore(redis_client, prefix="t")
    policy = auth.CookieTktAuthentication(secret, 600, revocation=store)
    client = await aiohttp_client(make_app(policy))
    await client.get("/logout")
    assert await redis_client.dbsize() == 0  # anonymous logout writes nothing
    await client.get("/login?user=alice")
    await client.get("/logout")
    await policy.revoke_user("alice")
    keys = await redis_client.keys("t:*")
    assert len(keys) == 2
    for key in keys:
        assert 0 < await redis_client.ttl(key) <= 660
    assert b"alice" not in b"".join(keys)  # user ids are hashed into key names


async def test_redis_not_before_only_moves_forward(redis_client: Any) -> None:
    store = auth.RedisRevocationStore(redis_client)
    await store.revoke_user("alice", 2000, 10**10)
    await store.revoke_user("alice", 1000, 10**10)
    assert await store.is_revoked("alice", LOGIN_ID, 1500)
    assert not await store.is_revoked("alice", LOGIN_ID, 2001)


async def test_H4_a_failing_store_refuses_the_ticket(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    clock: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Down(auth.MemoryRevocationStore):
        async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
            raise ConnectionError("store down")

    policy = auth.CookieTktAuthentication(secret, 600, clock=clock, revocation=Down(clock=clock))
    client = await aiohttp_client(make_app(policy))
    with caplog.at_level(logging.WARNING, logger="aiohttp_auth"):
        response = await client.get("/protected", cookies=make_auth_cookie(policy, "alice"))
    assert response.status == 401
    assert "revocation store failed" in caplog.text


async def test_H5_logout_racing_a_reissue_leaves_no_live_ticket(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, store: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 600, reissue_time=0, clock=clock, revocation=store
    )
    verified = asyncio.Event()
    logged_out = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        identity = await auth.get_auth(request)  # verified before the logout lands
        verified.set()
        await logged_out.wait()
        return web.Response(text=str(identity))  # 2xx: a reissue would be due

    app = make_app(policy)
    app.router.add_get("/slow", slow)
    client = await aiohttp_client(app)
    cookie = make_auth_cookie(policy, "alice")
    clock.advance(10)

    async def logout_after_verify() -> Any:
        await verified.wait()
        response = await client.get("/logout", cookies=cookie)
        logged_out.set()
        return response

    slow_response, logout_response = await asyncio.gather(
        client.get("/slow", cookies=cookie), logout_after_verify()
    )
    assert await slow_response.text() == "alice"
    # reissue re-checks the store: no fresh ticket for a login revoked meanwhile
    assert "Set-Cookie" not in slow_response.headers
    seen = [cookie[NAME]]
    for response in (slow_response, logout_response):
        seen += [
            v.split(";")[0].split("=", 1)[1] for v in response.headers.getall("Set-Cookie", [])
        ]
    client.session.cookie_jar.clear()
    for ticket in seen:
        if ticket and ticket != '""':
            who = await client.get("/whoami", cookies={NAME: ticket})
            assert await who.text() == "anonymous"


async def test_H3_redis_entries_live_by_the_applications_clock_not_redis(
    redis_client: Any,
) -> None:
    """An application clock 10,000 s behind Redis's: the entry must still live 660 s.

    With an absolute expiry (``EXAT``) Redis would drop it at once, by its own
    clock, while the revoked ticket is still valid by the application's.
    """
    behind = float(int(time.time()) - 10_000)
    store = auth.RedisRevocationStore(redis_client, prefix="t", clock=lambda: behind)
    await store.revoke_login("alice", LOGIN_ID, int(behind), int(behind) + 660)
    await store.revoke_user("bob", int(behind), int(behind) + 660)
    assert await store.is_revoked("alice", LOGIN_ID, int(behind))
    assert await store.is_revoked("bob", LOGIN_ID, int(behind))
    for key in await redis_client.keys("t:*"):
        assert 650 < await redis_client.ttl(key) <= 660


async def test_H3_revoking_again_never_shortens_an_entry(redis_client: Any) -> None:
    """Two instances logging the same login out, one with a clock far behind the other."""
    now = int(time.time())
    store = auth.RedisRevocationStore(redis_client, prefix="t")
    await store.revoke_login("alice", LOGIN_ID, now, now + 3600)
    await store.revoke_login("alice", LOGIN_ID, now, now + 5)
    await store.revoke_user("alice", now, now + 3600)
    await store.revoke_user("alice", now, now + 5)
    for key in await redis_client.keys("t:*"):
        assert await redis_client.ttl(key) > 3500


class HangingChecks(auth.MemoryRevocationStore):
    """A store that stopped answering (a paused Redis with no socket timeout)."""

    async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class HangingRevocations(auth.MemoryRevocationStore):
    """Answers checks, hangs on writes."""

    async def revoke_login(
        self, user_id: str, login_id: str, auth_time: int, expires_at: int
    ) -> None:
        await asyncio.Event().wait()


async def test_H4_a_store_that_hangs_makes_requests_anonymous_within_the_timeout(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    clock: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def policy_with(store: auth.RevocationStore) -> auth.CookieTktAuthentication:
        return auth.CookieTktAuthentication(
            secret, 600, clock=clock, revocation=store, revocation_timeout=0.2
        )

    checks = policy_with(HangingChecks(clock=clock))
    client = await aiohttp_client(make_app(checks))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="aiohttp_auth"):
        response = await client.get("/protected", cookies=make_auth_cookie(checks, "alice"))
    assert response.status == 401
    assert time.monotonic() - started < 5
    assert "revocation store failed (TimeoutError)" in caplog.text

    writes = policy_with(HangingRevocations(clock=clock))
    client = await aiohttp_client(make_app(writes))
    started = time.monotonic()
    logout = await client.get("/logout", cookies=make_auth_cookie(writes, "alice"))
    assert 500 <= logout.status < 600  # a logout that was not recorded never pretends it was
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("timeout", [0, -1, True, "1"])
def test_revocation_timeout_must_be_a_positive_number(
    secret: bytes, clock: Any, timeout: Any
) -> None:
    with pytest.raises(ValueError, match="revocation_timeout"):
        auth.CookieTktAuthentication(
            secret,
            600,
            revocation=auth.MemoryRevocationStore(clock=clock),
            revocation_timeout=timeout,
        )


async def test_redis_keys_of_one_user_share_a_cluster_slot(redis_client: Any) -> None:
    """A check MGETs a login key and its user's key; Redis Cluster refuses keys of two slots
    (CROSSSLOT), which would refuse every ticket."""
    from redis.crc import key_slot

    now = int(time.time())
    store = auth.RedisRevocationStore(redis_client, prefix="t")
    for user in ("alice", "bob"):
        await store.revoke_login(user, LOGIN_ID, now, now + 60)
        await store.revoke_user(user, now, now + 60)
    slots = {}
    for key in await redis_client.keys("t:*"):
        slots.setdefault(key.split(b"{")[1].split(b"}")[0], set()).add(key_slot(key))
    assert len(slots) == 2  # one hash tag per user
    assert all(len(user_slots) == 1 for user_slots in slots.values())
