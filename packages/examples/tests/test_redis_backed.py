"""The Redis-backed apps in one process, against a real Redis (the multi-process view is
in tests/scaleout): entries really expire, the session storage's choices, and the
revocation key granularity."""

from __future__ import annotations

import asyncio
import secrets
import time

import pytest

from aiohttp_auth import auth
from aiohttp_auth_examples import getting_started
from aiohttp_auth_examples.redis_backed import (
    SESSION_STORAGE_KEY,
    connect,
    create_app,
)
from aiohttp_auth_examples.redis_session_storage import SharedRedisStorage

pytestmark = [
    pytest.mark.redis,
    # aiohttp-session 2.12 keeps its state under a string request key; its warning, not ours
    pytest.mark.filterwarnings(
        "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
    ),
]

BOB = "/login?username=bob&password=bob_password"


async def wait_until_empty(client, seconds: float) -> int:
    """The number of keys once Redis is empty or ``seconds`` have passed."""
    size = await client.dbsize()
    for _ in range(int(seconds * 10)):
        if not size:
            break
        await asyncio.sleep(0.1)
        size = await client.dbsize()
    return size


@pytest.mark.parametrize("name", ["getting-started", "session"])
async def test_H3_every_entry_expires_once_no_ticket_it_concerns_can_be_valid(
    aiohttp_client, redis_srv, redis_client, name
):
    app = create_app(name, secrets.token_bytes(32), redis_srv.url, max_age=1, skew=1)
    client = await aiohttp_client(app)
    assert (await client.get(BOB)).status == 200
    assert (await client.get("/logout")).status == 200  # a revocation
    alice = "/login?username=alice&password=alice_password"
    assert (await client.get(alice)).status == 200  # and, for sessions, a live record
    assert await redis_client.dbsize() >= 1
    assert await wait_until_empty(redis_client, 5) == 0  # max_age + skew = 2 s


async def test_the_session_record_is_deleted_at_logout_not_blanked(
    aiohttp_client, redis_srv, redis_client
):
    app = create_app("session", secrets.token_bytes(32), redis_srv.url)
    client = await aiohttp_client(app)
    await client.get(BOB)
    storage = app[SESSION_STORAGE_KEY]
    (session_id,) = [c.value for c in client.session.cookie_jar if c.key == storage.cookie_name]
    key = storage.record_key(session_id)
    assert 0 < await redis_client.ttl(key) <= 120
    await client.get("/logout")
    assert await redis_client.exists(key) == 0


def test_session_records_must_expire(redis_srv):
    with pytest.raises(ValueError, match="ttl"):
        SharedRedisStorage(connect(redis_srv.url), ttl=0)


def test_only_the_getting_started_and_session_apps_have_a_redis_variant(redis_srv):
    with pytest.raises(ValueError, match="tree"):
        create_app("tree", secrets.token_bytes(32), redis_srv.url)


def fixed_clock_app(redis_srv):
    """The getting-started app with a Redis store and a clock that stays in one second."""
    now = float(int(time.time()))
    store = auth.RedisRevocationStore(connect(redis_srv.url))
    secret = secrets.token_bytes(32)
    policy = auth.CookieTktAuthentication(secret, 60, clock=lambda: now, revocation=store)
    return getting_started.create_app(secret, auth_policy=policy)


async def test_logging_in_again_right_after_logout_works(aiohttp_client, redis_srv):
    client = await aiohttp_client(fixed_clock_app(redis_srv))
    await client.get(BOB)
    await client.get("/logout")
    await client.get(BOB)  # the same second: a human double-click, a script, a test
    assert (await client.get("/admin")).status == 200


async def test_logout_on_one_device_leaves_a_login_of_the_same_second_alone(
    aiohttp_client, redis_srv
):
    client = await aiohttp_client(fixed_clock_app(redis_srv))
    tickets = []
    for _device in ("laptop", "phone"):  # two logins of bob within one second
        client.session.cookie_jar.clear()
        await client.get(BOB)
        tickets.append(client.session.cookie_jar.filter_cookies(client.make_url("/"))["AUTH_TKT"])
    client.session.cookie_jar.clear()
    laptop, phone = ({"AUTH_TKT": t.value} for t in tickets)
    assert (await client.get("/logout", cookies=laptop)).status == 200
    assert (await client.get("/admin", cookies=laptop)).status == 403
    assert (await client.get("/admin", cookies=phone)).status == 200


async def test_G1_logging_in_again_retires_the_previous_session_id(aiohttp_client, redis_srv):
    app = create_app("session", secrets.token_bytes(32), redis_srv.url)
    client = await aiohttp_client(app)
    name = app[SESSION_STORAGE_KEY].cookie_name
    await client.get("/login?username=alice&password=alice_password")
    (before,) = [c.value for c in client.session.cookie_jar if c.key == name]
    await client.get(BOB)  # the same browser logs in again, as someone else
    (after,) = [c.value for c in client.session.cookie_jar if c.key == name]
    assert after != before
    client.session.cookie_jar.clear()
    response = await client.get("/", cookies={name: before})
    assert await response.text() == "Home page."  # the old id authenticates nobody
