"""The authorization middleware and the checks handlers call.

The middleware itself only makes the policy reachable from the request
(under a typed ``web.RequestKey``); the work happens when a handler asks,
through ``permit`` (a bool), ``require`` (raise 401/403 or get the
identity), ``explain`` (the policy's own answer, for logs) or the
``autz_required`` decorator.  The identity always comes from
``aiohttp_auth.auth.get_auth``, so authentication and authorization can
never disagree about who is asking.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..auth import get_auth
from ..auth.auth import is_auth_installed
from .abc import AbstractAutzPolicy

if TYPE_CHECKING:
    from collections.abc import Hashable

    from aiohttp.typedefs import Handler, Middleware

__all__ = ["AUTZ_POLICY_KEY", "autz_middleware", "explain", "permit", "require", "setup"]

logger = logging.getLogger("aiohttp_auth.autz")

#: Where the middleware puts the policy for the duration of a request.
AUTZ_POLICY_KEY: web.RequestKey[AbstractAutzPolicy] = web.RequestKey(
    "aiohttp_auth.autz.policy", AbstractAutzPolicy
)
#: The policy ``setup`` installed on an application (also the "set up twice" guard).
AUTZ_APP_POLICY_KEY: web.AppKey[AbstractAutzPolicy] = web.AppKey(
    "aiohttp_auth.autz.app_policy", AbstractAutzPolicy
)


def check_policy(autz_policy: object) -> AbstractAutzPolicy:
    if not isinstance(autz_policy, AbstractAutzPolicy):
        raise TypeError(
            "autz policy must be an instance of aiohttp_auth.autz.abc.AbstractAutzPolicy "
            f"(for ACLs: a subclass of aiohttp_auth.autz.policy.acl.AbstractACLAutzPolicy), "
            f"got {type(autz_policy).__name__}"
        )
    return autz_policy


def autz_middleware(autz_policy: AbstractAutzPolicy) -> Middleware:
    """Return the middleware that makes ``autz_policy`` available to handlers.

    The policy type is checked here, when the application is built.  The
    authentication middleware must be installed as well; ``setup`` checks
    that at startup, a bare middleware list is checked by ``get_auth`` when
    a handler first asks (a ``RuntimeError`` naming ``auth_middleware``).
    """
    policy = check_policy(autz_policy)

    @web.middleware
    async def autz_middleware_handler(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[AUTZ_POLICY_KEY] = policy
        return await handler(request)

    return autz_middleware_handler


def setup(
    app: web.Application, autz_policy: AbstractAutzPolicy, *, check_auth: bool = True
) -> None:
    """Install authorization on ``app``.

    Raises ``TypeError`` for a policy of the wrong type and ``RuntimeError``
    when called twice on one application.  At startup, a ``RuntimeError``
    stops the application if no authentication middleware is installed:
    a missing piece is a deployment error, not something to discover on the
    first request.  ``check_auth=False`` skips that check for a sub-application
    whose parent installs authentication (a sub-application cannot see its
    parent); a request then still fails closed if it is really missing.
    """
    app.middlewares.append(autz_middleware(register(app, autz_policy, check_auth=check_auth)))


def register(
    app: web.Application, autz_policy: object, *, check_auth: bool = True
) -> AbstractAutzPolicy:
    """``setup`` without the middleware: check, record on ``app``, schedule the startup check.

    ``aiohttp_auth.setup`` uses it and lets the authentication middleware put
    the policy on each request (one middleware less on every request).
    """
    policy = check_policy(autz_policy)
    if AUTZ_APP_POLICY_KEY in app:
        raise RuntimeError("aiohttp_auth.autz.setup() was already called for this application")
    app[AUTZ_APP_POLICY_KEY] = policy
    if check_auth:
        app.on_startup.append(_require_auth_at_startup)
    return policy


async def _require_auth_at_startup(app: web.Application) -> None:
    if not is_auth_installed(app):
        raise RuntimeError(
            "autz_middleware needs auth_middleware: call aiohttp_auth.auth.setup(app, auth_policy) "
            "as well, or aiohttp_auth.setup(app, auth_policy, autz_policy) for both "
            "(on a sub-application whose parent has it: autz.setup(..., check_auth=False))"
        )


def policy_of(request: web.Request) -> AbstractAutzPolicy:
    try:
        return request[AUTZ_POLICY_KEY]
    except KeyError:
        raise RuntimeError(
            "autz_middleware not installed: call aiohttp_auth.autz.setup(app, autz_policy) "
            "or aiohttp_auth.setup(app, auth_policy, autz_policy)"
        ) from None


async def _ask(request: web.Request, permission: Hashable, context: Any) -> tuple[Any, object]:
    """Return ``(identity, the policy's answer)`` for this request."""
    policy = policy_of(request)
    identity = await get_auth(request)
    return identity, await policy.permit(identity, permission, context)


async def permit(request: web.Request, permission: Hashable, context: Any = None) -> bool:
    """Return whether the request's identity holds ``permission`` (a real ``bool``).

    ``context`` overrides the policy's global context for this call.
    Raises ``RuntimeError`` naming the middleware that is missing.
    """
    policy = policy_of(request)
    return bool(await policy.permit(await get_auth(request), permission, context))


async def explain(request: web.Request, permission: Hashable, context: Any = None) -> object:
    """Return the policy's own answer, for logs and debugging.

    For ACL policies this is an ``acl_permissions.Decision``: truthy when
    allowed, and ``str()`` of it names the entry that decided (or says that
    nothing matched).  Custom policies return whatever their ``permit`` does.
    """
    # The path of every decorated handler (autz_required): no layer in between.
    policy = policy_of(request)
    return await policy.permit(await get_auth(request), permission, context)


async def require(request: web.Request, permission: Hashable, context: Any = None) -> Any:
    """Return the identity if it holds ``permission``; otherwise raise.

    Unlike ``autz_required`` (which answers 403 to everyone, as the original
    did), this tells the two failures apart: ``web.HTTPUnauthorized`` (401)
    when nobody is logged in, so a client knows to log in, and
    ``web.HTTPForbidden`` (403) when the logged-in user may not.  When the
    permission is granted to anonymous users too, the identity returned is
    ``None``.
    """
    identity, answer = await _ask(request, permission, context)
    if answer:
        return identity
    log_denial(request, permission, answer)
    if identity is None:
        raise web.HTTPUnauthorized()
    raise web.HTTPForbidden()


def log_denial(request: web.Request, permission: Hashable, answer: object) -> None:
    """Record why a request was refused, at DEBUG: denials are routine, not incidents."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "denied %s %r permission %r: %s", request.method, request.path, permission, answer
        )
