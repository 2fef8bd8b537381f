"""``TktAuthentication``: signed tickets, whatever carries them.

The ticket itself (format, keys, expiry, lifetime cap, key rotation) is
``auth_tickets.TicketSigner``'s business; this class adds the HTTP side:
which address the ticket is bound to, when a valid ticket is reissued, and
how a request's decision (log in, log out, reissue) reaches the storage.
Storages (cookie, aiohttp-session, ``Authorization`` header) implement the
original trio ``remember_ticket`` / ``forget_ticket`` / ``get_ticket``.

Decisions worth knowing:

* ``remember()`` and ``forget()`` call the storage at once; a reissue is
  decided in ``process_response`` and only for a 2xx response that was not
  raised, so a logout or a new login in the same request always wins over it
  (COMPAT bugs 4 and 7, SECURITY F4/F5).
* A reissued ticket keeps the user id, tokens, user data, address and the
  original login time: only the expiry moves, and never past the absolute
  lifetime (F6, C4).
* Tickets verified by an older key or a legacy format (``accept=``) are
  reissued in the current format on the next 2xx response (B5, migration).
* Any ticket that does not verify is anonymous, logged at DEBUG without
  its value; nothing from the client can raise out of ``get()``.
"""

from __future__ import annotations

import abc
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from auth_tickets import (
    Codec,
    HmacCodec,
    TicketAuthCodec,
    TicketError,
    TicketExpired,
    TicketSigner,
)

from .abstract_auth import AbstractAuthentication
from .client_address import ClientAddressResolver
from .user_ids import check_user_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from auth_tickets import VerifiedTicket

__all__ = [
    "MAX_TICKETS_PER_REQUEST",
    "MAX_TICKET_LENGTH",
    "TktAuthentication",
    "issued_ticket",
    "ticket_info",
]

logger = logging.getLogger("aiohttp_auth.auth")

#: Longer values are refused before parsing: no cookie can be longer (SECURITY A7).
MAX_TICKET_LENGTH = 4096
#: Distinct tickets one request may present (duplicate cookies); more is anonymous.
MAX_TICKETS_PER_REQUEST = 4


@dataclass
class _TicketRequestState:
    """What one request has learnt and decided about tickets."""

    verified: VerifiedTicket | None = None
    client_ip: str | None = None
    reissue_due: bool = False
    #: remember() or forget() ran: no reissue in this request.
    decided: bool = False
    #: the ticket minted in this request (login or reissue), for header clients.
    issued: str | None = None


_TICKET_STATE_KEY: web.RequestKey[_TicketRequestState] = web.RequestKey(
    "aiohttp_auth.auth.ticket_state", _TicketRequestState
)


def _ticket_state(request: web.Request) -> _TicketRequestState:
    state = request.get(_TICKET_STATE_KEY)
    if state is None:
        state = _TicketRequestState()
        request[_TICKET_STATE_KEY] = state
    return state


def ticket_info(request: web.Request) -> VerifiedTicket | None:
    """The verified ticket behind this request's identity (tokens, user data, times).

    ``None`` when ``get_auth`` has not run yet or the request is anonymous.
    """
    state = request.get(_TICKET_STATE_KEY)
    return None if state is None else state.verified


def issued_ticket(request: web.Request) -> str | None:
    """The ticket minted during this request by ``remember()`` or a reissue, else ``None``.

    Header-based API clients need it in the response body of their login
    endpoint; cookie and session storages deliver it themselves.
    """
    state = request.get(_TICKET_STATE_KEY)
    return None if state is None else state.issued


