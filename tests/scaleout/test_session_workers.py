"""The session app on Redis (aiohttp-session ``RedisStorage``) across two processes.

The browser holds only a session id; the ticket sits in the session record
in Redis.  A login on one process must be a session every process loads,
the id must change at login (SECURITY G1), and a logout on one process must
delete the record, so every process sees an anonymous request (G2).
"""

from __future__ import annotations

import json
import secrets

import pytest

pytestmark = pytest.mark.redis

SESSION = "AIOHTTP_SESSION"
BOB = "/login?username=bob&password=bob_password"


@pytest.fixture
def two(apps, redis_srv, secret):
    spec = {"app": "session", "secrets": [secret], "redis": redis_srv.url}
    return apps.start(spec, spec)


async def test_login_on_one_process_is_a_session_on_the_other(two, browser, fetch, jar):
    a, b = two
    assert await fetch(browser, "GET", a.url + BOB) == (200, "Ok")
    assert set(jar(browser)) == {SESSION}  # no ticket cookie: the ticket stays server-side
    assert await fetch(browser, "GET", b.url + "/admin") == (200, "Admin Page")


async def test_G1_the_session_id_rotates_at_login_and_a_planted_id_stays_anonymous(
    two, browser, fetch, jar, redis_client
):
    a = two[0]
    planted = secrets.token_urlsafe(32)
    record = json.dumps({"created": 0, "session": {"note": "planted"}})
    await redis_client.set(f"{SESSION}_{planted}", record, ex=60)
    browser.cookie_jar.update_cookies({SESSION: planted})
    assert await fetch(browser, "GET", a.url + BOB) == (200, "Ok")
    rotated = jar(browser)[SESSION]
    assert rotated != planted
    for app in two:
        assert (await fetch(browser, "GET", app.url + "/admin", cookies={SESSION: planted}))[
            0
        ] == 403
        assert await fetch(browser, "GET", app.url + "/admin", cookies={SESSION: rotated}) == (
            200,
            "Admin Page",
        )


async def test_G2_logout_on_one_process_deletes_the_session_for_every_process(
    two, browser, fetch, jar, redis_client
):
    a, b = two
    await fetch(browser, "GET", a.url + BOB)
    session_id = jar(browser)[SESSION]
    assert await redis_client.ttl(f"{SESSION}_{session_id}") > 0  # every record expires
    assert await fetch(browser, "GET", b.url + "/logout") == (200, "Ok")
    assert SESSION not in jar(browser)  # the cookie is expired...
    assert await redis_client.exists(f"{SESSION}_{session_id}") == 0  # ...and the record gone
    for app in two:
        status, body = await fetch(browser, "GET", app.url + "/", cookies={SESSION: session_id})
        assert (status, body) == (200, "Home page.")


async def test_H2_logout_everywhere_reaches_sessions_on_every_process(two, browser, fetch, jar):
    a, b = two
    await fetch(browser, "GET", a.url + BOB)
    laptop = jar(browser)
    browser.cookie_jar.clear()
    await fetch(browser, "GET", b.url + BOB)
    assert (await fetch(browser, "POST", b.url + "/logout-everywhere"))[0] == 200
    for app in two:  # the laptop's session still exists, but its ticket is revoked
        assert (await fetch(browser, "GET", app.url + "/admin", cookies=laptop))[0] == 403


async def test_one_session_read_and_one_revocation_check_per_request(
    two, browser, fetch, redis_client, command_calls
):
    await fetch(browser, "GET", two[0].url + BOB)
    for app in two:
        await fetch(browser, "GET", app.url + "/view")
    await redis_client.config_resetstat()
    for index in range(20):
        assert await fetch(browser, "GET", two[index % 2].url + "/view") == (200, "View Page")
    # GET: the session record (aiohttp-session); MGET: the revocation check (ours)
    assert await command_calls(redis_client) == {"get": 20, "mget": 20}
