"""Refusing cross-site unsafe requests: the login-CSRF defence the examples use.

``SameSite=Lax`` keeps the auth cookie off cross-site POSTs, which protects
requests made *as* a logged-in user.  It does nothing against login CSRF: a
form on another site that posts the attacker's credentials to ``/login``
logs the victim into the attacker's account.  Browsers say where a request
comes from, so the check is cheap:

* ``Sec-Fetch-Site`` (all current browsers): only ``same-origin`` and
  ``none`` (typed into the address bar) are accepted for unsafe methods;
* otherwise ``Origin``: when present it must be this server's origin.

Requests with neither header (curl, scripts, old browsers) pass: they are
not made by a browser on someone else's behalf.  The library leaves this to
the application on purpose: which endpoints are forms, and which origins
are one's own, is application knowledge.

GET is safe by definition, but the original document logs people in (and
out) on GET, and its transcript pins those routes.  A link on another site
to ``/login?username=...&password=...`` is then a login CSRF that no
POST-only check sees (the browser tests showed Chromium following such a
link logged in), so the handlers that change state on GET are marked with
:func:`changes_state` and get the same check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web
from yarl import URL

if TYPE_CHECKING:
    from collections.abc import Awaitable

__all__ = ["SAFE_METHODS", "changes_state", "reject_cross_site_posts"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SAME_SITE_FETCH = frozenset({"same-origin", "none"})
_CHANGES_STATE = "_changes_state_on_safe_methods"

Handler = TypeVar("Handler", bound=Callable[..., Any])


def changes_state(handler: Handler) -> Handler:
    """Mark a route handler whose safe-method requests change state (a login on GET).

    Put it outermost, on the function the route is registered with: the
    middleware finds it through ``request.match_info.handler``.
    """
    setattr(handler, _CHANGES_STATE, True)
    return handler


def _origin_of(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def is_cross_site(request: web.Request) -> bool:
    """True when the browser told us this request was started by another site.

    An ``Origin`` that does not parse (``http://[::1``, a port above 65535)
    counts as cross-site: no browser sends one, so it is forged, and it is
    not this server's origin.  Refusing it keeps the check fail-closed and
    answers the same 403 as any other cross-site request, instead of letting
    the parser's ``ValueError`` become a 500 and a traceback in the log.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.lower() not in _SAME_SITE_FETCH
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin == "null":  # sandboxed frames and some redirects: never our own page
        return True
    try:
        parsed = URL(origin)
    except ValueError:  # includes UnicodeError (a host IDNA cannot encode)
        return True
    return f"{parsed.scheme}://{parsed.raw_authority}" != _origin_of(request)


@web.middleware
async def reject_cross_site_posts(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Answer 403 to a cross-site request that would change state, before any handler runs.

    That is every unsafe method, and safe methods on handlers marked with
    :func:`changes_state`.
    """
    if (
        request.method not in SAFE_METHODS
        or getattr(request.match_info.handler, _CHANGES_STATE, False)
    ) and is_cross_site(request):
        raise web.HTTPForbidden(text="cross-site request refused")
    return await handler(request)
