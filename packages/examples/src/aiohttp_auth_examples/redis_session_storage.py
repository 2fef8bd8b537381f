"""aiohttp-session's ``RedisStorage``, adjusted for a login that several workers share.

Sessions in Redis are what lets a login made on one worker be seen by all
of them, and a logout on one end the session everywhere.  Three things the
stock ``RedisStorage`` does differently, and why this subclass changes them:

* **Logout deletes the record.**  The stock storage overwrites an
  invalidated session with ``{}`` under the same id (with no expiry when
  ``max_age`` is ``None``); here the key is deleted, so nothing of the login
  is left on the server (SECURITY G2).
* **Every record expires.**  Records are written with a TTL (``ttl``: the
  ticket's lifetime, after which the ticket inside is useless anyway), so
  the store stays bounded whatever the traffic, while the browser cookie can
  stay a session cookie (``max_age=None``).
* **Redis being unreachable fails closed.**  A session that cannot be read
  is an empty one, so the request is anonymous (logged at WARNING), never an
  error page on every public route and never a grant.  A session that cannot
  be *written* (a login or logout during the outage) answers 503: the change
  did not happen, and the client is told so.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_session import Session
from aiohttp_session.redis_storage import RedisStorage
from redis.exceptions import RedisError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["SharedRedisStorage"]

_log = logging.getLogger("aiohttp_auth_examples")


class SharedRedisStorage(RedisStorage):
    """Session ids in an HttpOnly cookie, session data in Redis under ``<cookie_name>_<id>``."""

    def __init__(self, client: Redis, *, ttl: int, cookie_name: str = "AIOHTTP_SESSION") -> None:
        super().__init__(client, cookie_name=cookie_name, httponly=True, samesite="Lax")
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        self._client = client
        self._ttl = ttl

    def record_key(self, session_id: str) -> str:
        """The Redis key of a session id (tests and operators look records up with it)."""
        return f"{self.cookie_name}_{session_id}"

    async def load_session(self, request: web.Request) -> Session:
        try:
            return await super().load_session(request)
        except RedisError as exc:
            _log.warning("session store unreachable (%s): request is anonymous", type(exc).__name__)
            return Session(None, data=None, new=True, max_age=self.max_age)

    async def save_session(
        self, request: web.Request, response: web.StreamResponse, session: Session
    ) -> None:
        session_id = session.identity
        try:
            if session.empty:
                if isinstance(session_id, str):
                    await self._client.delete(self.record_key(session_id))
                self.save_cookie(response, "", max_age=session.max_age)
                return
            if not isinstance(session_id, str):
                session_id = secrets.token_urlsafe(32)  # a new session: fresh, unguessable id
            data = self._encoder(self._get_session_data(session))
            await self._client.set(self.record_key(session_id), data, ex=self._ttl)
        except RedisError as exc:
            _log.warning("session store unreachable (%s): change not saved", type(exc).__name__)
            raise web.HTTPServiceUnavailable(text="Session store unavailable, try again") from None
        self.save_cookie(response, session_id, max_age=session.max_age)
