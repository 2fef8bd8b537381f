"""The contract every authentication policy fulfils.

The original declared these methods with ``abc.abstractmethod`` on a plain
class, so nothing stopped a half-written policy from being installed and
failing on the first request.  Here it is a real ABC: a policy that forgets
a method cannot even be instantiated.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["AbstractAuthentication"]


class AbstractAuthentication(abc.ABC):
    """Base class of authentication policies (``remember``/``forget``/``get``)."""

    @abc.abstractmethod
    async def remember(self, request: web.Request, user_id: str) -> None:
        """Store ``user_id`` as the identity of the client making ``request``."""

    @abc.abstractmethod
    async def forget(self, request: web.Request) -> None:
        """Drop the identity of the client making ``request`` (logout)."""

    @abc.abstractmethod
    async def get(self, request: web.Request) -> Any:
        """Return the identity proven by ``request``, or ``None`` for anonymous.

        Called at most once per request: ``aiohttp_auth.auth.get_auth``
        caches the answer, ``None`` included.
        """

    async def process_response(  # noqa: B027  # optional hook, empty on purpose
        self, request: web.Request, response: web.StreamResponse
    ) -> None:
        """Write whatever the request decided (cookies, headers) into ``response``.

        Called exactly once per request, before the response headers are
        sent: for returned and raised responses by the middleware, and for
        streamed responses from ``on_response_prepare`` (installed by
        ``aiohttp_auth.auth.setup``).  Not called when the handler failed
        with an unhandled exception.  The default does nothing.
        """

    def check_app(self, app: web.Application) -> None:  # noqa: B027  # optional hook
        """Raise ``RuntimeError`` if ``app`` lacks something this policy needs.

        Run at application startup by ``aiohttp_auth.auth.setup`` so that a
        missing piece (for example the aiohttp-session middleware) stops the
        deployment instead of failing the first request.  The default checks
        nothing.
        """
