"""What one request has learnt and decided about tickets, and the accessors handlers use.

Kept apart from the policy so that storages and handlers can read it
(``ticket_info``, ``issued_ticket``) without touching the policy's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from auth_tickets import VerifiedTicket

__all__ = ["TICKET_STATE_KEY", "TicketRequestState", "issued_ticket", "ticket_info", "ticket_state"]


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
        return request[TICKET_STATE_KEY]
    except KeyError:
        state = request[TICKET_STATE_KEY] = TicketRequestState()
        return state


def ticket_info(request: web.Request) -> VerifiedTicket | None:
    """The verified ticket behind this request's identity (tokens, user data, times).

    ``None`` when ``get_auth`` has not run yet or the request is anonymous.
    """
    state = request.get(TICKET_STATE_KEY)
    return None if state is None else state.verified


def issued_ticket(request: web.Request) -> str | None:
    """The ticket minted during this request by ``remember()`` or a reissue, else ``None``.

    Header-based API clients need it in the response body of their login
    endpoint; cookie and session storages deliver it themselves.
    """
    state = request.get(TICKET_STATE_KEY)
    return None if state is None else state.issued
