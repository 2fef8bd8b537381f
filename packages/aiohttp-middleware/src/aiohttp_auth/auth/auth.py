"""The authentication middleware and the functions handlers call.

The middleware gives every request a state object holding the policy; the
identity is computed lazily, once, by ``get_auth``.  What the request decided
(log in, log out, reissue) reaches the response through the policy's
``process_response``, which runs exactly once and always before the headers
go out: after a returned response, on a raised ``HTTPException`` (so
``remember()`` then ``raise HTTPFound`` keeps its cookie), and for streamed
or WebSocket responses from ``on_response_prepare``.  An unhandled exception
skips it: a 500 never carries a login.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..log_hygiene import protect_aiohttp_logs
from ._state import AUTH_APP_POLICY_KEY, AUTH_STATE_KEY, AuthState, state_of
from .abstract_auth import AbstractAuthentication
from .user_ids import check_user_id

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler, Middleware

__all__ = [
    "auth_middleware",
    "auth_middleware_index",
    "forget",
    "get_auth",
    "is_auth_installed",
    "remember",
    "setup",
]

logger = logging.getLogger("aiohttp_auth.auth")

#: Middlewares made by ``auth_middleware``, so ``is_auth_installed`` can spot them.
_OUR_MIDDLEWARES: weakref.WeakSet[Any] = weakref.WeakSet()


def check_policy(policy: object) -> AbstractAuthentication:
    if not isinstance(policy, AbstractAuthentication):
        raise TypeError(
            "auth policy must be an instance of aiohttp_auth.auth.AbstractAuthentication "
            f"(for example CookieTktAuthentication), got {type(policy).__name__}"
        )
    return policy


def auth_middleware(policy: AbstractAuthentication) -> Middleware:
    """Return the authentication middleware for ``policy``.

    The policy type is checked here, when the application is built, and
    the policy's credentials are kept out of aiohttp's logs as by ``setup``.
    ``setup`` is preferred: it also delivers cookies on streamed and
    WebSocket responses and runs the policy's startup checks.
    """
    checked = check_policy(policy)
    _protect_logs(checked)
    return _make_middleware(checked, None)


def _protect_logs(policy: AbstractAuthentication) -> None:
    """aiohttp logs unparsable requests with their header bytes: keep our tickets out.

    The cookie name, and a header policy's scheme: aiohttp may log a long
    header's value without its name.
    """
    scheme = getattr(policy, "scheme", None)
    protect_aiohttp_logs(
        getattr(policy, "cookie_name", None), scheme=scheme if isinstance(scheme, str) else None
    )


def _make_middleware(
    policy: AbstractAuthentication, also: tuple[web.RequestKey[Any], Any] | None
) -> Middleware:
    """The middleware; ``also`` is one more request key it sets (``aiohttp_auth.setup``
    hands the authorization policy over this way instead of adding a middleware)."""

    @web.middleware
    async def auth_middleware_handler(request: web.Request, handler: Handler) -> web.StreamResponse:
        state = AuthState(policy)
        request[AUTH_STATE_KEY] = state
        if also is not None:
            request[also[0]] = also[1]
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if not exc.prepared and not state.finished:
                state.finished = True
                await policy.process_response(request, exc)
            raise
        except BaseException:
            state.finished = True  # a 500 (or a cancelled request) never carries a login
            raise
        if state.finished:  # on_response_prepare ran process_response (a streamed response)
            return response
        state.finished = True
        if not response.prepared:
            await policy.process_response(request, response)
        elif state.changed:
            logger.warning(
                "remember()/forget() on a streamed response was dropped: install "
                "authentication with aiohttp_auth.auth.setup(app, policy) so it is "
                "written before the headers go out"
            )
        return response

    _OUR_MIDDLEWARES.add(auth_middleware_handler)
    return auth_middleware_handler


async def _on_response_prepare(request: web.BaseRequest, response: web.StreamResponse) -> None:
    """Write the auth decision into streamed responses before their headers go out.

    For a returned response the middleware has already run ``process_response``
    (``finished``): then only the "headers are out" mark is left to set.
    """
    try:
        state = request[AUTH_STATE_KEY]
    except KeyError:
        return  # not a request our middleware saw
    if not state.finished:
        state.finished = True
        await state.policy.process_response(request, response)  # type: ignore[arg-type]
    state.prepared = True


async def _check_at_startup(app: web.Application) -> None:
    app[AUTH_APP_POLICY_KEY].check_app(app)


def setup(app: web.Application, policy: AbstractAuthentication) -> None:
    """Install authentication on ``app``.

    ``TypeError`` for a policy of the wrong type, ``RuntimeError`` when
    called twice on one application; the policy's own checks (for example
    "the session middleware must come first") run at startup.
    """
    install(app, policy, None)


def install(
    app: web.Application, policy: object, also: tuple[web.RequestKey[Any], Any] | None
) -> None:
    """``setup``, with one more request key for the middleware to set (see ``_make_middleware``)."""
    checked = check_policy(policy)
    if AUTH_APP_POLICY_KEY in app:
        raise RuntimeError("aiohttp_auth.auth.setup() was already called for this application")
    app[AUTH_APP_POLICY_KEY] = checked
    _protect_logs(checked)
    app.middlewares.append(_make_middleware(checked, also))
    app.on_response_prepare.append(_on_response_prepare)
    app.on_startup.append(_check_at_startup)


def auth_middleware_index(app: web.Application) -> int | None:
    """Position of our middleware in ``app.middlewares`` (``None``: not there)."""
    for index, middleware in enumerate(app.middlewares):
        if middleware in _OUR_MIDDLEWARES:
            return index
    return None


def is_auth_installed(app: web.Application) -> bool:
    """Return whether ``setup`` ran on ``app`` or its middleware list holds ours."""
    if AUTH_APP_POLICY_KEY in app:
        return True
    return auth_middleware_index(app) is not None


async def get_auth(request: web.Request) -> Any:
    """Return the identity of this request, or ``None`` for anonymous.

    Asked of the policy once per request and cached, ``None`` included;
    ``remember``/``forget`` update the cached value.  An empty string is
    never an identity.
    """
    try:
        state = request[AUTH_STATE_KEY]
    except KeyError:
        state = state_of(request)  # raises the RuntimeError that says what to install
    if not state.identity_known:
        identity = await state.policy.get(request)
        state.identity = None if identity == "" else identity
        state.identity_known = True
    return state.identity


def _check_not_prepared(state: AuthState, what: str) -> None:
    if state.prepared:
        raise RuntimeError(
            f"{what} called after the response headers were sent (StreamResponse.prepare() "
            "or WebSocketResponse.prepare()): call it before prepare()"
        )


async def remember(request: web.Request, user_id: str, **options: Any) -> None:
    """Log ``user_id`` in: the response will carry a fresh ticket.

    ``TypeError``/``ValueError`` for a user id that cannot be remembered
    (not a str, empty, control characters, too long); ``RuntimeError`` when
    the middleware is missing or the response was already prepared.
    Keyword ``options`` go to the policy (ticket policies take ``tokens``
    and ``user_data``).
    """
    state = state_of(request)
    check_user_id(user_id)
    _check_not_prepared(state, "remember()")
    await state.policy.remember(request, user_id, **options)
    state.identity = user_id
    state.identity_known = True
    state.changed = True


async def forget(request: web.Request) -> None:
    """Log the client out: the response will delete its ticket.

    ``RuntimeError`` when the middleware is missing or the response was
    already prepared.
    """
    state = state_of(request)
    _check_not_prepared(state, "forget()")
    await state.policy.forget(request)
    state.identity = None
    state.identity_known = True
    state.changed = True
