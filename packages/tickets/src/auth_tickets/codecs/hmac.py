"""The default format: versioned, canonical, HMAC over the exact wire bytes.

Wire layout (every character is one ``http.cookies.SimpleCookie`` leaves
unquoted, SECURITY A13)::

    v1!<valid_until>!<auth_time>!<login_id>!<ip>!<user_id>!<tokens>!<user_data>!<mac>

- times are decimal seconds without leading zeros;
- ``login_id`` is the login's random id: exactly 12 characters of
  ``A-Za-z0-9_-`` (base64url of 9 random bytes), unchanged by reissues;
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
import time
from typing import TYPE_CHECKING

from ..claims import make_claims
from ..errors import TicketParseError
from ..hashes import resolve_hash
from ..login_ids import LOGIN_ID_PATTERN, is_login_id
from ..mac import PreparedHmac
from ..quoting import quote_field
from .base import BoundCodec, Codec
from .hmac_issue import build_issuer
from .hmac_verify import MAX_TICKET_LENGTH, MAX_TIME_DIGITS, VERSION, build_verifier

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..claims import Claims, Issuer
    from ..expiry import ExpiryPolicy
    from ..verified import Verifier

__all__ = ["MAX_TICKET_LENGTH", "HmacCodec"]

_ALLOWED_HASHES = ("sha256", "sha384", "sha512")


class _BoundHmac(BoundCodec):
    __slots__ = ("_keys", "_pads", "_plain")

    def __init__(self, keys: tuple[PreparedHmac, ...]) -> None:
        self._keys = keys
        self._pads = tuple(key.pads() for key in keys)
        self._plain = build_verifier(self._pads, None, time.time, "", legacy=False)

    def issue(self, claims: Claims) -> str:
        if not (isinstance(claims.login_id, str) and is_login_id(claims.login_id)):
            raise ValueError(f"v1 tickets need a login_id matching {LOGIN_ID_PATTERN}")
        body = "!".join(
            (
                VERSION,
                str(claims.valid_until),
                str(claims.auth_time),
                claims.login_id,
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
        if not isinstance(text, str):  # the signer checks this before its verifier
            raise TicketParseError("not a v1 ticket")
        result = self._plain(text, client_ip)
        return make_claims(result[:7]), result.key_index

    def verifier(
        self, policy: ExpiryPolicy, clock: Callable[[], float], name: str, *, legacy: bool
    ) -> Verifier:
        return build_verifier(self._pads, policy, clock, name, legacy=legacy)

    def issuer(self, policy: ExpiryPolicy, clock: Callable[[], float]) -> Issuer:
        return build_issuer(self._pads[0], policy, clock)


class HmacCodec(Codec):
    """The default, recommended format (HMAC-SHA256; ``"sha384"``/``"sha512"`` also fine).

    ``purpose`` separates tickets of different applications or cookies that
    share a secret: a ticket minted for one purpose never verifies for another.
    """

    name = "hmac"
    carries_auth_time = True
    max_time = 10**MAX_TIME_DIGITS - 1

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
        """The hash and the purpose string: what a ticket of this codec is bound to."""
        return f"{self.hashalg}, purpose={self.purpose}"

    def derive_key(self, secret: bytes) -> bytes:
        """The MAC key for ``secret``: bound to the format version, hash and purpose (A15)."""
        label = b"auth-tickets v1\x00%s\x00%s" % (
            self.hashalg.encode("ascii"),
            self.purpose.encode("utf-8"),
        )
        return hmac.digest(secret, label, self.hashalg)

    def bind(self, keys: tuple[bytes, ...], *, max_age: int) -> BoundCodec:
        """Derive one MAC key per secret (A15) and prepare its keyed hash state once."""
        return _BoundHmac(tuple(PreparedHmac(self.derive_key(key), self.hashalg) for key in keys))
