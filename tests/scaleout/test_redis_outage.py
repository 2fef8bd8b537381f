"""Redis unreachable, and Redis restarted in the middle of a session (SECURITY H4).

The documented choice is "fail closed": while Redis cannot answer, a ticket
cannot be checked against the revocation list (or a session cannot be
loaded), so the request is anonymous.  Public pages keep working, nothing
is granted, no process crashes, and service resumes with the first request
after Redis is back.  What a restart loses is pinned too: without
persistence, every revocation (and every session) written before it.
"""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from aiohttp_auth.testing import redis_server

pytestmark = pytest.mark.redis

BOB = "/login?username=bob&password=bob_password"
ALICE = "/login?username=alice&password=alice_password"


def nothing_listens() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


def alive(*apps) -> bool:
    return all(app.process.poll() is None for app in apps)


async def test_H4_unreachable_redis_means_anonymous_never_a_grant(apps, secret, browser, fetch):
    url = nothing_listens()
    cookie_app, session_app = apps.start(
        {"secrets": [secret], "redis": url}, {"app": "session", "secrets": [secret], "redis": url}
    )
    # cookie tickets: the login itself needs no Redis, but no ticket can be checked
    assert await fetch(browser, "GET", cookie_app.url + BOB) == (200, "Ok")
    assert (await fetch(browser, "GET", cookie_app.url + "/admin"))[0] == 403
    assert await fetch(browser, "GET", cookie_app.url + "/") == (200, "Home page.")
    assert (await fetch(browser, "GET", cookie_app.url + "/logout"))[0] == 401
    assert (await fetch(browser, "POST", cookie_app.url + "/logout-everywhere"))[0] == 401
    # sessions: nothing can be loaded (anonymous) nor saved (503: the login did not happen)
    browser.cookie_jar.clear()
    assert (await fetch(browser, "GET", session_app.url + BOB))[0] == 503
    assert await fetch(browser, "GET", session_app.url + "/") == (200, "Home page.")
    assert (await fetch(browser, "GET", session_app.url + "/admin"))[0] == 403
    assert (await fetch(browser, "GET", session_app.url + "/logout"))[0] == 401
    assert alive(cookie_app, session_app)
    assert "WARNING aiohttp_auth.auth: revocation store failed" in cookie_app.output()
    assert "session store unreachable" in session_app.output()


@pytest.mark.parametrize("persistent", [False, True], ids=["no-persistence", "append-only"])
async def test_redis_restart_mid_test(apps, secret, browser, fetch, jar, tmp_path, persistent):
    with redis_server(persistent=persistent, directory=tmp_path) as server:
        a, b = apps.start(*[{"secrets": [secret], "redis": server.url}] * 2)
        await fetch(browser, "GET", a.url + ALICE)
        alice = jar(browser)
        assert await fetch(browser, "GET", b.url + "/logout") == (200, "Ok")
        await fetch(browser, "GET", a.url + BOB)
        bob = jar(browser)
        for app in (a, b):
            assert (await fetch(browser, "GET", app.url + "/view", cookies=alice))[0] == 403
            assert await fetch(browser, "GET", app.url + "/view", cookies=bob) == (200, "View Page")

        server.stop()  # the outage: every ticket is refused, nothing crashes
        for app in (a, b):
            assert (await fetch(browser, "GET", app.url + "/view", cookies=bob))[0] == 403
            assert await fetch(browser, "GET", app.url + "/", cookies=bob) == (200, "Home page.")

        server.start()  # same port: the apps' clients reconnect on their next command
        for app in (a, b):  # the very first request after the restart is served
            assert await fetch(browser, "GET", app.url + "/view", cookies=bob) == (200, "View Page")
        status, _ = await fetch(browser, "GET", a.url + "/view", cookies=alice)
        if persistent:
            assert status == 403  # the revocation was on disk
        else:
            assert status == 200  # documented: revocations before the restart are lost
        assert alive(a, b)


async def test_session_app_redis_restart_logs_everyone_out(apps, secret, browser, fetch, redis_srv):
    a, b = apps.start(*[{"app": "session", "secrets": [secret], "redis": redis_srv.url}] * 2)
    await fetch(browser, "GET", a.url + BOB)
    assert await fetch(browser, "GET", b.url + "/admin") == (200, "Admin Page")
    redis_srv.restart()  # no persistence: every session record is gone
    for app in (a, b):
        assert (await fetch(browser, "GET", app.url + "/admin"))[0] == 403
    assert await fetch(browser, "GET", b.url + BOB) == (200, "Ok")  # logging in again works
    assert await fetch(browser, "GET", a.url + "/admin") == (200, "Admin Page")
    assert alive(a, b)


async def test_a_hung_redis_costs_at_most_the_client_timeout_then_anonymous(
    apps, secret, browser, fetch, jar, redis_srv, redis_client
):
    """A Redis that accepts connections but never answers (SIGSTOP: a frozen VM, a full
    network buffer) must not hang every request: the app's client gives up after its
    1 s timeout (plus one retry) and the request is anonymous."""
    (app,) = apps.start({"secrets": [secret], "redis": redis_srv.url})
    await fetch(browser, "GET", app.url + BOB)
    bob = jar(browser)
    assert await fetch(browser, "GET", app.url + "/view", cookies=bob) == (200, "View Page")
    pid = int((await redis_client.info("server"))["process_id"])
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        assert (await fetch(browser, "GET", app.url + "/view", cookies=bob))[0] == 403
        assert time.monotonic() - started < 5
    finally:
        os.kill(pid, signal.SIGCONT)
    assert await fetch(browser, "GET", app.url + "/view", cookies=bob) == (200, "View Page")
    assert alive(app)
