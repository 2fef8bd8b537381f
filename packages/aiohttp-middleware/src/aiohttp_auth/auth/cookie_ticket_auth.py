"""``CookieTktAuthentication``: the ticket travels in a cookie (the default storage).

``remember()``/``forget()`` record what the response must do; the cookie is
written in ``process_response``, which the middleware runs before the
headers go out on every path (returned, raised, streamed).  Nothing is
written unless this request logged in, logged out or was due for reissue:
an invalid or expired cookie is left alone (SECURITY J3), so a late
response can never clobber a fresh login.

A Cookie header may carry our name more than once (cookie tossing from a
sibling subdomain).  aiohttp keeps only the last value, so the raw headers
are read instead (``cookie_reading``: one rule, with a fast path for the
usual single cookie); tickets for different users make the request
anonymous (SECURITY A18).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import hdrs, web

from ._state import AUTH_STATE_KEY
from .cookie_options import CookieOptions, vary_on
from .cookie_reading import auth_cookie_candidates, cookie_values
from .ticket_auth import TicketOptions, TktAuthentication
from .ticket_state import find_ticket_state, ticket_state

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typing_extensions import Unpack

__all__ = ["CookieTktAuthentication"]


_DELETE = ""


class CookieTktAuthentication(TktAuthentication):
    """Ticket authentication with the ticket in the cookie named ``cookie_name``.

    Same positional arguments as ``TktAuthentication``; cookie attributes
    are keyword-only: ``secure`` (``None``: automatic, see
    ``cookie_options``), ``httponly`` (True), ``samesite`` ('Lax'),
    ``domain`` (None), ``path`` ('/'), ``persistent`` (False: a session
    cookie; True: ``Max-Age`` follows the ticket's lifetime).
    """

    def __init__(
        self,
        secret: bytes | Sequence[bytes],
        max_age: int,
        reissue_time: int | None = None,
        include_ip: bool = False,
        cookie_name: str = "AUTH_TKT",
        *,
        secure: bool | None = None,
        httponly: bool = True,
        samesite: str | None = "Lax",
        domain: str | None = None,
        path: str = "/",
        persistent: bool = False,
        **ticket_options: Unpack[TicketOptions],
    ) -> None:
        self._cookie = CookieOptions(
            name=cookie_name,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            domain=domain,
            path=path,
            persistent=persistent,
        )
        super().__init__(
            secret,
            max_age,
            reissue_time,
            include_ip,
            cookie_name,
            **ticket_options,
        )
        # Read the raw headers without awaiting (TktAuthentication.get), unless a
        # subclass reads the ticket its own way: then its override is asked.
        cls = type(self)
        self._reads_raw_cookies = (
            cls.get_ticket is CookieTktAuthentication.get_ticket
            and cls.get_ticket_candidates is CookieTktAuthentication.get_ticket_candidates
        )
        if self._reads_raw_cookies:
            self._read_candidates = self._cookie_candidates

    @property
    def cookie_options(self) -> CookieOptions:
        """The validated cookie attributes."""
        return self._cookie

    async def remember_ticket(self, request: web.Request, ticket: str) -> None:
        """Schedule the cookie; ``ValueError`` now if browsers would drop it (E5)."""
        self._cookie.check_size(ticket)
        ticket_state(request).pending = ticket

    async def forget_ticket(self, request: web.Request) -> None:
        """Schedule the deletion of the cookie."""
        ticket_state(request).pending = _DELETE

    async def get_ticket(self, request: web.Request) -> str | None:
        """The cookie's value as aiohttp parsed it (the last one if repeated).

        The original trio's method, kept for code that calls it; the policy
        itself reads the raw headers (``get_ticket_candidates``).
        """
        return request.cookies.get(self.cookie_name)

    async def get_ticket_candidates(self, request: web.Request) -> Sequence[str]:
        """Every distinct ticket the Cookie headers give our name (``cookie_reading``)."""
        if self._reads_raw_cookies:
            return self._cookie_candidates(request)
        # A subclass overrides get_ticket: it is asked, unless our name is repeated (A18).
        headers = request.headers.getall(hdrs.COOKIE, ())
        needle = self.cookie_name + "="
        if sum(header.count(needle) for header in headers) > 1:
            return [value for value in cookie_values(headers, self.cookie_name) if value]
        return await super().get_ticket_candidates(request)

    def _cookie_candidates(self, request: web.Request) -> list[str]:
        return auth_cookie_candidates(request.headers.getall(hdrs.COOKIE, ()), self._cookie_name)

    async def process_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Reissue if due, then write or delete the cookie as this request decided."""
        try:  # find_ticket_state(), inlined for the usual case
            state = request[AUTH_STATE_KEY].ticket
        except KeyError:
            state = find_ticket_state(request)
        if state is None:
            return  # no ticket was read or written in this request: nothing to do
        if state.verified is not None:
            vary_on(response, "Cookie")  # a user's page: not for a cache's other users
        if state.reissue_due:
            await super().process_response(request, response)
        pending = state.pending
        if pending is None:
            return
        if pending == _DELETE:
            self._cookie.delete(request, response)
        else:
            self._cookie.set(request, response, pending, self._cookie_max_age())

    def _cookie_max_age(self) -> int:
        return self.max_age
