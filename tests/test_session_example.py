"""The session-storage example: same behaviour, ticket kept in a server-side session.

Besides the transcript, the two properties that make a session storage safe
to put a login into: the session id changes at login (an id planted before
login never becomes authenticated: session fixation) and logout destroys the
server-side record, not just the browser's cookie.
"""

from __future__ import annotations

import secrets

import pytest

from aiohttp_auth_examples.session_app import STORAGE_KEY, create_app

SESSION = "AIOHTTP_SESSION"

# aiohttp-session 2.12 stores its own state under a string request key, which
# aiohttp 3.14 warns about on every request; that warning is theirs, not ours.
pytestmark = pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)


@pytest.fixture
async def server(aiohttp_server):
    return await aiohttp_server(create_app(secrets.token_bytes(32)), host="127.0.0.1")


async def test_transcript_with_session_storage(server, replayer, transcript):
    await replayer(str(server.make_url("/")).rstrip("/"), transcript, cookie_name=SESSION)


async def test_login_rotates_a_planted_session_id(server, client_for):
    storage = server.app[STORAGE_KEY]
    async with client_for(server) as attacker:
        async with attacker.get("/") as resp:  # an anonymous visit...
            assert resp.status == 200
        # ...or a record the attacker made: either way, an id planted in the victim's browser
        planted = "planted-" + secrets.token_urlsafe(8)
        storage._records[planted] = {"created": 0, "session": {"note": "attacker"}}
    async with client_for(server) as victim:
        victim.cookie_jar.update_cookies({SESSION: planted}, server.make_url("/"))
        async with victim.get("/login?username=bob&password=bob_password") as resp:
            assert resp.status == 200
        after = {c.key: c.value for c in victim.cookie_jar}[SESSION]
        assert after != planted
        async with victim.get("/admin") as resp:
            assert resp.status == 200
    async with client_for(server) as attacker:
        attacker.cookie_jar.update_cookies({SESSION: planted}, server.make_url("/"))
        async with attacker.get("/admin") as resp:
            assert resp.status == 403
        async with attacker.get("/") as resp:
            assert await resp.text() == "Home page."


async def test_logout_destroys_the_server_side_session(server, client_for):
    storage = server.app[STORAGE_KEY]
    async with client_for(server) as client:
        async with client.get("/login?username=alice&password=alice_password") as resp:
            assert resp.status == 200
        session_id = {c.key: c.value for c in client.cookie_jar}[SESSION]
        assert session_id in storage
        async with client.get("/logout") as resp:
            assert resp.status == 200
        assert session_id not in storage
    async with client_for(server) as replay:
        replay.cookie_jar.update_cookies({SESSION: session_id}, server.make_url("/"))
        async with replay.get("/view") as resp:
            assert resp.status == 403
