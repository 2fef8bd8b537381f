"""Authentication: who is making this request.

The seed API of ``aiohttp_auth.auth`` (``setup``, ``auth_middleware``,
``get_auth``, ``remember``, ``forget``, ``auth_required`` and the policies)
on modern aiohttp, plus ``HeaderTktAuthentication`` for API clients and
``ticket_info`` / ``issued_ticket`` to look at this request's ticket.
``SessionTktAuthentication`` exists only when aiohttp-session is installed
(extra ``session``); importing this package never fails without it.
"""

import importlib.util

from .abstract_auth import AbstractAuthentication
from .auth import auth_middleware, forget, get_auth, remember, setup
from .cookie_options import CookieOptions
from .cookie_ticket_auth import CookieTktAuthentication
from .decorators import auth_required
from .header_ticket_auth import HeaderTktAuthentication
from .revocation import MemoryRevocationStore, RevocationStore
from .ticket_auth import TktAuthentication
from .ticket_state import issued_ticket, ticket_info

__all__ = [
    "AbstractAuthentication",
    "CookieOptions",
    "CookieTktAuthentication",
    "HeaderTktAuthentication",
    "MemoryRevocationStore",
    "RevocationStore",
    "TktAuthentication",
    "auth_middleware",
    "auth_required",
    "forget",
    "get_auth",
    "issued_ticket",
    "remember",
    "setup",
    "ticket_info",
]

if importlib.util.find_spec("aiohttp_session") is not None:  # the optional extra `session`
    from .session_ticket_auth import SessionTktAuthentication

    __all__ += ["SessionTktAuthentication"]

if importlib.util.find_spec("redis") is not None:  # the optional extra `redis`
    from .redis_revocation import RedisRevocationStore

    __all__ += ["RedisRevocationStore"]
