"""What one request has learnt and decided about tickets, and the accessors handlers use.

Kept apart from the policy so that storages and handlers can read it
(``ticket_info``, ``issued_ticket``) without touching the policy's internals.
It lives on the authentication middleware's per-request state when there is
one (the usual case: no request key to add), else under its own request key
(a policy called directly, outside the middleware).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from ._state import AUTH_STATE_KEY

if TYPE_CHECKING:
    from auth_tickets import VerifiedTicket

__all__ = [
    "TICKET_STATE_KEY",
    "TicketRequestState",
    "find_ticket_state",
    "issued_ticket",
    "ticket_info",
    "ticket_state",
]


@dataclass(slots=True)
class TicketRequestState:
    """What one request has learnt and decided about tickets."""

    verified: VerifiedTicket | None = None
    client_ip: str | None = None
    reissue_due: bool = False
    #: remember() or forget() ran: no reissue in this request.
    decided: bool = False
    #: the ticket minted in this request (login or reissue), for header clients.
    issued: str | None = None
    #: what the storage must still write into the response: a ticket, ``""`` to
    #: delete it, ``None`` for nothing (the cookie storage's schedule).
    pending: str | None = None


TICKET_STATE_KEY: web.RequestKey[TicketRequestState] = web.RequestKey(
    "aiohttp_auth.auth.ticket_state", TicketRequestState
)


def ticket_state(request: web.Request) -> TicketRequestState:
    """This request's ticket state, created on first use."""
    try:
        holder = request[AUTH_STATE_KEY]
    except KeyError:
        try:
            return request[TICKET_STATE_KEY]
        except KeyError:
            state = request[TICKET_STATE_KEY] = TicketRequestState()
            return state
    found = holder.ticket
    if found is None:
        found = holder.ticket = TicketRequestState()
    return found


def find_ticket_state(request: web.BaseRequest) -> TicketRequestState | None:
    """This request's ticket state, or ``None`` if nothing has created it."""
    try:
        return request[AUTH_STATE_KEY].ticket
    except KeyError:
        return request.get(TICKET_STATE_KEY)


def ticket_info(request: web.Request) -> VerifiedTicket | None:
    """The verified ticket behind this request's identity (tokens, user data, times).

    ``None`` when ``get_auth`` has not run yet or the request is anonymous.
    """
    state = find_ticket_state(request)
    return None if state is None else state.verified


def issued_ticket(request: web.Request) -> str | None:
    """The ticket minted during this request by ``remember()`` or a reissue, else ``None``.

    Header-based API clients need it in the response body of their login
    endpoint; cookie and session storages deliver it themselves.
    """
    state = find_ticket_state(request)
    return None if state is None else state.issued
