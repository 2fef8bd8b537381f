"""``autz_required``: the declarative form of ``autz.permit``.

The context is validated and compiled when the decorator is applied, so a
malformed ACL stops the import instead of turning into a 500 (or a silent
deny) on some later request, and every request reuses the compiled ACL.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from aiohttp import web

from acl_permissions import Decision

from .._handlers import request_from_args
from ..acl._contexts import check_permission, compile_context
from ..auth import get_auth
from .autz import AUTZ_POLICY_KEY, log_denial, policy_of

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable

__all__ = ["autz_required"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def autz_required(
    permission: Hashable, context: Any = None, *, validate: bool = True
) -> Callable[[Callable[_P, Awaitable[_R]]], Callable[_P, Awaitable[_R]]]:
    """Decorate a handler or ``web.View`` method to require ``permission``.

    A request whose identity is not permitted gets ``web.HTTPForbidden``
    (403), anonymous users included: that is the original library's
    behaviour, which applications and their tests rely on.  Use
    ``autz.require`` inside the handler for 401-versus-403.

    Args:
        permission: the permission to require.
        context: an ACL context overriding the policy's global one, or ``None``.
        validate: keyword-only.  ``True`` (default) checks that the
            permission is hashable and compiles ``context`` as an ACL now;
            pass ``False`` when a custom ``AbstractAutzPolicy`` uses a
            context that is not an ACL, to hand it over unchanged.
    """
    if validate:
        check_permission(permission)
        if context is not None:
            context = compile_context(context)

    def decorator(func: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[_R]]:
        @functools.wraps(func)
        async def autz_required_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            request = request_from_args(args)
            # explain(), inlined: this runs on every request of a decorated handler.
            try:
                policy = request[AUTZ_POLICY_KEY]
            except KeyError:
                policy = policy_of(request)  # raises the RuntimeError naming the middleware
            answer = await policy.permit(await get_auth(request), permission, context)
            # A Decision's truth is its `allowed` slot: read it without the __bool__ call.
            if not (answer.allowed if type(answer) is Decision else answer):
                log_denial(request, permission, answer)
                raise web.HTTPForbidden()
            return await func(*args, **kwargs)

        return autz_required_wrapper

    return decorator
