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
from .auth.auth import check_policy as check_auth_policy
from .auth.auth import install as install_auth
from .autz import autz_middleware
from .autz.autz import AUTZ_POLICY_KEY
from .autz.autz import check_policy as check_autz_policy
from .autz.autz import register as register_autz

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

    The same as ``auth.setup(app, auth_policy)`` then ``autz.setup(app,
    autz_policy)`` (same checks, same errors), with one middleware instead of
    two: the authentication middleware also puts the authorization policy on
    the request, which is all the authorization middleware did, so every
    request is one layer shorter.  Both policy types are checked before the
    app is touched.
    """
    auth_checked = check_auth_policy(auth_policy)
    autz_checked = check_autz_policy(autz_policy)
    install_auth(app, auth_checked, (AUTZ_POLICY_KEY, autz_checked))
    register_autz(app, autz_checked)
