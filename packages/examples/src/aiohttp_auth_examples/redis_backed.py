"""The example apps with their shared state in Redis, for several workers or machines.

A signed ticket needs no server state, so the plain cookie app already works
on any number of workers that share the secret list.  What a single process
kept in memory has to move somewhere every worker sees:

* **revocation** (``auth.RedisRevocationStore``): a logout on one worker
  must refuse the same ticket on all of them, and "log out everywhere"
  (``POST /logout-everywhere``, added here) must reach every worker;
* **sessions**, for the session variant (:class:`SharedRedisStorage`): a
  login on one worker is a session every worker can load.

Both fail closed when Redis cannot be reached: the request is anonymous
(never a grant, never a 500 on public pages), and a logout or login that
cannot be written answers 503 or 500 instead of pretending it happened.
The client gives up on a dead server after ``timeout`` seconds and retries
a command once on a fresh connection, so service resumes with the first
request after Redis comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_session import session_middleware
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from aiohttp_auth import auth

from . import getting_started
from .redis_session_storage import SharedRedisStorage

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "POLICY_KEY",
    "REDIS_APPS",
    "REDIS_CLIENT_KEY",
    "SESSION_STORAGE_KEY",
    "create_app",
    "logout_everywhere",
]

#: The apps that can keep their state in Redis (the tree app keeps documents in memory).
REDIS_APPS = ("getting-started", "session")

REDIS_CLIENT_KEY = web.AppKey("redis_client", Redis)
POLICY_KEY = web.AppKey("auth_policy", auth.TktAuthentication)
SESSION_STORAGE_KEY = web.AppKey("redis_session_storage", SharedRedisStorage)


@auth.auth_required
async def logout_everywhere(request: web.Request) -> web.Response:
    """``POST /logout-everywhere``: end every login of this user, on every worker.

    For "I lost my phone" and password changes: every ticket of the user
    issued until now is refused from now on (logging in again works from
    the next second).  This request's own session or cookie is dropped too.
    """
    user_id = await auth.get_auth(request)
    assert isinstance(user_id, str)  # noqa: S101 - auth_required let it through
    await request.app[POLICY_KEY].revoke_user(user_id)
    await auth.forget(request)
    return web.Response(text="Ok")


def connect(redis_url: str, *, timeout: float = 1.0) -> Redis:
    """A client that fails fast when Redis is down and reconnects once after a restart."""
    return Redis.from_url(
        redis_url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1),
    )


def create_app(
    name: str,
    secret: bytes | Sequence[bytes],
    redis_url: str,
    *,
    max_age: int = 60,
    skew: int = 60,
    include_ip: bool = True,
) -> web.Application:
    """Build app ``name`` (one of :data:`REDIS_APPS`) with revocation (and sessions) in Redis.

    ``secret`` is one secret or a list, newest first (key rotation).
    Revocations and session records expire after ``max_age + skew``
    seconds, when no ticket they concern can still be valid.
    """
    if name not in REDIS_APPS:
        raise ValueError(f"--redis works with {', '.join(REDIS_APPS)}, not {name!r}")
    client = connect(redis_url)
    revocation = auth.RedisRevocationStore(client)
    policy: auth.TktAuthentication
    if name == "session":
        storage = SharedRedisStorage(client, ttl=max_age + skew)
        policy = auth.SessionTktAuthentication(
            secret, max_age, include_ip=include_ip, skew=skew, revocation=revocation
        )
        app = getting_started.create_app(
            secret, auth_policy=policy, extra_middlewares=[session_middleware(storage)]
        )
        app[SESSION_STORAGE_KEY] = storage
    else:
        policy = auth.CookieTktAuthentication(
            secret, max_age, include_ip=include_ip, skew=skew, revocation=revocation
        )
        app = getting_started.create_app(secret, auth_policy=policy)
    app[REDIS_CLIENT_KEY] = client
    app[POLICY_KEY] = policy
    app.router.add_post("/logout-everywhere", logout_everywhere)

    async def close_client(app: web.Application) -> None:
        await app[REDIS_CLIENT_KEY].aclose()

    app.on_cleanup.append(close_client)
    return app
