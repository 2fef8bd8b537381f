"""Fixtures of the examples' own tests: a real, private Redis when a test needs one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import redis.asyncio

from aiohttp_auth.testing import redis_server

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path


@pytest.fixture
def redis_srv(tmp_path: Path) -> Iterator[Any]:
    """``aiohttp_auth.testing.RedisServer`` (``url``, ``port``, ``restart()``); always stopped."""
    with redis_server(directory=tmp_path) as server:
        yield server


@pytest.fixture
async def redis_client(redis_srv: Any) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_srv.url)
    try:
        yield client
    finally:
        await client.aclose()
