"""Faults around the middleware, over TCP: every one ends in a defined outcome, never a grant.

The faults: the groups callback raises or hangs, the session store raises,
the revocation store raises, the secret list changes between requests
(rotation and removal), and the clock jumps backwards and forwards.  For each
the test pins what the user gets (deny, anonymous, or a documented 500 whose
handler never ran) and that the server keeps serving afterwards.  Where the
outcome is a design choice, the middleware's README must say so: the test
reads it, so the documentation cannot drift from the behaviour.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

import aiohttp_auth
from aiohttp_auth import auth
from aiohttp_auth_examples import getting_started
from aiohttp_auth_examples.memory_session_storage import MemorySessionStorage

README = Path(__file__).parents[2] / "packages" / "aiohttp-middleware" / "README.md"
DOCUMENTED_I5 = "A raising `acl_groups` propagates: 500, the view never runs, nothing granted"
DOCUMENTED_H4 = "a failing store refuses tickets (logged at WARNING) and makes `forget()` raise"
AIOHTTP_500 = r"^Error handling request from 127\.0\.0\.1$"


def readme() -> str:
    """The README's prose with line breaks and bold markers folded away."""
    return " ".join(README.read_text(encoding="utf-8").replace("**", "").split())


class FaultyGroups(getting_started.ACLAutzPolicy):
    """The example's policy with a groups backend that fails on demand."""

    mode = "ok"

    async def acl_groups(self, user_identity):
        if self.mode == "raise":
            raise ConnectionError("groups backend down")
        if self.mode == "hang":
            # an app that bounds its backend call: the documented way to survive a hang
            await asyncio.wait_for(asyncio.sleep(30), timeout=0.2)
        if self.mode == "slow":
            await asyncio.sleep(1.5)
        return await super().acl_groups(user_identity)


@pytest.fixture
async def faulty(aiohttp_server, clock):
    FaultyGroups.mode = "ok"
    policy = auth.CookieTktAuthentication(bytes(range(40, 72)), 60, include_ip=True, clock=clock)
    app = web.Application()
    aiohttp_auth.setup(app, policy, FaultyGroups(getting_started.USERS, getting_started.CONTEXT))
    app.router.add_get("/login", getting_started.login)
    app.router.add_get("/admin", getting_started.admin)
    app.router.add_get("/", getting_started.home)
    server = await aiohttp_server(app, host="127.0.0.1")
    return server, policy


async def status_of(client, server, path, timeout=10.0):
    async with client.get(server.make_url(path), timeout=aiohttp.ClientTimeout(total=timeout)) as r:
        return r.status, await r.text()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("raise", 500), ("hang", 504)],  # aiohttp answers an unhandled TimeoutError with 504
)
async def test_I5_groups_callback_raising_or_timing_out_is_a_5xx_that_never_grants(
    faulty, log_guard, mode, expected
):
    assert DOCUMENTED_I5 in readme()
    log_guard.allow(logging.ERROR, AIOHTTP_500)  # aiohttp logs the unhandled error, once
    server, _ = faulty
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as bob:
        await status_of(bob, server, "/login?username=bob&password=bob_password")
        FaultyGroups.mode = mode
        status, body = await status_of(bob, server, "/admin")
        assert status == expected
        assert "Admin Page" not in body
        FaultyGroups.mode = "ok"  # the backend recovers: so does the server
        assert await status_of(bob, server, "/admin") == (200, "Admin Page")


async def test_I5_a_slow_groups_callback_times_the_client_out_without_stalling_others(faulty):
    server, _ = faulty
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as bob:
        await status_of(bob, server, "/login?username=bob&password=bob_password")
        FaultyGroups.mode = "slow"
        slow = asyncio.create_task(status_of(bob, server, "/admin", timeout=0.3))
        with pytest.raises(asyncio.TimeoutError):
            await slow
    FaultyGroups.mode = "ok"
    async with aiohttp.ClientSession() as anonymous:  # the event loop was never blocked
        assert (await status_of(anonymous, server, "/admin", timeout=1.0))[0] == 403


class FailingStore(MemorySessionStorage):
    fail = False

    async def load_session(self, request):
        if self.fail:
            raise ConnectionError("session store down")
        return await super().load_session(request)


def test_G4_readme_documents_what_a_failing_session_store_gives():
    text = readme().lower()
    assert "session store" in text
    assert "load_session" in text or "store fails" in text or "failing session" in text


async def test_G4_a_failing_session_store_is_a_500_never_a_login(aiohttp_server, clock, log_guard):
    from aiohttp_session import session_middleware

    log_guard.allow(logging.ERROR, AIOHTTP_500)
    storage = FailingStore()
    policy = auth.SessionTktAuthentication(bytes(range(40, 72)), 60, include_ip=True, clock=clock)
    app = getting_started.create_app(
        bytes(range(40, 72)), auth_policy=policy, extra_middlewares=[session_middleware(storage)]
    )
    server = await aiohttp_server(app, host="127.0.0.1")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as bob:
        await status_of(bob, server, "/login?username=bob&password=bob_password")
        storage.fail = True
        status, body = await status_of(bob, server, "/admin")
        assert status == 500
        assert "Admin Page" not in body
        storage.fail = False
        assert await status_of(bob, server, "/admin") == (200, "Admin Page")


