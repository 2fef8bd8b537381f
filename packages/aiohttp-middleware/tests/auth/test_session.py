"""``SessionTktAuthentication`` with aiohttp-session (SECURITY G1-G4, A7, A14, F10)."""

from __future__ import annotations

import statistics
import time
from typing import Any

import aiohttp_session
import pytest
from aiohttp import web

from aiohttp_auth import auth

# aiohttp-session stores its own state under string request keys, which
# aiohttp 3.14 warns about once per key; that warning is theirs, not ours.
pytestmark = pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)

SID = "SID"


async def plant_value(request: web.Request) -> web.Response:
    session = await aiohttp_session.get_session(request)
    for key, value in request.query.items():
        session[key] = value
    return web.Response(text="planted")


async def session_keys(request: web.Request) -> web.Response:
    session = await aiohttp_session.get_session(request)
    return web.json_response(sorted(session))


def session_app(make_app: Any, policy: Any, storage: Any) -> web.Application:
    app = make_app(policy, session_storage=storage)
    app.router.add_get("/plant", plant_value)
    app.router.add_get("/keys", session_keys)
    return app


@pytest.fixture
def policy(secret: bytes, clock: Any) -> Any:
    return auth.SessionTktAuthentication(
        secret, 600, reissue_time=0, clock=clock, keep_session_keys=["cart"]
    )


def sid_of(client: Any) -> str | None:
    return next((c.value for c in client.session.cookie_jar if c.key == SID), None)


