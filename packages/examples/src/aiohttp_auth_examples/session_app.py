"""The getting-started app with the ticket kept in an aiohttp-session session.

Same routes, users and ACL as :mod:`aiohttp_auth_examples.getting_started`;
only the ticket storage differs: ``SessionTktAuthentication`` keeps the
signed ticket inside the session instead of in its own cookie.  Login starts
a new session (a session id planted before login never becomes
authenticated) and logout invalidates it on the server.

aiohttp-session's middleware must run before the auth middleware, which is
why it is passed as an *extra* middleware (they run first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_session import session_middleware

from aiohttp_auth import auth

from .getting_started import create_app as create_getting_started_app
from .memory_session_storage import MemorySessionStorage

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["STORAGE_KEY", "create_app"]

#: Where the app keeps its session storage, so tests can look inside it.
STORAGE_KEY = web.AppKey("session_storage", MemorySessionStorage)


def create_app(
    secret: bytes | Sequence[bytes], *, max_age: int = 60, include_ip: bool = True
) -> web.Application:
    """Build the session-storage variant of the getting-started app."""
    storage = MemorySessionStorage()
    policy = auth.SessionTktAuthentication(secret, max_age, include_ip=include_ip)
    app = create_getting_started_app(
        secret, auth_policy=policy, extra_middlewares=[session_middleware(storage)]
    )
    app[STORAGE_KEY] = storage
    return app
