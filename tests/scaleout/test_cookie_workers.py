"""Cookie tickets across processes that share a secret and a Redis revocation store.

Two getting-started processes (``--redis``) on two ports stand for two
workers or two machines behind a load balancer.  A stateless ticket works
on both by construction; what needs Redis, and is proven here, is that a
logout or a "log out everywhere" on one is obeyed by the other, that the
store only ever holds entries that expire, and that the price is one Redis
command per authenticated request.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

pytestmark = pytest.mark.redis

BOB = "/login?username=bob&password=bob_password"
ALICE = "/login?username=alice&password=alice_password"
LIFETIME = 60 + 60  # the app's max_age + the policy's default skew


@pytest.fixture
def two(apps, redis_srv, secret):
    spec = {"secrets": [secret], "redis": redis_srv.url}
    return apps.start(spec, spec)


async def test_login_on_one_process_is_seen_by_the_other(two, browser, fetch):
    a, b = two
    assert await fetch(browser, "GET", a.url + BOB) == (200, "Ok")
    assert await fetch(browser, "GET", b.url + "/admin") == (200, "Admin Page")
    assert await fetch(browser, "GET", b.url + "/") == (200, "Home page. Admin page: Logout:")


async def test_H1_logout_on_one_process_refuses_the_captured_ticket_on_every_process(
    two, browser, fetch, jar
):
    a, b = two
    await fetch(browser, "GET", a.url + BOB)
    captured = jar(browser)
    assert await fetch(browser, "GET", a.url + "/view", cookies=captured) == (200, "View Page")
    assert await fetch(browser, "GET", b.url + "/logout") == (200, "Ok")
    assert "AUTH_TKT" not in jar(browser)
    for app in two:  # the copy taken before logout is dead everywhere
        assert (await fetch(browser, "GET", app.url + "/view", cookies=captured))[0] == 403
        assert await fetch(browser, "GET", app.url + "/", cookies=captured) == (200, "Home page.")


async def test_H1_logout_of_one_login_leaves_the_users_other_logins_alone(two, browser, fetch, jar):
    a, b = two
    await fetch(browser, "GET", a.url + ALICE)
    phone = jar(browser)
    await asyncio.sleep(1.05)  # logins are told apart by their signed login time (seconds)
    await fetch(browser, "GET", b.url + ALICE)
    await fetch(browser, "GET", b.url + "/logout")
    for app in two:
        assert await fetch(browser, "GET", app.url + "/view", cookies=phone) == (200, "View Page")


async def test_H2_logout_everywhere_on_one_process_ends_every_login_on_every_process(
    two, browser, fetch, jar
):
    a, b = two
    await fetch(browser, "GET", a.url + ALICE)
    laptop = jar(browser)
    await fetch(browser, "GET", b.url + ALICE)
    phone = jar(browser)
    await fetch(browser, "GET", a.url + BOB)
    bob = jar(browser)
    status, _ = await fetch(browser, "POST", b.url + "/logout-everywhere", cookies=phone)
    assert status == 200
    for app in two:
        for device in (laptop, phone):
            assert (await fetch(browser, "GET", app.url + "/view", cookies=device))[0] == 403
        assert await fetch(browser, "GET", app.url + "/admin", cookies=bob) == (200, "Admin Page")
    await asyncio.sleep(1.05)  # a login from the next second on is a new login
    await fetch(browser, "GET", a.url + ALICE)
    assert await fetch(browser, "GET", b.url + "/view") == (200, "View Page")


async def test_logout_everywhere_needs_a_login(two, browser, fetch):
    assert (await fetch(browser, "POST", two[0].url + "/logout-everywhere"))[0] == 401


async def test_H3_the_store_holds_one_expiring_key_per_logout_and_nothing_else(
    two, browser, fetch, redis_client
):
    a, b = two
    for round_no in range(10):
        await fetch(browser, "GET", (a if round_no % 2 else b).url + BOB)
        await fetch(browser, "GET", (b if round_no % 2 else a).url + "/view")
        await fetch(browser, "GET", (b if round_no % 2 else a).url + "/logout")
        await fetch(browser, "GET", a.url + "/logout")  # anonymous: 401, writes nothing
    keys = await redis_client.keys("*")
    # logins of one user within one second share their login time, hence their key
    assert 1 <= len(keys) <= 10
    for key in keys:
        assert key.startswith(b"aiohttp_auth:revoked:login:")
        assert 0 < await redis_client.ttl(key) <= LIFETIME  # expires by itself
    # real expiry (not only a TTL) is shown in packages/examples/tests/test_redis_backed.py


async def test_one_redis_command_per_authenticated_request(
    two, browser, fetch, redis_client, command_calls
):
    a = two[0]
    await fetch(browser, "GET", a.url + BOB)
    for app in two:  # warm up: each process opens its pooled connection
        await fetch(browser, "GET", app.url + "/view")
    await redis_client.config_resetstat()
    for index in range(20):
        assert await fetch(browser, "GET", two[index % 2].url + "/view") == (200, "View Page")
    assert await command_calls(redis_client) == {"mget": 20}
    await redis_client.config_resetstat()
    async with aiohttp.ClientSession() as anonymous:
        for _ in range(10):
            await fetch(anonymous, "GET", a.url + "/")
    assert await command_calls(redis_client) == {}  # no ticket, no lookup