class BrokenRevocation(auth.MemoryRevocationStore):
    broken = False
    broken_writes = False

    async def is_revoked(self, user_id, login_id, auth_time):
        if self.broken:
            raise TimeoutError("revocation backend timed out")
        return await super().is_revoked(user_id, login_id, auth_time)

    async def revoke_login(self, user_id, login_id, auth_time, expires_at):
        if self.broken_writes:
            raise ConnectionError("revocation backend refused the write")
        await super().revoke_login(user_id, login_id, auth_time, expires_at)


async def test_H4_a_failing_revocation_store_refuses_tickets_and_logout_fails_loudly(
    stack, clock, log_guard
):
    assert DOCUMENTED_H4 in readme()
    log_guard.allow(logging.WARNING, r"^revocation store failed \(TimeoutError\): ticket refused$")
    log_guard.allow(logging.ERROR, AIOHTTP_500)
    store = BrokenRevocation(clock=clock)
    app = await stack(revocation=store)
    async with app.client() as bob:
        ticket = await app.login(bob, "bob")
        store.broken = True
        assert (await app.get("/admin", ticket))[0] == 403  # refused: never granted
        assert (await app.get("/logout", ticket))[0] == 401  # the ticket is refused there too
        store.broken = False
        assert (await app.get("/admin", ticket))[:2] == (200, "Admin Page")
        store.broken_writes = True  # reads work, the logout cannot be recorded
        status, _, headers = await app.get("/logout", ticket)
        assert status == 500  # forget() raised: the user sees the logout did not happen
        assert "Set-Cookie" not in headers  # and is not told it did


@pytest.fixture
async def rotation(stack, kit):
    old, new = kit.SECRET, bytes(range(1, 33))
    before = await stack(secrets=[old])
    during = await stack(secrets=[new, old])
    after = await stack(secrets=[new])
    return before, during, after


async def test_B5_B6_secret_list_changed_between_requests(rotation):
    before, during, after = rotation
    async with before.client() as browser:  # one browser: the jar is keyed by host, not port
        old_ticket = await before.login(browser, "bob")
        async with browser.get(during.url("/admin")) as resp:  # new key first, old verifies
            assert (resp.status, await resp.text()) == (200, "Admin Page")
            reissued = resp.cookies["AUTH_TKT"].value  # old-key tickets are reissued on 2xx
        assert reissued != old_ticket
        assert (await before.get("/admin", reissued))[0] == 403  # not signed by the old key
        assert (await after.get("/admin", reissued))[:2] == (200, "Admin Page")
        assert (await after.get("/admin", old_ticket))[0] == 403  # removed key: dead
        async with browser.get(after.url("/admin")) as resp:
            assert resp.status == 200
            assert "AUTH_TKT" not in resp.cookies  # current key: no needless reissue


@pytest.mark.parametrize(
    ("jump", "expected"),
    [
        (-30, 200),  # backwards within the 60 s skew: still valid
        (-600, 403),  # backwards beyond the skew: the ticket looks far-future, refused
        (+59, 200),  # forwards within max_age
        (+60, 403),  # forwards to valid_until: expired
        (+86_400, 403),  # a day ahead
    ],
)
async def test_C1_C2_C3_clock_jumps_end_in_valid_or_anonymous_never_a_crash(
    stack, clock, jump, expected
):
    text = readme() + " ".join(
        (Path(__file__).parents[2] / "packages" / "tickets" / "README.md").read_text().split()
    )
    assert "a cap on far-future tickets, clock skew tolerance" in text
    app = await stack()
    async with app.client() as bob:
        ticket = await app.login(bob, "bob")
        clock.now += jump
        status, _, headers = await app.get("/admin", ticket)
        assert status == expected
        assert "Set-Cookie" not in headers  # neither reissued nor deleted
        clock.now -= jump  # the clock is corrected: nothing was damaged by the jump
        assert (await app.get("/admin", ticket))[0] == 200


async def test_C1_H1_a_revoked_login_stays_revoked_across_clock_jumps(stack, clock):
    app = await stack(revocation=auth.MemoryRevocationStore(clock=clock))
    async with app.client() as bob:
        ticket = await app.login(bob, "bob")
        async with bob.get(app.url("/logout")) as resp:
            assert resp.status == 200
    for jump in (-30, +30, -59, +59):
        clock.now += jump
        assert (await app.get("/admin", ticket))[0] == 403
        clock.now -= jump


async def test_H1_C1_a_revoked_login_stays_revoked_after_the_clock_steps_forward_and_back(
    stack, clock
):
    app = await stack(revocation=auth.MemoryRevocationStore(clock=clock))
    async with app.client() as bob:
        ticket = await app.login(bob, "bob")
        async with bob.get(app.url("/logout")) as resp:
            assert resp.status == 200
    assert (await app.get("/admin", ticket))[0] == 403
    clock.now += 130  # an NTP step forward, past max_age + skew
    async with app.client() as alice:  # ordinary traffic: the store sweeps
        assert (await app.get("/view", await app.login(alice, "alice")))[0] == 200
    clock.now -= 125  # and back: the ticket is inside its validity again
    assert (await app.get("/admin", ticket))[0] == 403  # still logged out


async def test_H2_C1_revoke_user_while_the_clock_is_behind_still_logs_everyone_out(stack, clock):
    app = await stack(revocation=auth.MemoryRevocationStore(clock=clock))
    async with app.client() as bob:
        ticket = await app.login(bob, "bob")
    clock.now -= 600  # the clock steps back ten minutes
    await app.policy.revoke_user("bob")  # password changed: log out everywhere
    clock.now += 600  # the clock is corrected
    assert (await app.get("/admin", ticket))[0] == 403
