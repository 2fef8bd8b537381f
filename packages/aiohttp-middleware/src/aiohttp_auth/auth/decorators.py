"""``auth_required``: refuse anonymous requests with 401.

Works on plain handlers and on ``web.View`` methods (the request is found by
``aiohttp_auth._handlers.request_from_args``), passes keyword arguments
through (the original dropped them: COMPAT bug 13) and keeps the wrapped
function's metadata.  Usable bare (``@auth_required``) or called
(``@auth_required()``).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

from aiohttp import web

from .._handlers import request_from_args
from .auth import get_auth

__all__ = ["auth_required"]

_F = TypeVar("_F", bound=Callable[..., Awaitable[Any]])


def _wrap(func: _F) -> _F:
    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        request = request_from_args(args)
        if await get_auth(request) is None:
            raise web.HTTPUnauthorized()
        return await func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@overload
def auth_required(func: _F) -> _F: ...
@overload
def auth_required(func: None = None) -> Callable[[_F], _F]: ...
def auth_required(func: _F | None = None) -> _F | Callable[[_F], _F]:
    """Decorate a handler so that anonymous requests get ``web.HTTPUnauthorized``."""
    if func is None:
        return _wrap
    if not callable(func):
        raise TypeError(f"auth_required decorates a handler, got {type(func).__name__}")
    return _wrap(func)