async def test_G1_login_starts_a_new_session_and_the_planted_id_stays_anonymous(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    app = session_app(make_app, policy, memory_storage)
    victim = await aiohttp_client(app)
    await victim.get("/plant?cart=3&tracking=x")
    planted_sid = sid_of(victim)
    assert planted_sid in memory_storage.records

    await victim.get("/login?user=alice")
    new_sid = sid_of(victim)
    assert new_sid != planted_sid
    assert await (await victim.get("/whoami")).text() == "alice"
    assert await (await victim.get("/keys")).json() == ["AUTH_TKT", "cart"]  # allow-list only

    attacker = await aiohttp_client(app)
    response = await attacker.get("/whoami", cookies={SID: planted_sid})
    assert await response.text() == "anonymous"


async def test_G1_a_second_login_retires_the_first_sessions_record(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    """Logging in as bob in a browser where alice is logged in leaves alice's id empty."""
    app = session_app(make_app, policy, memory_storage)
    browser = await aiohttp_client(app)
    await browser.get("/login?user=alice")
    alice_sid = sid_of(browser)
    assert "AUTH_TKT" in memory_storage.records[alice_sid]

    await browser.get("/login?user=bob")
    assert sid_of(browser) != alice_sid
    assert await (await browser.get("/whoami")).text() == "bob"
    assert alice_sid not in memory_storage.records

    other = await aiohttp_client(app)
    response = await other.get("/whoami", cookies={SID: alice_sid})
    assert await response.text() == "anonymous"


async def test_G2_logout_deletes_the_server_side_record_and_expires_the_cookie(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any, cookies_set: Any
) -> None:
    """The whole session goes, not only the ticket: what else it held is the user's too."""
    client = await aiohttp_client(session_app(make_app, policy, memory_storage))
    await client.get("/login?user=alice")
    await client.get("/plant?theme=dark")  # a non-auth key: emptying the ticket alone keeps it
    sid = sid_of(client)
    assert memory_storage.records[sid]["theme"] == "dark"
    response = await client.get("/logout")
    assert sid not in memory_storage.records
    (expired,) = cookies_set(response, SID)
    assert expired.value == ""
    replay = await client.get("/whoami", cookies={SID: sid})
    assert await replay.text() == "anonymous"
    assert await (await client.get("/keys")).json() == []


async def test_G2_logout_before_a_websocket_upgrade_deletes_the_record(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    """aiohttp-session's middleware does not save WebSocket responses; the policy does."""

    async def logout_ws(request: web.Request) -> web.WebSocketResponse:
        await auth.forget(request)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("bye")
        await ws.close()
        return ws

    app = session_app(make_app, policy, memory_storage)
    app.router.add_get("/ws", logout_ws)
    client = await aiohttp_client(app)
    await client.get("/login?user=alice")
    sid = sid_of(client)
    async with client.ws_connect("/ws") as ws:
        assert (await ws.receive()).data == "bye"
    assert sid not in memory_storage.records
    replay = await client.get("/whoami", cookies={SID: sid})
    assert await replay.text() == "anonymous"


async def test_G3_expired_ticket_in_a_live_session_is_anonymous(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any, clock: Any
) -> None:
    client = await aiohttp_client(session_app(make_app, policy, memory_storage))
    await client.get("/login?user=alice")
    sid = sid_of(client)
    clock.advance(601)
    assert await (await client.get("/whoami")).text() == "anonymous"
    assert "AUTH_TKT" in memory_storage.records[sid]  # the store still holds it


async def test_G4_session_store_errors_are_500_never_authenticated(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    client = await aiohttp_client(session_app(make_app, policy, memory_storage))
    await client.get("/login?user=alice")
    memory_storage.fail = True
    response = await client.get("/protected")
    assert response.status == 500
    assert "secret page" not in await response.text()


@pytest.mark.parametrize("value", [b"ticket", None, 123, {}, ["t"], 1.5])
async def test_A14_wrong_types_in_the_session_are_anonymous(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any, value: Any
) -> None:
    client = await aiohttp_client(session_app(make_app, policy, memory_storage))
    sid = memory_storage.plant({"AUTH_TKT": value})
    response = await client.get("/whoami", cookies={SID: sid})
    assert response.status == 200
    assert await response.text() == "anonymous"


async def test_A7_a_1mb_session_value_is_anonymous_without_parsing(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    client = await aiohttp_client(session_app(make_app, policy, memory_storage))
    sid = memory_storage.plant({"AUTH_TKT": "v1!" + "9" * 1_000_000})
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = await client.get("/whoami", cookies={SID: sid})
        assert await response.text() == "anonymous"
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.01


async def test_F10_session_policy_without_the_session_middleware_fails_at_startup(
    start_app: Any, make_app: Any, policy: Any
) -> None:
    with pytest.raises(RuntimeError, match=r"aiohttp_session\.setup"):
        await start_app(make_app(policy))


async def test_F10_session_middleware_after_ours_fails_at_startup(
    start_app: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    app = make_app(policy)
    aiohttp_session.setup(app, memory_storage)
    with pytest.raises(RuntimeError, match="after the auth middleware"):
        await start_app(app)


async def test_F10_correct_order_starts(
    start_app: Any, make_app: Any, policy: Any, memory_storage: Any
) -> None:
    await start_app(make_app(policy, session_storage=memory_storage))


async def test_session_reissue_keeps_the_session_and_refreshes_the_ticket(
    aiohttp_client: Any, make_app: Any, policy: Any, memory_storage: Any, clock: Any
) -> None:
    client = await aiohttp_client(session_app(make_app, policy, memory_storage))
    await client.get("/login?user=alice&tokens=editor")
    sid = sid_of(client)
    before = memory_storage.records[sid]["AUTH_TKT"]
    clock.advance(30)
    assert await (await client.get("/whoami")).text() == "alice"
    assert sid_of(client) == sid  # reissue is not a login: same session
    assert memory_storage.records[sid]["AUTH_TKT"] != before
    assert (await (await client.get("/info")).json())["tokens"] == ["editor"]


def test_keep_session_keys_must_be_a_collection(secret: bytes) -> None:
    with pytest.raises(TypeError):
        auth.SessionTktAuthentication(secret, 60, keep_session_keys="cart")
