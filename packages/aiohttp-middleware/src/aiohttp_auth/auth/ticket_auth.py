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
* A reissued ticket keeps the user id, tokens, user data, address, the
  original login time and the login id: only the expiry moves, and never
  past the absolute lifetime (F6, C4); revocation follows the login id.
* Old-key and legacy-format tickets are reissued in the current format (B5).
* Any ticket that does not verify is anonymous (``ticket_choice``).
"""

from __future__ import annotations

import abc
import logging
import time
from typing import TYPE_CHECKING, TypedDict

from aiohttp import web

from auth_tickets import (
    Codec,
    HmacCodec,
    TicketAuthCodec,
    TicketExpired,
    TicketSigner,
)

from .abstract_auth import AbstractAuthentication
from .client_address import ClientAddressResolver
from .reissue import ReissueSchedule
from .revocation import DEFAULT_TIMEOUT as DEFAULT_REVOCATION_TIMEOUT
from .revocation import RevocationStore, Revoker, migrated_login_id
from .ticket_choice import choose_ticket, same_user_tickets
from .ticket_state import find_ticket_state, ticket_state
from .user_ids import check_user_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from auth_tickets import VerifiedTicket

__all__ = ["TicketOptions", "TktAuthentication"]

logger = logging.getLogger("aiohttp_auth.auth")


class TicketOptions(TypedDict, total=False):
    """The keyword-only ticket options every storage passes on to ``TktAuthentication``."""

    codec: Codec | None
    accept: Iterable[Codec]
    accept_original_tickets: bool
    max_lifetime: int | None
    skew: int
    clock: Callable[[], float]
    trusted_proxies: Iterable[str]
    revocation: RevocationStore | None
    revocation_timeout: float


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
    tolerance), ``clock`` (``time.time`` by default), ``trusted_proxies`` and
    ``revocation`` (a ``RevocationStore``: logout and ``revoke_user`` stick
    server-side; off by default, see ``aiohttp_auth.auth.revocation``) and
    ``revocation_timeout`` (seconds the store may take, 2 by default: a check
    that takes longer makes the request anonymous, a logout raises).
    """

    #: A storage whose ticket is read without waiting sets this to a plain
    #: function standing for ``get_ticket_candidates`` (one await less per request).
    _read_candidates: Callable[[web.Request], Sequence[str]] | None = None

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
        revocation: RevocationStore | None = None,
        revocation_timeout: float = DEFAULT_REVOCATION_TIMEOUT,
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
        self._reissue = ReissueSchedule(max_age, reissue_time, clock)
        self._include_ip = include_ip
        self._cookie_name = cookie_name
        self._addresses = ClientAddressResolver(trusted_proxies)
        lifetime = max_age + skew
        legacy_formats = any(not isinstance(extra, HmacCodec) for extra in accepted)
        self._revoker = (
            None
            if revocation is None
            else Revoker(
                revocation,
                clock,
                lifetime,
                legacy_formats=legacy_formats,
                timeout=revocation_timeout,
            )
        )

    def __repr__(self) -> str:
        # Never the secret (SECURITY B7).
        return (
            f"{type(self).__name__}(cookie_name={self._cookie_name!r}, max_age={self._max_age}, "
            f"reissue_time={self._reissue.reissue_time}, include_ip={self._include_ip})"
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
        return self._addresses.resolve(request) if self._include_ip else None

    # -- minting -----------------------------------------------------------

    def issue_ticket(
        self,
        user_id: str,
        *,
        tokens: Iterable[str] = (),
        user_data: str = "",
        client_ip: str | None = None,
        auth_time: int | None = None,
        login_id: str | None = None,
    ) -> str:
        """Mint a ticket with this policy's signer (also used by ``aiohttp_auth.testing``).

        ``auth_time`` and ``login_id`` None: a new login; a reissue passes both.
        """
        return self._signer.issue(
            check_user_id(user_id),
            tokens=tuple(tokens),
            user_data=user_data,
            client_ip=client_ip,
            auth_time=auth_time,
            login_id=login_id,
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
        if self._revoker is not None:
            self._revoker.login_started()
        state = ticket_state(request)
        state.decided = True
        state.reissue_due = False
        state.verified = None
        state.issued = ticket
        await self.remember_ticket(request, ticket)

    async def forget(self, request: web.Request) -> None:
        """Drop the ticket: cancels any reissue this request had scheduled.

        With a revocation store, the login behind the request's ticket is
        revoked too, so a copy of the ticket (or of any reissue of it) stops
        working, and so is every other login of the same user the request
        presents a valid ticket of (two cookie scopes); a failing store
        raises rather than pretend the logout stuck.
        """
        state = ticket_state(request)
        if self._revoker is not None:
            if state.verified is None and not state.decided:
                await self.get(request)
            verified = state.verified
            if verified is not None:
                read = self._read_candidates
                candidates = (
                    read(request) if read is not None else await self.get_ticket_candidates(request)
                )
                for info in same_user_tickets(self._signer, candidates, state.client_ip, verified):
                    await self._revoker.revoke_login(info.user_id, info.login_id, info.auth_time)
        state.decided = True
        state.reissue_due = False
        state.verified = None
        state.issued = None
        await self.forget_ticket(request)

    async def get(self, request: web.Request) -> str | None:
        """Return the user id of the request's valid ticket, or ``None``.

        The path of every authenticated request, so written flat: no call
        that is not needed, none awaited that cannot wait.
        """
        read = self._read_candidates
        candidates = (
            read(request) if read is not None else await self.get_ticket_candidates(request)
        )
        if not candidates:
            return None
        client_ip = None
        if self._include_ip:
            client_ip = self._addresses.resolve(request)
            if client_ip is None:
                return None  # fail closed: a bound ticket cannot be checked
        info = choose_ticket(self._signer, candidates, client_ip)
        if info is None:
            return None
        revoker = self._revoker
        if revoker is not None and await revoker.is_revoked(
            info.user_id, info.login_id, info.auth_time
        ):
            return None
        state = ticket_state(request)
        if not state.decided:
            state.verified = info
            state.client_ip = client_ip
            state.reissue_due = info.needs_reissue or (
                self._reissue.reissue_time is not None and self._reissue.is_due(info)
            )
        return info.user_id

    # -- revocation --------------------------------------------------------

    async def _is_revoked(self, info: VerifiedTicket) -> bool:
        return self._revoker is not None and await self._revoker.is_revoked(
            info.user_id, info.login_id, info.auth_time
        )

    async def revoke_user(self, user_id: str) -> None:
        """Log ``user_id`` out everywhere: every login that started until now stops working.

        For password changes and disabled accounts.  A login after this call
        (from the next second on) works.  ``RuntimeError`` without a store.
        """
        if self._revoker is None:
            raise RuntimeError("revoke_user needs a revocation store: pass revocation=...")
        await self._revoker.revoke_user(check_user_id(user_id))

    async def process_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Reissue a ticket that is due, on a 2xx response that was returned, not raised."""
        state = find_ticket_state(request)
        if state is None or state.decided or not state.reissue_due or state.verified is None:
            return
        if not 200 <= response.status < 300 or isinstance(response, web.HTTPException):
            return
        info = state.verified
        state.reissue_due = False
        if await self._is_revoked(info):  # a logout may have landed since get() (H5)
            return
        try:
            ticket = self.issue_ticket(
                info.user_id,
                tokens=info.tokens,
                user_data=info.user_data,
                client_ip=state.client_ip,
                auth_time=info.auth_time,
                # a legacy ticket has none: every copy of it migrates to the same login
                login_id=info.login_id or migrated_login_id(info.user_id, info.auth_time),
            )
            state.issued = ticket  # as at login: a storage may read issued_ticket(request)
            await self.remember_ticket(request, ticket)
        except TicketExpired:
            return  # max_lifetime leaves no room: the login ends when this ticket does
        except ValueError as exc:
            # The claims of a valid ticket that do not fit a new one (a legacy
            # ticket whose user data grows when re-encoded past the size limit):
            # the request keeps its ticket until it expires, never a 500.
            state.issued = None
            logger.info("reissue skipped: %s", exc)

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
