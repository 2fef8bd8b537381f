"""``HeaderTktAuthentication``: tickets for API clients, in the ``Authorization`` header.

Clients send ``Authorization: Bearer <ticket>`` (the scheme is
configurable).  There is no cookie, so nothing is sent automatically by a
browser and CSRF does not apply.

How a client gets its ticket: the login handler calls ``remember()`` and
returns ``aiohttp_auth.auth.issued_ticket(request)`` in its body (for
example as JSON).  Every response that carries a new ticket, the login one
and the sliding reissues, also has it in the response header named by
``response_header`` (default ``X-Auth-Ticket``), so clients replace their
copy when the header is present.  Such responses are marked uncacheable.

``forget()`` cannot delete what the client holds: the client must drop its
copy, and the ticket stays valid until it expires.  Keep ``max_age`` short
for API tickets.

A request with more than one ``Authorization`` header is anonymous: which
one was meant is ambiguous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import hdrs

from .cookie_options import is_http_token, mark_uncacheable, vary_on
from .ticket_auth import TicketOptions, TktAuthentication
from .ticket_state import find_ticket_state, issued_ticket

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aiohttp import web
    from typing_extensions import Unpack

__all__ = ["HeaderTktAuthentication"]


class HeaderTktAuthentication(TktAuthentication):
    """Ticket authentication with the ticket in ``Authorization: <scheme> <ticket>``."""

    def __init__(
        self,
        secret: bytes | Sequence[bytes],
        max_age: int,
        reissue_time: int | None = None,
        include_ip: bool = False,
        cookie_name: str = "AUTH_TKT",
        *,
        scheme: str = "Bearer",
        response_header: str = "X-Auth-Ticket",
        **ticket_options: Unpack[TicketOptions],
    ) -> None:
        super().__init__(
            secret,
            max_age,
            reissue_time,
            include_ip,
            cookie_name,
            **ticket_options,
        )
        for label, value in (("scheme", scheme), ("response_header", response_header)):
            if not is_http_token(value):
                raise ValueError(f"{label} must be an HTTP token, got {value!r}")
        self._scheme = scheme.lower()
        self._response_header = response_header

    @property
    def scheme(self) -> str:
        return self._scheme

    @property
    def response_header(self) -> str:
        return self._response_header

    async def remember_ticket(self, request: web.Request, ticket: str) -> None:
        """Nothing to store: ``process_response`` sends ``issued_ticket(request)``."""

    async def forget_ticket(self, request: web.Request) -> None:
        """Nothing to delete: the client drops its copy (see the module docstring)."""

    async def get_ticket(self, request: web.Request) -> str | None:
        values = request.headers.getall(hdrs.AUTHORIZATION, ())
        if len(values) != 1:
            return None
        scheme, _, ticket = values[0].strip().partition(" ")
        if scheme.lower() != self._scheme:
            return None
        return ticket.strip() or None

    async def process_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Reissue if due; put any ticket minted in this request into the response header.

        No ``response.prepared`` test here: the middleware calls this before
        the headers go out on every path, and for a streamed response that
        is inside ``on_response_prepare``, where aiohttp already reports
        the response as prepared although its headers are still to be written.
        """
        await super().process_response(request, response)
        state = find_ticket_state(request)
        if state is not None and state.verified is not None:
            vary_on(response, "Authorization")
        ticket = issued_ticket(request)
        if ticket is not None:
            response.headers[self._response_header] = ticket
            mark_uncacheable(response, "Authorization")
