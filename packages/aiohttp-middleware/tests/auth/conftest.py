"""Fixtures shared by the revocation tests of this folder (memory and Redis stores)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from aiohttp_auth import auth


@pytest.fixture
def _start_at_the_real_time(clock: Any) -> None:
    """Redis expires keys by its own clock, so the fake clock starts at the real time."""
    clock.now = float(int(time.time()))


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def store(request: pytest.FixtureRequest, clock: Any) -> Any:
    if request.param == "memory":
        return auth.MemoryRevocationStore(clock=clock)
    return auth.RedisRevocationStore(request.getfixturevalue("redis_client"), clock=clock)
