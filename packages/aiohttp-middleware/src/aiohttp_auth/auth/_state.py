"""Per-request and per-application state of the authentication middleware.

Everything lives under typed ``web.RequestKey`` / ``web.AppKey`` keys (string
keys are deprecated in aiohttp 3.14).  One mutable object per request keeps
the cached identity and the lifecycle flags together, so ``get_auth``,
``remember``, ``forget`` and the response hooks cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .abstract_auth import AbstractAuthentication

if TYPE_CHECKING:
    from .ticket_state import TicketRequestState

__all__ = ["AUTH_APP_POLICY_KEY", "AUTH_STATE_KEY", "AuthState", "state_of"]


@dataclass(slots=True)
class AuthState:
    """What the middleware knows about one request."""

    policy: AbstractAuthentication
    #: ``identity`` is meaningful (``None`` is a valid cached answer).
    identity_known: bool = False
    identity: Any = None
    #: ``remember`` or ``forget`` ran in this request.
    changed: bool = False
    #: ``process_response`` ran, or must not run (unhandled exception).
    finished: bool = False
    #: the response headers have gone out: changing the identity is too late.
    prepared: bool = False
    #: a ticket policy's per-request state (``ticket_state``), kept here rather
    #: than under a request key of its own: one dict write less per request.
    ticket: TicketRequestState | None = None


AUTH_STATE_KEY: web.RequestKey[AuthState] = web.RequestKey("aiohttp_auth.auth.state", AuthState)
AUTH_APP_POLICY_KEY: web.AppKey[AbstractAuthentication] = web.AppKey(
    "aiohttp_auth.auth.policy", AbstractAuthentication
)

_NOT_INSTALLED = (
    "auth_middleware not installed: call aiohttp_auth.auth.setup(app, auth_policy) "
    "(or aiohttp_auth.setup(app, auth_policy, autz_policy)) before the app starts"
)


def state_of(request: web.Request) -> AuthState:
    """Return this request's state; ``RuntimeError`` saying what to install if none."""
    try:
        return request[AUTH_STATE_KEY]
    except KeyError:
        raise RuntimeError(_NOT_INSTALLED) from None
