"""Apache ``mod_auth_tkt`` / Pyramid ``AuthTicket`` cookies, byte for byte.

Wire layout (``D`` = hex digest, ``T`` = 8 lower-case hex of the *issue* time)::

    D T quote(user_id) ! [",".join(tokens) !] user_data

with ``digest = H(hex(H(ip_ts secret user_id NUL tokens NUL user_data)) secret)``
over the *decoded* user id; ``ip_ts`` is 4 address bytes + 4 time bytes for
IPv4 (0.0.0.0 when unbound) and ``ip + str(T)`` for IPv6. The verifier adds
``max_age`` to ``T``: the format stores when a ticket was made, not when it
ends.

Why extra rules: the IPv6 form is ambiguous (``2001:db8::1`` at 1700000000 and
``2001:db8::11`` at 700000000 hash the same text, SECURITY D3), so timestamps
must have exactly ten decimal digits (after 2001-09-09), which makes the split
unique. Tokens and user data travel unescaped, so tokens follow the token
alphabet and user data is printable ASCII without ``!``, quotes, ``,``, ``;``
or backslash. Each ticket has one accepted spelling (A8, A11).
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..claims import MAX_USER_ID_LENGTH, Claims, is_token
from ..errors import TicketDigestError, TicketParseError
from ..hashes import HashFactory, resolve_hash
from ..ip import ip_info
from ..quoting import unquote_field
from .base import BoundCodec, Codec

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["MIN_TIMESTAMP", "ModAuthTktCodec", "check_user_data"]

MIN_TIMESTAMP = 1_000_000_000
"""Earliest issue time accepted or minted: ten decimal digits keep the IPv6 MAC input unique."""
_HEX = "0123456789abcdef"
_MAX_LENGTH = 4096
_USER_DATA_FORBIDDEN = frozenset('!",;\\')


def check_user_data(value: str) -> bool:
    """True when ``value`` can travel unescaped in this format and parse back unchanged."""
    return (
        value.isascii()
        and (value.isprintable() and " " not in value)
        and _USER_DATA_FORBIDDEN.isdisjoint(value)
    )


def _ip_timestamp(client_ip: str | None, timestamp: int) -> bytes:
    if client_ip is None:
        return bytes(4) + timestamp.to_bytes(4, "big")
    text, version, packed = ip_info(client_ip)
    if version == 4:
        return packed + timestamp.to_bytes(4, "big")
    return f"{text}{timestamp}".encode("ascii")


class _BoundModAuthTkt(BoundCodec):
    __slots__ = ("_digest_chars", "_hash", "_keys", "_max_age")

    def __init__(self, factory: HashFactory, keys: tuple[bytes, ...], max_age: int) -> None:
        self._hash = factory
        self._keys = keys
        self._max_age = max_age
        self._digest_chars: int = factory().digest_size * 2

    def _digest(self, secret: bytes, ip_ts: bytes, signed: bytes) -> bytes:
        inner: str = self._hash(ip_ts + secret + signed).hexdigest()
        outer: str = self._hash(inner.encode("ascii") + secret).hexdigest()
        return outer.encode("ascii")

    def issue(self, claims: Claims) -> str:
        timestamp = claims.valid_until - self._max_age
        if timestamp < MIN_TIMESTAMP:
            raise ValueError("mod_auth_tkt tickets need an issue time after 2001-09-09")
        if not check_user_data(claims.user_data):
            raise ValueError('mod_auth_tkt user data must be printable ASCII without !",;\\')
        tokens = ",".join(claims.tokens)
        signed = b"%s\0%s\0%s" % (
            claims.user_id.encode("utf-8"),
            tokens.encode("ascii"),
            claims.user_data.encode("ascii"),
        )
        digest = self._digest(self._keys[0], _ip_timestamp(claims.client_ip, timestamp), signed)
        tail = f"{tokens}!{claims.user_data}" if tokens else claims.user_data
        text = f"{digest.decode('ascii')}{timestamp:08x}{quote(claims.user_id)}!{tail}"
        if len(text) > _MAX_LENGTH:
            raise ValueError(f"the encoded ticket exceeds {_MAX_LENGTH} characters")
        return text

    def verify(self, text: str, client_ip: str | None) -> tuple[Claims, int]:
        cut = self._digest_chars
        if len(text) < cut + 10 or len(text) > _MAX_LENGTH or not text.isascii():
            raise TicketParseError("not a mod_auth_tkt ticket")
        time_field = text[cut : cut + 8]
        if time_field.strip(_HEX):
            raise TicketParseError("time field is not 8 lower-case hex digits")
        timestamp = int(time_field, 16)
        user_field, bang, data = text[cut + 8 :].partition("!")
        tokens, _, user_data = data.partition("!") if "!" in data else ("", "", data)
        if (
            timestamp < MIN_TIMESTAMP
            or not bang
            or not user_field
            or (not tokens and "!" in data)
            or not check_user_data(user_data)
        ):
            raise TicketParseError("malformed mod_auth_tkt ticket")
        token_tuple = tuple(tokens.split(",")) if tokens else ()
        for token in token_tuple:
            if not is_token(token):
                raise TicketParseError("malformed token")
        user_id = unquote_field(
            user_field, safe="/", max_length=MAX_USER_ID_LENGTH, allow_empty=False
        )
        ip_ts = _ip_timestamp(client_ip, timestamp)
        signed = b"%s\0%s\0%s" % (user_id.encode("utf-8"), tokens.encode(), user_data.encode())
        received = text[:cut].encode("ascii")
        key_index = -1
        for index, key in enumerate(self._keys):  # every key, always (SECURITY B1)
            if hmac.compare_digest(self._digest(key, ip_ts, signed), received) and key_index < 0:
                key_index = index
        if key_index < 0:
            raise TicketDigestError()
        claims = Claims(
            user_id, token_tuple, user_data, timestamp + self._max_age, timestamp, client_ip
        )
        return claims, key_index


class ModAuthTktCodec(Codec):
    """Cookies that Pyramid's ``AuthTktCookieHelper`` and Apache ``mod_auth_tkt`` read and write.

    ``hashalg`` defaults to ``"sha512"`` (Pyramid's helper default); Apache
    interop needs ``"md5"`` by name, which emits an `InsecureHashWarning`.
    The format carries no login time, so it cannot enforce ``max_lifetime``
    across reissues when it is the signing codec.
    """

    name = "mod_auth_tkt"

    def __init__(
        self, hashalg: str = "sha512", *, secrets: bytes | Sequence[bytes] | None = None
    ) -> None:
        super().__init__(secrets=secrets)
        self.hashalg, self._factory = resolve_hash(hashalg, allow_weak=True)

    def describe(self) -> str:
        """The hash name, as Apache's ``TKTAuthDigestType`` spells it."""
        return self.hashalg

    def bind(self, keys: tuple[bytes, ...], *, max_age: int) -> BoundCodec:
        """Keep the raw secrets: the format hashes them in, no key can be derived ahead."""
        return _BoundModAuthTkt(self._factory, keys, max_age)