class TktAuthentication(AbstractAuthentication):
    """Ticket authentication; subclasses decide where the ticket is kept.

    ``secret`` is ``bytes`` of at least 32 bytes, or a list of them, newest
    first: the first signs, every one verifies (key rotation).
    ``max_age`` is how long a ticket stays valid after it is issued;
    ``reissue_time`` how old a valid ticket must be before a 2xx response
    carries a fresh one (``0`` every request, ``None`` never, ``>= max_age``
    never, as in the original).  ``include_ip`` binds tickets to the client
    address (see ``trusted_proxies``).

    Keyword-only options: ``codec`` (the signing format, default
    ``auth_tickets.HmacCodec()``), ``accept`` (extra formats that only
    verify, for migration), ``accept_original_tickets`` (shorthand: accept
    tickets written by the original aiohttp_auth / ticket_auth 0.1.4 with the
    same secret and reissue them in the current format), ``max_lifetime``
    (absolute cap on a login in seconds, across reissues), ``skew`` (clock
    tolerance), ``clock`` (``time.time`` by default) and ``trusted_proxies``.
    """

    def __init__(
        self,
        secret: bytes | Sequence[bytes],
        max_age: int,
        reissue_time: int | None = None,
        include_ip: bool = False,
        cookie_name: str = "AUTH_TKT",
        *,
        codec: Codec | None = None,
        accept: Iterable[Codec] = (),
        accept_original_tickets: bool = False,
        max_lifetime: int | None = None,
        skew: int = 60,
        clock: Callable[[], float] = time.time,
        trusted_proxies: Iterable[str] = (),
    ) -> None:
        if not isinstance(include_ip, bool):
            raise TypeError("include_ip must be a bool")
        if not isinstance(cookie_name, str) or not cookie_name:
            raise ValueError("cookie_name must be a non-empty str")
        if not callable(clock):
            raise TypeError("clock must be a callable returning the time in seconds")
        accepted = list(accept)
        if accept_original_tickets:
            accepted.append(TicketAuthCodec("sha512"))
        # The signer checks the secrets and every time setting except reissue_time.
        self._signer = TicketSigner(
            secret,
            max_age=max_age,
            codec=codec if codec is not None else HmacCodec(),
            accept=tuple(accepted),
            skew=skew,
            max_lifetime=max_lifetime,
            clock=clock,
        )
        self._max_age = max_age
        if reissue_time is not None and (
            isinstance(reissue_time, bool) or not isinstance(reissue_time, int)
        ):
            raise TypeError(
                f"reissue_time must be an int or None, got {type(reissue_time).__name__}"
            )
        if reissue_time is not None and reissue_time < 0:
            raise ValueError(f"reissue_time must be >= 0, got {reissue_time}")
        # ">= max_age disables reissue" is the original's rule, kept on purpose.
        self._reissue_time = (
            reissue_time if reissue_time is not None and reissue_time < max_age else None
        )
        self._include_ip = include_ip
        self._cookie_name = cookie_name
        self._clock = clock
        self._addresses = ClientAddressResolver(trusted_proxies)
        self._warned_no_address = False

    def __repr__(self) -> str:
        # Never the secret (SECURITY B7).
        return (
            f"{type(self).__name__}(cookie_name={self._cookie_name!r}, max_age={self._max_age}, "
            f"reissue_time={self._reissue_time}, include_ip={self._include_ip})"
        )

    @property
    def cookie_name(self) -> str:
        """The name the ticket is stored under (cookie name or session key)."""
        return self._cookie_name

    @property
    def max_age(self) -> int:
        """Seconds a ticket stays valid after it is issued."""
        return self._max_age

    @property
    def include_ip(self) -> bool:
        """Whether tickets are bound to the client address."""
        return self._include_ip

    # -- addresses ---------------------------------------------------------

    def client_ip(self, request: web.BaseRequest) -> str | None:
        """The address tickets are bound to for ``request`` (``None``: unknown or not binding)."""
        if not self._include_ip:
            return None
        address = self._addresses.resolve(request)
        if address is None:
            if request.remote:  # an unusable forwarding list: client input, not an incident
                logger.debug("no usable client address in X-Forwarded-For: anonymous")
            elif not self._warned_no_address:  # a deployment problem: say it once
                self._warned_no_address = True
                logger.warning(
                    "include_ip=True but requests arrive without a peer address (Unix socket "
                    "or closed transport): they are anonymous and cannot log in"
                )
        return address

    # -- minting -----------------------------------------------------------

    def issue_ticket(
        self,
        user_id: str,
        *,
        tokens: Iterable[str] = (),
        user_data: str = "",
        client_ip: str | None = None,
        auth_time: int | None = None,
    ) -> str:
        """Mint a ticket with this policy's signer (also used by ``aiohttp_auth.testing``)."""
        return self._signer.issue(
            check_user_id(user_id),
            tokens=tuple(tokens),
            user_data=user_data,
            client_ip=client_ip,
            auth_time=auth_time,
        )

    # -- the AbstractAuthentication API -----------------------------------

    async def remember(
        self,
        request: web.Request,
        user_id: str,
        *,
        tokens: Iterable[str] = (),
        user_data: str = "",
    ) -> None:
        """Issue a ticket for ``user_id`` and hand it to the storage.

        ``RuntimeError`` when ``include_ip`` is on and the request has no
        usable client address (a ticket without it would not be bound).
        """
        client_ip = None
        if self._include_ip:
            client_ip = self.client_ip(request)
            if client_ip is None:
                raise RuntimeError(
                    "include_ip=True but this request has no usable client address; "
                    "serve over TCP or configure trusted_proxies"
                )
        ticket = self.issue_ticket(user_id, tokens=tokens, user_data=user_data, client_ip=client_ip)
        state = _ticket_state(request)
        state.decided = True
        state.reissue_due = False
        state.verified = None
        state.issued = ticket
        await self.remember_ticket(request, ticket)

    async def forget(self, request: web.Request) -> None:
        """Drop the ticket: cancels any reissue this request had scheduled."""
        state = _ticket_state(request)
        state.decided = True
        state.reissue_due = False
        state.verified = None
        state.issued = None
        await self.forget_ticket(request)

    async def get(self, request: web.Request) -> str | None:
        """Return the user id of the request's valid ticket, or ``None``."""
        candidates = await self.get_ticket_candidates(request)
        if not candidates:
            return None
        if len(candidates) > MAX_TICKETS_PER_REQUEST:
            logger.info("%d different tickets in one request: anonymous", len(candidates))
            return None  # verifying each would let one request cost many HMACs
        client_ip = None
        if self._include_ip:
            client_ip = self.client_ip(request)
            if client_ip is None:
                return None  # fail closed: a bound ticket cannot be checked
        valid = [info for info in (self._verify(text, client_ip) for text in candidates) if info]
        if not valid:
            return None
        if len({info.user_id for info in valid}) > 1:
            logger.info(
                "%d tickets for different users in one request (cookie tossing?): anonymous",
                len(valid),
            )
            return None
        info = valid[0]
        if not info.user_id:
            return None
        state = _ticket_state(request)
        if not state.decided:
            state.verified = info
            state.client_ip = client_ip
            state.reissue_due = info.needs_reissue or self._reissue_is_due(info)
        return info.user_id

    def _verify(self, text: object, client_ip: str | None) -> VerifiedTicket | None:
        if not isinstance(text, str) or not text or len(text) > MAX_TICKET_LENGTH:
            return None
        try:
            return self._signer.verify(text, client_ip=client_ip)
        except TicketError as exc:
            logger.debug("ticket rejected: %s", type(exc).__name__)
        except Exception as exc:  # attacker input must never become a 500
            logger.info("ticket rejected by an unexpected %s", type(exc).__name__)
        return None

    def _reissue_is_due(self, info: VerifiedTicket) -> bool:
        if self._reissue_time is None:
            return False
        issued_at = info.valid_until - self._max_age
        return self._clock() >= issued_at + self._reissue_time

    async def process_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Reissue a ticket that is due, on a 2xx response that was returned, not raised."""
        state = request.get(_TICKET_STATE_KEY)
        if state is None or state.decided or not state.reissue_due or state.verified is None:
            return
        if not 200 <= response.status < 300 or isinstance(response, web.HTTPException):
            return
        info = state.verified
        state.reissue_due = False
        try:
            ticket = self.issue_ticket(
                info.user_id,
                tokens=info.tokens,
                user_data=info.user_data,
                client_ip=state.client_ip,
                auth_time=info.auth_time,
            )
        except TicketExpired:
            return  # max_lifetime leaves no room: the login ends when this ticket does
        state.issued = ticket
        await self.remember_ticket(request, ticket)

    # -- the storage trio --------------------------------------------------

    async def get_ticket_candidates(self, request: web.Request) -> Sequence[str]:
        """Every ticket the request presents (more than one: cookie tossing, see A18).

        The default asks ``get_ticket``; storages that can see duplicates
        override it.
        """
        ticket = await self.get_ticket(request)
        return [ticket] if isinstance(ticket, str) and ticket else []

    @abc.abstractmethod
    async def remember_ticket(self, request: web.Request, ticket: str) -> None:
        """Store ``ticket`` for the client (at login and at reissue)."""

    @abc.abstractmethod
    async def forget_ticket(self, request: web.Request) -> None:
        """Remove the client's ticket (logout)."""

    @abc.abstractmethod
    async def get_ticket(self, request: web.Request) -> str | None:
        """Return the ticket the request carries, or ``None``."""
