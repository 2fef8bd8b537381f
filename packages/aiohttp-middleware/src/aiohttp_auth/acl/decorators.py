"""``acl_required``: the declarative form of ``acl.get_permitted``.

A context given as a sequence is validated and compiled once, when the
decorator is applied (a malformed ACL fails at import, not as a 500 later).
A context given as a zero-argument callable is called on every request and
its result validated then: it exists for ACLs that change at run time, so
its value must never be cached across requests.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from aiohttp import web

from acl_permissions import CompiledACL, permits

from .._handlers import request_from_args
from ._contexts import check_permission, compile_context
from .acl import get_user_groups

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable

__all__ = ["acl_required"]

logger = logging.getLogger("aiohttp_auth.acl")

_P = ParamSpec("_P")
_R = TypeVar("_R")


def acl_required(
    permission: Hashable, context: Any
) -> Callable[[Callable[_P, Awaitable[_R]]], Callable[_P, Awaitable[_R]]]:
    """Decorate a handler or ``web.View`` method to require ``permission``.

    Args:
        permission: the permission to require (hashable; checked now).
        context: a sequence of ``(action, group, permissions)`` entries, a
            compiled ACL, or a zero-argument callable returning either,
            evaluated per request.

    Denied requests (anonymous ones included) get ``web.HTTPForbidden``.
    """
    check_permission(permission)
    get_acl: Callable[[], object]
    if callable(context) and not (isinstance(context, CompiledACL) or hasattr(context, "__acl__")):
        context_factory: Callable[[], Any] = context

        def get_acl() -> object:
            return compile_context(context_factory())

    else:
        compiled = compile_context(context)

        def get_acl() -> object:
            return compiled

    def decorator(func: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[_R]]:
        @functools.wraps(func)
        async def acl_required_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            request = request_from_args(args)
            acl = get_acl()
            groups = await get_user_groups(request)
            decision = permits(acl, groups, permission) if groups is not None else None
            if not decision:
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug(
                        "denied %s %r permission %r: %s",
                        request.method,
                        request.path,
                        permission,
                        decision if decision is not None else "groups callback returned None",
                    )
                raise web.HTTPForbidden()
            return await func(*args, **kwargs)

        return acl_required_wrapper

    return decorator
