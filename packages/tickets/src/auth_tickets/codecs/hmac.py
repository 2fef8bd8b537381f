"""The default format: versioned, canonical, HMAC over the exact wire bytes.

Wire layout (every character is one ``http.cookies.SimpleCookie`` leaves
unquoted, SECURITY A13)::

    v1!<valid_until>!<auth_time>!<ip>!<user_id>!<tokens>!<user_data>!<mac>

- times are decimal seconds without leading zeros;
- ``ip`` is the normalised address or empty (not bound);
- ``user_id`` and ``user_data`` are ``quote(value, safe='')``: only
  ``A-Za-z0-9_.~-`` and upper-case ``%XX`` escapes of UTF-8;
- ``tokens`` are joined by ``.`` (not in the token alphabet);
- ``mac`` is the lower-case hex HMAC of everything before the last ``!``,
  keyed with ``HMAC(secret, "auth-tickets v1" NUL hashalg NUL purpose)``.

Why this shape: the MAC covers the bytes received, so nothing is re-serialised
before checking it (SECURITY A1-A5); the derived key separates purposes that
share a secret (A15); the separators never occur inside an encoded field, so
distinct claims never share a MAC input (D3); and each field has exactly one
accepted spelling, checked after the MAC (A8, A11).
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import TYPE_CHECKING

from ..claims import (
    MAX_USER_DATA_LENGTH,
    MAX_USER_ID_LENGTH,
    Claims,
    is_token,
    make_claims,
)
from ..errors import TicketDigestError, TicketParseError
from ..hashes import resolve_hash
from ..mac import PreparedHmac
from ..quoting import quote_field, unquote_field
from .base import BoundCodec, Codec

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["MAX_TICKET_LENGTH", "HmacCodec"]

MAX_TICKET_LENGTH = 4096
"""Longest ticket issued or examined: what a browser keeps in one cookie."""

_VERSION = "v1"
_FIELDS = 8  # version, six claim fields, MAC
_MAX_TIME_DIGITS = 12
_ALLOWED_HASHES = ("sha256", "sha384", "sha512")


@lru_cache(maxsize=1024)
def _parse_tokens(field: str) -> tuple[str, ...]:
    """Tokens joined by ``.``; cached because a site has few distinct token sets."""
    tokens = tuple(field.split("."))
    for token in tokens:
        if not is_token(token):
            raise TicketParseError("malformed token")
    return tokens


class _BoundHmac(BoundCodec):
    __slots__ = ("_digest_chars", "_keys", "_pads")

    def __init__(self, keys: tuple[PreparedHmac, ...]) -> None:
        self._keys = keys
        self._pads = tuple(key.pads() for key in keys)
        self._digest_chars = keys[0].digest_size * 2

    def issue(self, claims: Claims) -> str:
        body = "!".join(
            (
                _VERSION,
                str(claims.valid_until),
                str(claims.auth_time),
                claims.client_ip or "",
                quote_field(claims.user_id, safe=""),
                ".".join(claims.tokens),
                quote_field(claims.user_data, safe=""),
            )
        )
        mac = self._keys[0].hexdigest(body.encode("ascii")).decode("ascii")
        text = f"{body}!{mac}"
        if len(text) > MAX_TICKET_LENGTH:
            raise ValueError(f"the encoded ticket exceeds {MAX_TICKET_LENGTH} characters")
        return text

    def verify(self, text: str, client_ip: str | None) -> tuple[Claims, int]:
        # The hot path of every authenticated request: written flat on purpose.
        if len(text) > MAX_TICKET_LENGTH or not text.isascii():
            raise TicketParseError("not a v1 ticket")
        parts = text.split("!")
        if len(parts) != _FIELDS or parts[0] != _VERSION:
            raise TicketParseError("not a v1 ticket")
        _, valid_until, auth_time, ip, user_id, tokens, user_data, mac = parts
        if len(mac) != self._digest_chars:
            raise TicketParseError("not a v1 ticket")
        data = text[: -self._digest_chars - 1].encode("ascii")
        received = mac.encode("ascii")
        key_index = -1
        for index, (inner_copy, outer_copy) in enumerate(self._pads):  # every key (SECURITY B1)
            inner = inner_copy()
            inner.update(data)
            outer = outer_copy()
            outer.update(inner.digest())
            if hmac.compare_digest(outer.hexdigest().encode("ascii"), received) and key_index < 0:
                key_index = index
        if key_index < 0:
            raise TicketDigestError()
        # Strict parse of MAC-verified bytes: defence in depth, one spelling per value.
        if (
            not (valid_until.isdigit() and auth_time.isdigit() and user_id)
            or len(valid_until) > _MAX_TIME_DIGITS
            or len(auth_time) > _MAX_TIME_DIGITS
            or (valid_until[0] == "0" and len(valid_until) > 1)
            or (auth_time[0] == "0" and len(auth_time) > 1)
        ):
            raise TicketParseError("malformed time or user id")
        if ip != (client_ip or ""):
            raise TicketDigestError("ticket is bound to another client address")
        claims = (
            user_id  # the common plain id skips the call: its quoting is itself
            if user_id.isalnum() and len(user_id) <= MAX_USER_ID_LENGTH
            else unquote_field(user_id, safe="", max_length=MAX_USER_ID_LENGTH, allow_empty=False),
            _parse_tokens(tokens) if tokens else (),
            unquote_field(user_data, safe="", max_length=MAX_USER_DATA_LENGTH, allow_empty=True)
            if user_data
            else "",
            int(valid_until),
            int(auth_time),
            client_ip,
        )
        return make_claims(claims), key_index


class HmacCodec(Codec):
    """The default, recommended format (HMAC-SHA256; ``"sha384"``/``"sha512"`` also fine).

    ``purpose`` separates tickets of different applications or cookies that
    share a secret: a ticket minted for one purpose never verifies for another.
    """

    name = "hmac"
    carries_auth_time = True
    max_time = 10**_MAX_TIME_DIGITS - 1

    def __init__(
        self,
        hashalg: str = "sha256",
        *,
        purpose: str = "login",
        secrets: bytes | Sequence[bytes] | None = None,
    ) -> None:
        super().__init__(secrets=secrets)
        canonical, _ = resolve_hash(hashalg, allow_weak=False)
        if canonical not in _ALLOWED_HASHES:
            raise ValueError(f"HmacCodec supports {', '.join(_ALLOWED_HASHES)}, not {hashalg!r}")
        if not isinstance(purpose, str) or not purpose or not purpose.isprintable():
            raise ValueError("purpose must be a non-empty printable str")
        self.hashalg = canonical
        self.purpose = purpose

    def describe(self) -> str:
        return f"{self.hashalg}, purpose={self.purpose}"

    def derive_key(self, secret: bytes) -> bytes:
        """The MAC key for ``secret``: bound to the format version, hash and purpose (A15)."""
        label = b"auth-tickets v1\x00%s\x00%s" % (
            self.hashalg.encode("ascii"),
            self.purpose.encode("utf-8"),
        )
        return hmac.digest(secret, label, self.hashalg)

    def bind(self, keys: tuple[bytes, ...], *, max_age: int) -> BoundCodec:
        return _BoundHmac(tuple(PreparedHmac(self.derive_key(key), self.hashalg) for key in keys))
