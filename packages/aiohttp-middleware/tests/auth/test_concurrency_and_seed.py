"""Concurrency (J2), logging hygiene under attack (J6), and the seed getting-started app."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from pathlib import Path
from typing import Any

import pytest

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_cookie

NAME = "AUTH_TKT"
SEED = Path(__file__).resolve().parents[4].parent / "shared" / "seed" / "getting_started_app.py"


async def test_J2_concurrent_requests_in_the_reissue_window(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, cookies_set: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, reissue_time=300, clock=clock)
    cookie = make_auth_cookie(policy, "alice", tokens=["editor"])
    clock.advance(301)
    client = await aiohttp_client(make_app(policy))
    responses = await asyncio.gather(
        *(client.get("/whoami", headers={"Cookie": f"{NAME}={cookie[NAME]}"}) for _ in range(50))
    )
    assert [r.status for r in responses] == [200] * 50
    assert {await r.text() for r in responses} == {"alice"}
    reissued = {m.value for r in responses for m in cookies_set(r, NAME)}
    assert reissued
    assert "" not in reissued  # nobody's cookie was deleted
    for ticket in reissued:
        check = await client.get("/info", headers={"Cookie": f"{NAME}={ticket}"})
        assert await check.json() == {**(await check.json()), "user": "alice", "tokens": ["editor"]}


async def test_J6_invalid_tickets_log_nothing_above_debug_and_never_the_ticket(
    aiohttp_client: Any, make_app: Any, secret: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600)
    valid = make_auth_cookie(policy, "alice")[NAME]
    client = await aiohttp_client(make_app(policy))
    forged = [valid[:-1] + c for c in "0123456789abcdef" if c != valid[-1]]
    with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
        for _ in range(10):
            for ticket in forged:
                response = await client.get("/whoami", headers={"Cookie": f"{NAME}={ticket}"})
                assert response.status == 200
    ours = [r for r in caplog.records if r.name.startswith("aiohttp_auth")]
    assert ours  # rejections are visible at DEBUG...
    assert all(r.levelno == logging.DEBUG for r in ours)  # ...and only there
    digest = valid.rsplit("!", 1)[1]
    assert digest[:16] not in caplog.text
    assert len(ours) == 10 * len(forged)  # one line per request, not per attempt


TRANSCRIPT = [
    ("GET", "/", 200, "Home page.", False),
    ("GET", "/view", 403, None, False),
    ("GET", "/admin", 403, None, False),
    ("GET", "/logout", 401, None, False),
    ("GET", "/login?username=alice&password=wrong", 401, None, False),
    ("GET", "/login?username=alice&password=alice_password", 200, "Ok", True),
    ("GET", "/", 200, "Home page. Logout:", True),
    ("GET", "/view", 200, "View Page", True),
    ("POST", "/view", 405, None, True),
    ("GET", "/admin", 403, None, True),
    ("GET", "/logout", 200, "Ok", False),
    ("GET", "/", 200, "Home page.", False),
    ("GET", "/view", 403, None, False),
    ("GET", "/logout", 401, None, False),
    ("GET", "/login?username=bob&password=bob_password", 200, "Ok", True),
    ("GET", "/", 200, "Home page. Admin page: Logout:", True),
    ("GET", "/view", 200, "View Page", True),
    ("GET", "/admin", 200, "Admin Page", True),
    ("GET", "/logout", 200, "Ok", False),
    ("GET", "/admin", 403, None, False),
]


async def test_seed_getting_started_app_runs_unchanged(aiohttp_client: Any) -> None:
    assert SEED.exists(), f"{SEED} is missing: ../shared/seed must be beside the project root"
    spec = importlib.util.spec_from_file_location("getting_started_app", SEED)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    client = await aiohttp_client(module.init_app(None))
    for step, (method, path, status, body, has_cookie) in enumerate(TRANSCRIPT, 1):
        response = await client.request(method, path)
        assert response.status == status, step
        if body is not None:
            assert await response.text() == body, step
        assert any(c.key == NAME for c in client.session.cookie_jar) is has_cookie, step
