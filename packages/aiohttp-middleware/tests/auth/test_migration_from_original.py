"""Moving from aiohttp_auth_autz 0.2.2 logs nobody out (differential, against the real original).

The original library shares our import name, so it runs in a subprocess
with ``PYTHONPATH`` pointing at ``.hatch/original`` (``hatch env create
dev`` installs it there).  Its own ``CookieTktAuthentication`` logs a user
in; the cookie it sets is then presented to our policy.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import ticket_auth

from aiohttp_auth import auth

NAME = "AUTH_TKT"
ORIGINAL = Path(
    os.environ.get(
        "AIOHTTP_AUTH_ORIGINAL_PATH", Path(__file__).resolve().parents[4] / ".hatch" / "original"
    )
)

ORIGINAL_APP = """
import asyncio, sys
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
import aiohttp_auth
from aiohttp_auth import auth
assert aiohttp_auth.__version__ == "0.2.2", aiohttp_auth.__file__

async def login(request):
    await auth.remember(request, "alice")
    return web.Response(text="ok")

async def main():
    app = web.Application()
    policy = auth.CookieTktAuthentication(bytes.fromhex(sys.argv[1]), 60, include_ip=True)
    auth.setup(app, policy)
    app.router.add_get("/login", login)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/login")
        print(response.cookies[\"AUTH_TKT\"].value)

asyncio.run(main())
"""


def cookie_from_the_original(secret: bytes) -> str:
    result = subprocess.run(  # our own interpreter and script
        [sys.executable, "-W", "ignore", "-c", ORIGINAL_APP, secret.hex()],
        env={**os.environ, "PYTHONPATH": str(ORIGINAL)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.needs_original
async def test_a_login_cookie_set_by_the_original_library_keeps_the_user_logged_in(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    original_cookie = cookie_from_the_original(secret)
    assert original_cookie.endswith("alice!!")  # the ticket_auth format, unchanged

    strict = auth.CookieTktAuthentication(secret, 60, include_ip=True)
    client = await aiohttp_client(make_app(strict))
    response = await client.get("/whoami", cookies={NAME: original_cookie})
    assert await response.text() == "anonymous"  # legacy formats are opt-in

    migrating = auth.CookieTktAuthentication(
        secret, 60, include_ip=True, accept_original_tickets=True
    )
    client = await aiohttp_client(make_app(migrating))
    response = await client.get("/whoami", cookies={NAME: original_cookie})
    assert await response.text() == "alice"
    (reissued,) = cookies_set(response, NAME)
    assert reissued.value.startswith("v1!")
    assert await (await client.get("/whoami")).text() == "alice"


@pytest.mark.parametrize(
    ("slashes", "too_long"),
    [(1326, "for a cookie (name, '=' and value over 4096 bytes)"), (1400, "for a ticket")],
)
async def test_a_legacy_ticket_too_big_to_reissue_stays_valid_without_a_500(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    cookies_set: Any,
    caplog: pytest.LogCaptureFixture,
    slashes: int,
    too_long: str,
) -> None:
    """The original leaves ``/`` raw in user data, the default format encodes it as ``%2F``.

    A legacy ticket that fits can thus re-encode to one too long (``too_long``
    says for what). The migration's reissue is then skipped: the request is
    served with the valid legacy ticket, which stays as it was.
    """
    legacy = ticket_auth.TicketFactory(secret).new(
        "alice", user_data="/" * slashes, valid_until=int(time.time()) + 60
    )
    assert len(legacy) < 4000
    policy = auth.CookieTktAuthentication(secret, 60, accept_original_tickets=True)
    client = await aiohttp_client(make_app(policy))
    with caplog.at_level(logging.INFO):
        response = await client.get("/whoami", cookies={NAME: legacy})
    assert response.status == 200
    assert await response.text() == "alice"
    assert cookies_set(response, NAME) == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("reissue skipped" in r.getMessage() for r in caplog.records)
    assert all(legacy not in r.getMessage() for r in caplog.records)
