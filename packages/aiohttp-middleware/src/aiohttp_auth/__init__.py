"""Authentication and authorization middleware for aiohttp.

A drop-in for ``aiohttp_auth`` / ``aiohttp_auth_autz``: the same import
paths and names, on modern aiohttp, with the original defects fixed.
``setup(app, auth_policy, autz_policy)`` installs both halves; the
sub-modules ``auth``, ``autz``, ``acl`` and ``permissions`` are attributes.

The authorization side (``autz``, ``acl``, ``permissions`` and their
middleware factories) is imported on first use, so ``import aiohttp_auth``
for authentication alone stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import auth
from .__about__ import __version__
from .auth import auth_middleware

if TYPE_CHECKING:
    from aiohttp import web

    from . import acl, autz, permissions
    from .acl import acl_middleware
    from .auth import AbstractAuthentication
    from .autz import autz_middleware
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

_LAZY_MODULES = {"acl", "autz", "permissions"}
_LAZY_NAMES = {"acl_middleware": "acl", "autz_middleware": "autz"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        module = importlib.import_module(f".{_LAZY_NAMES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def setup(
    app: web.Application,
    auth_policy: AbstractAuthentication,
    autz_policy: AbstractAutzPolicy,
) -> None:
    """Install authentication, then authorization, on ``app``.

    Order matters: the authorization middleware asks ``get_auth``, so the
    authentication middleware must run first (outermost).
    """
    from . import autz  # noqa: PLC0415  # imported on first use, see the module docstring

    auth.setup(app, auth_policy)
    autz.setup(app, autz_policy)
