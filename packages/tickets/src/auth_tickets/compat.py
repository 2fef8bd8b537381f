"""A drop-in for ``ticket_auth`` 0.1.4: same names, same calls, same ticket bytes.

Code written against ``ticket_auth`` switches its import and keeps working:
tickets it minted validate here and the other way round. What changes is
everything ``ticket_auth`` got wrong, on purpose (see the README):

- a ``str`` secret is a ``TypeError`` now, at construction (SECURITY B3/D4);
  short ``bytes`` work with a `WeakSecretWarning`;
- only the exact bytes ``new`` would produce validate (A8, A11); any other
  input, including non-ASCII and ``\\udcff``, is a `TicketParseError` (A10);
- digests are compared with ``hmac.compare_digest``; messages never contain
  the ticket; values that cannot round-trip are refused by ``new`` (A12);
- client addresses are normalised (``::ffff:1.2.3.4`` is ``1.2.3.4``, D2).
"""

from __future__ import annotations

import time
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING, NamedTuple

from .claims import MAX_USER_DATA_LENGTH, MAX_USER_ID_LENGTH, check_text
from .codecs.ticket_auth import TicketAuthWire, ip_prefix
from .errors import TicketDigestError, TicketExpired
from .keys import check_secret

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["TicketFactory", "TicketInfo"]

_MAX_VALID_UNTIL = 2**32 - 1


class TicketInfo(NamedTuple):
    """The parts of a ticket, in ``ticket_auth``'s order."""

    digest: str
    user_id: str
    tokens: tuple[str, ...]
    user_data: str
    valid_until: int


def _address(client_ip: str | IPv4Address | IPv6Address | None) -> bytes:
    if isinstance(client_ip, (IPv4Address, IPv6Address)):
        client_ip = str(client_ip)
    return ip_prefix(client_ip)


class TicketFactory:
    """``ticket_auth.TicketFactory`` with the same signature (``hashalg`` default sha512)."""

    _DEFAULT_TIMEOUT = 120

    __slots__ = ("_keys", "_wire")

    def __init__(self, secret: bytes, hashalg: str = "sha512") -> None:
        self._keys = (check_secret(secret, position=0, allow_short=True),)
        self._wire = TicketAuthWire(hashalg)

    def __repr__(self) -> str:
        return f"TicketFactory(secret=<hidden>, hashalg={self._wire.hashalg!r})"

    def new(  # noqa: PLR0917 - ticket_auth's signature
        self,
        user_id: str,
        tokens: Iterable[str] | None = None,
        user_data: str | None = None,
        valid_until: float | None = None,
        client_ip: str | IPv4Address | IPv6Address | None = None,
        encoding: str = "utf-8",
    ) -> str:
        """A ticket valid until ``valid_until`` (default: now + 120 s)."""
        check_text(user_id, what="user_id", max_length=MAX_USER_ID_LENGTH, allow_empty=False)
        if isinstance(tokens, (str, bytes)):
            raise TypeError("tokens must be a sequence of str, not a single string")
        token_tuple = tuple(tokens or ())
        for token in token_tuple:
            check_text(token, what="token", max_length=MAX_USER_ID_LENGTH, allow_empty=False)
        data = check_text(
            user_data or "", what="user_data", max_length=MAX_USER_DATA_LENGTH, allow_empty=True
        )
        if valid_until is None:
            valid_until = time.time() + self._DEFAULT_TIMEOUT
        until = int(valid_until)
        if not 0 <= until <= _MAX_VALID_UNTIL:
            raise ValueError("valid_until must fit in 32 unsigned bits (before 2106-02-07)")
        fields = self._wire.encode(user_id, token_tuple, data)
        return self._wire.mint(self._keys[0], _address(client_ip), until, fields, encoding)

    def validate(
        self,
        ticket: str,
        client_ip: str | IPv4Address | IPv6Address | None = None,
        now: float | None = None,
        encoding: str = "utf-8",
    ) -> TicketInfo:
        """The ticket's parts if digest, canonical form and expiry are all right.

        Raises `TicketParseError`, `TicketDigestError` or `TicketExpired`,
        never anything else, for any ``ticket`` value.
        """
        received, time_field, fields = self._wire.split(ticket)
        try:
            prefix = _address(client_ip)
        except (TypeError, ValueError):
            raise TicketDigestError("client address is not an IP address") from None
        self._wire.check(self._keys, prefix, received, time_field, fields, encoding)
        info = self._info(received, time_field, fields)
        if info.valid_until <= (time.time() if now is None else now):
            raise TicketExpired()
        return info

    def parse(self, ticket: str) -> TicketInfo:
        """The ticket's parts WITHOUT checking the digest: never trust the result."""
        return self._info(*self._wire.split(ticket))

    def _info(self, received: bytes, time_field: str, fields: tuple[str, str, str]) -> TicketInfo:
        user_id, tokens, user_data = self._wire.decode(fields)
        return TicketInfo(received.decode("ascii"), user_id, tokens, user_data, int(time_field, 16))
