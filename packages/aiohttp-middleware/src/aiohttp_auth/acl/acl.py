"""The older ACL middleware: a groups callback and per-call ACL contexts.

This is the first authorization API of ``aiohttp_auth`` (before the policy
based ``autz``), kept because applications still use it.  The middleware
makes the callback reachable from the request; ``get_user_groups`` asks it
once per request and caches the answer under a typed ``web.RequestKey``, so
a handler that checks several permissions costs one callback call.  The
evaluation itself (first match decides, default deny, no substring matches,
a ``str`` of groups refused) is ``acl_permissions``'s.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from acl_permissions import permits, principals_for

from ..auth import get_auth
from ..auth.auth import is_auth_installed
from ._contexts import check_permission, compile_context

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler, Middleware

__all__ = [
    "ACL_CALLBACK_KEY",
    "GroupsCallback",
    "acl_middleware",
    "get_permitted",
    "get_user_groups",
    "setup",
]

#: The callback: ``user_id -> groups | None``, or an awaitable of that.
GroupsCallback = Callable[[Any], "Iterable[Hashable] | Awaitable[Iterable[Hashable] | None] | None"]

#: Where the middleware puts the callback for the duration of a request.
ACL_CALLBACK_KEY: web.RequestKey[GroupsCallback] = web.RequestKey(
    "aiohttp_auth.acl.callback",
    object,  # type: ignore[arg-type]  # a callable, not a class
)


class _GroupsCache:
    """This request's groups once computed (``None`` is a valid answer), and for whom.

    The identity is kept because a handler may call ``forget()`` or
    ``remember()`` and then check a permission again: the groups of the
    identity the request had before must not answer for the new one.
    """

    __slots__ = ("groups", "user_id")

    def __init__(self, user_id: Any, groups: frozenset[Hashable] | None) -> None:
        self.user_id = user_id
        self.groups = groups


_GROUPS_CACHE_KEY: web.RequestKey[_GroupsCache] = web.RequestKey(
    "aiohttp_auth.acl.groups", _GroupsCache
)
_APP_INSTALLED_KEY: web.AppKey[bool] = web.AppKey("aiohttp_auth.acl.installed", bool)


def _check_callback(callback: object) -> GroupsCallback:
    if not callable(callback):
        raise TypeError(
            "the ACL groups callback must be callable (user_id -> groups or None), "
            f"got {type(callback).__name__}"
        )
    return callback


def acl_middleware(callback: GroupsCallback) -> Middleware:
    """Return the middleware that makes ``callback`` available to handlers.

    ``callback(user_id)`` returns the user's groups (sync or awaitable): a
    collection of hashable groups, or ``None`` to deny that user everything.
    """
    groups_callback = _check_callback(callback)

    @web.middleware
    async def acl_middleware_handler(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[ACL_CALLBACK_KEY] = groups_callback
        return await handler(request)

    return acl_middleware_handler


def setup(
    app: web.Application, groups_callback: GroupsCallback, *, check_auth: bool = True
) -> None:
    """Install the ACL middleware on ``app``.

    ``TypeError`` for a callback that is not callable, ``RuntimeError`` when
    called twice; at startup, ``RuntimeError`` if the authentication
    middleware is missing (the groups depend on who is logged in).
    ``check_auth=False`` skips that check, for a sub-application whose
    parent installs authentication.
    """
    callback = _check_callback(groups_callback)
    if _APP_INSTALLED_KEY in app:
        raise RuntimeError("aiohttp_auth.acl.setup() was already called for this application")
    app[_APP_INSTALLED_KEY] = True
    app.middlewares.append(acl_middleware(callback))
    if check_auth:
        app.on_startup.append(_require_auth_at_startup)


async def _require_auth_at_startup(app: web.Application) -> None:
    if not is_auth_installed(app):
        raise RuntimeError(
            "acl_middleware needs auth_middleware: call aiohttp_auth.auth.setup(app, auth_policy) "
            "as well (on a sub-application whose parent has it: acl.setup(..., check_auth=False))"
        )


async def get_user_groups(request: web.Request) -> frozenset[Hashable] | None:
    """Return the request's groups, extended, or ``None`` (denied everything).

    The callback's groups plus ``Group.Everyone``, and
    ``Group.AuthenticatedUser`` when someone is logged in; never the user id
    itself.  Computed once per request.  Raises ``RuntimeError`` without the
    middleware, ``TypeError`` when the callback returns a bare string, and
    whatever the callback raises (nothing is cached then).  Asked again
    after ``remember()`` or ``forget()`` changed the identity, it asks the
    callback again.
    """
    try:
        callback = request[ACL_CALLBACK_KEY]
    except KeyError:
        raise RuntimeError(
            "acl_middleware not installed: call aiohttp_auth.acl.setup(app, groups_callback)"
        ) from None
    user_id = await get_auth(request)  # cached per request, updated by remember()/forget()
    cached: _GroupsCache | None = request.get(_GROUPS_CACHE_KEY)
    if cached is not None and cached.user_id == user_id:
        return cached.groups
    groups = callback(user_id)
    if inspect.isawaitable(groups):
        groups = await groups
    principals = principals_for(user_id, groups)
    request[_GROUPS_CACHE_KEY] = _GroupsCache(user_id, principals)
    return principals


async def get_permitted(request: web.Request, permission: Hashable, context: Any) -> bool:
    """Return whether the request's groups are allowed ``permission`` by ``context``.

    ``context`` is a sequence of ``(action, group, permissions)`` entries (or
    a compiled ACL); the first entry whose group the user holds and whose
    permissions contain ``permission`` decides, no match denies.
    """
    check_permission(permission)
    acl = compile_context(context)
    groups = await get_user_groups(request)
    if groups is None:
        return False
    return bool(permits(acl, groups, permission))
