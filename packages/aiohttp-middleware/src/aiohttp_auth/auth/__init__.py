"""Authentication: who is making this request.

The seed API of ``aiohttp_auth.auth`` (``setup``, ``auth_middleware``,
``get_auth``, ``remember``, ``forget``, ``auth_required`` and the policies)
on modern aiohttp.  ``SessionTktAuthentication`` exists only when
aiohttp-session is installed (extra ``session``); importing this package
never fails without it.
"""

from .abstract_auth import AbstractAuthentication
from .auth import auth_middleware, forget, get_auth, remember, setup
from .decorators import auth_required

__all__ = [
    "AbstractAuthentication",
    "auth_middleware",
    "auth_required",
    "forget",
    "get_auth",
    "remember",
    "setup",
]
