"""The deployment example: ``python -m aiohttp_auth_examples --workers N --redis URL``.

One supervisor binds the port and starts N worker processes that inherit
the socket; each serves with aiohttp's ``web.run_app``.  Shown here: the
workers really share the port (the access log names the worker of every
request), a login and a logout hold whichever worker a request lands on,
stopping the supervisor stops every worker, and a worker that dies takes
the service down instead of leaving it half-alive.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from pathlib import Path

import aiohttp
import pytest

pytestmark = pytest.mark.redis

BOB = "/login?username=bob&password=bob_password"


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def wait_for_workers(pid: int, count: int) -> list[int]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = children(pid)
        if len(found) == count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"expected {count} workers, found {children(pid)}")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(params=["getting-started"])
def cluster(request, apps, redis_srv, secret):
    (supervisor,) = apps.start(
        {
            "app": request.param,
            "secrets": [secret],
            "redis": redis_srv.url,
            "args": ["--workers", "3"],
        }
    )
    workers = wait_for_workers(supervisor.process.pid, 3)
    deadline = time.monotonic() + 20
    while supervisor.output().count("accepting connections") < 3:
        assert time.monotonic() < deadline, supervisor.output()
        time.sleep(0.05)
    return supervisor, workers


@pytest.mark.parametrize("cluster", ["getting-started", "session"], indirect=True)
async def test_three_workers_share_the_port_and_the_login(cluster, fetch, jar):
    supervisor, workers = cluster
    # a new connection per request, several at once: the kernel spreads them over the workers
    connector = aiohttp.TCPConnector(force_close=True)
    jar_ = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar_) as browser:
        assert await fetch(browser, "GET", supervisor.url + BOB) == (200, "Ok")
        captured = jar(browser)
        for _ in range(5):
            results = await asyncio.gather(
                *[fetch(browser, "GET", supervisor.url + "/admin") for _ in range(8)]
            )
            assert set(results) == {(200, "Admin Page")}
        assert await fetch(browser, "GET", supervisor.url + "/logout") == (200, "Ok")
        results = await asyncio.gather(
            *[fetch(browser, "GET", supervisor.url + "/admin", cookies=captured) for _ in range(16)]
        )
        assert {status for status, _ in results} == {403}  # revoked on every worker

        def served_by() -> set[int]:
            return {int(pid) for pid in re.findall(r"worker=<(\d+)>", supervisor.output())}

        # Which worker accepts a connection is the scheduler's choice, and a hot
        # worker can win a whole run; more bursts, bounded in time, until two served.
        deadline = time.monotonic() + 20
        while len(served_by()) < 2 and time.monotonic() < deadline:
            await asyncio.gather(*[fetch(browser, "GET", supervisor.url + "/") for _ in range(16)])
            await asyncio.sleep(0.05)
    assert served_by() <= set(workers)
    assert len(served_by()) >= 2, supervisor.output()[-2000:]


async def test_stopping_the_supervisor_stops_every_worker(cluster):
    supervisor, workers = cluster
    supervisor.process.send_signal(signal.SIGTERM)
    assert supervisor.process.wait(timeout=15) == 0
    assert all(gone(pid) for pid in workers)


async def test_a_worker_that_dies_takes_the_service_down(cluster):
    supervisor, workers = cluster
    os.kill(workers[0], signal.SIGKILL)
    assert supervisor.process.wait(timeout=15) == 1
    assert all(gone(pid) for pid in workers)
    assert "exited (code -9): stopping the others" in supervisor.output()
