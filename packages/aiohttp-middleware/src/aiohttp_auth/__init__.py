"""Authentication and authorization middleware for aiohttp.

A drop-in for ``aiohttp_auth`` / ``aiohttp_auth_autz``: the same import
paths and names, on modern aiohttp, with the original defects fixed.
``setup(app, auth_policy, autz_policy)`` installs both halves; the
sub-modules ``auth``, ``autz``, ``acl`` and ``permissions`` are attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import acl, auth, autz, permissions
from .__about__ import __version__
from .acl import acl_middleware
from .auth import auth_middleware
from .autz import autz_middleware

if TYPE_CHECKING:
    from aiohttp import web

    from .auth import AbstractAuthentication
    from .autz.abc import AbstractAutzPolicy

__all__ = [
    "__version__",
    "acl",
    "acl_middleware",
    "auth",
    "auth_middleware",
    "autz",
    "autz_middleware",
    "permissions",
    "setup",
]


def setup(
    app: web.Application,
    auth_policy: AbstractAuthentication,
    autz_policy: AbstractAutzPolicy,
) -> None:
    """Install authentication, then authorization, on ``app``.

    Order matters: the authorization middleware asks ``get_auth``, so the
    authentication middleware must run first (outermost).
    """
    auth.setup(app, auth_policy)
    autz.setup(app, autz_policy)
