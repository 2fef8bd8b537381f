"""The ``ticket_auth`` 0.1.4 format, byte for byte, with a strict parser.

Wire layout (``D`` = hex digest, ``T`` = 8 lower-case hex of valid_until)::

    D T quote(user_id) ! ",".join(quote(t) for t in tokens) ! quote(user_data)

with ``digest = H(H(ip_version ip_packed T_be32 secret data1) secret)`` and
``data1 = NUL.join(the three quoted fields)``; unbound tickets use 0.0.0.0.

Why strict: ``ticket_auth`` parsed with ``int(x, 16)`` and ``unquote`` and
then MACed a *re-serialisation*, so ``0xabcdef``, `` +0abcdef``, ``%61lice``
and ``%ff`` all verified (SECURITY D3). Here the MAC covers the received
field bytes and each field must be exactly what ``ticket_auth`` would mint
for its decoded value (A8, A11); anything else, including non-ASCII and
``\\udcff``, is a `TicketParseError` (A10).
"""

from __future__ import annotations

import hmac
import time
from typing import TYPE_CHECKING

from ..claims import MAX_USER_DATA_LENGTH, MAX_USER_ID_LENGTH, make_claims
from ..errors import TicketDigestError, TicketParseError
from ..hashes import resolve_hash
from ..quoting import quote_field, unquote_field
from .base import BoundCodec, Codec
from .ticket_auth_issue import build_issuer
from .ticket_auth_verify import UNBOUND_IP_PREFIX, build_verifier, decode_tokens, ip_prefix

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..claims import Claims, Issuer
    from ..expiry import ExpiryPolicy
    from ..verified import Verifier

__all__ = ["UNBOUND_IP_PREFIX", "TicketAuthCodec", "TicketAuthWire", "ip_prefix"]

_HEX = "0123456789abcdef"
_MAX_LENGTH = 4096


class TicketAuthWire:
    """The keyed ``ticket_auth`` construction, shared by the codec and `TicketFactory`."""

    __slots__ = ("digest_chars", "hash_factory", "hashalg")

    def __init__(self, hashalg: str, *, stacklevel: int = 4) -> None:
        self.hashalg, self.hash_factory = resolve_hash(
            hashalg, allow_weak=True, stacklevel=stacklevel
        )
        self.digest_chars: int = self.hash_factory().digest_size * 2

    def digest(self, secret: bytes, data0: bytes, data1: bytes) -> bytes:
        """``ticket_auth``'s double hash (not HMAC), as lower-case hex ASCII bytes."""
        inner: bytes = self.hash_factory(data0 + secret + data1).digest()
        hexdigest: str = self.hash_factory(inner + secret).hexdigest()
        return hexdigest.encode("ascii")

    def mint(
        self,
        secret: bytes,
        prefix: bytes,
        valid_until: int,
        fields: tuple[str, str, str],
        encoding: str = "utf-8",
    ) -> str:
        """Sign already-quoted ``(user_id, tokens, user_data)`` fields."""
        time_field = f"{valid_until:08x}"
        data1 = "\0".join(fields).encode(encoding)
        digest = self.digest(secret, prefix + bytes.fromhex(time_field), data1)
        return f"{digest.decode('ascii')}{time_field}{fields[0]}!{fields[1]}!{fields[2]}"

    def split(self, text: str) -> tuple[bytes, str, tuple[str, str, str]]:
        """Structural checks only: digest bytes, the time field, the three raw fields."""
        cut = self.digest_chars
        if (
            not isinstance(text, str)
            or len(text) < cut + 10
            or len(text) > _MAX_LENGTH
            or not text.isascii()
        ):
            raise TicketParseError("not a ticket_auth ticket")
        time_field = text[cut : cut + 8]
        if time_field.strip(_HEX):
            raise TicketParseError("time field is not 8 lower-case hex digits")
        fields = text[cut + 8 :].split("!")
        if len(fields) != 3:
            raise TicketParseError("wrong number of fields")
        return text[:cut].encode("ascii"), time_field, (fields[0], fields[1], fields[2])

    def check(  # noqa: PLR0917 - mirrors the MAC input, part by part
        self,
        keys: tuple[bytes, ...],
        prefix: bytes,
        received: bytes,
        time_field: str,
        fields: tuple[str, str, str],
        encoding: str = "utf-8",
    ) -> int:
        """Index of the key whose digest matches; every key is tried (SECURITY B1)."""
        data0 = prefix + bytes.fromhex(time_field)
        data1 = "\0".join(fields).encode(encoding)
        key_index = -1
        for index, key in enumerate(keys):
            if hmac.compare_digest(self.digest(key, data0, data1), received) and key_index < 0:
                key_index = index
        if key_index < 0:
            raise TicketDigestError()
        return key_index

    @staticmethod
    def decode(fields: tuple[str, str, str]) -> tuple[str, tuple[str, ...], str]:
        """Canonical decoding of MAC-verified fields; empty tokens are refused (A12)."""
        user_id, tokens, user_data = fields
        return (
            unquote_field(user_id, safe="/", max_length=MAX_USER_ID_LENGTH, allow_empty=False),
            decode_tokens(tokens) if tokens else (),
            unquote_field(user_data, safe="/", max_length=MAX_USER_DATA_LENGTH, allow_empty=True)
            if user_data
            else "",
        )

    @staticmethod
    def encode(user_id: str, tokens: tuple[str, ...], user_data: str) -> tuple[str, str, str]:
        """Quote fields exactly as ``ticket_auth`` 0.1.4 does (``safe='/'``)."""
        return (
            quote_field(user_id, safe="/"),
            ",".join([quote_field(token, safe="/") for token in tokens]),
            quote_field(user_data, safe="/"),
        )


class _BoundTicketAuth(BoundCodec):
    __slots__ = ("_keys", "_max_age", "_plain", "_wire")

    def __init__(self, wire: TicketAuthWire, keys: tuple[bytes, ...], max_age: int) -> None:
        self._wire = wire
        self._keys = keys
        self._max_age = max_age
        self._plain = self._build(None, time.time, "", legacy=False)

    def _build(
        self, policy: ExpiryPolicy | None, clock: Callable[[], float], name: str, *, legacy: bool
    ) -> Verifier:
        return build_verifier(
            self._wire,
            self._keys,
            self._max_age,
            policy,
            clock,
            name=name,
            legacy=legacy,
        )

    def issue(self, claims: Claims) -> str:
        fields = self._wire.encode(claims.user_id, claims.tokens, claims.user_data)
        text = self._wire.mint(
            self._keys[0], ip_prefix(claims.client_ip), claims.valid_until, fields
        )
        if len(text) > _MAX_LENGTH:
            raise ValueError(f"the encoded ticket exceeds {_MAX_LENGTH} characters")
        return text

    def verify(self, text: str, client_ip: str | None) -> tuple[Claims, int]:
        if not isinstance(text, str):  # the signer checks this before its verifier
            raise TicketParseError("not a ticket_auth ticket")
        result = self._plain(text, client_ip)
        return make_claims(result[:7]), result.key_index

    def verifier(
        self, policy: ExpiryPolicy, clock: Callable[[], float], name: str, *, legacy: bool
    ) -> Verifier:
        return self._build(policy, clock, name, legacy=legacy)

    def issuer(self, policy: ExpiryPolicy, clock: Callable[[], float]) -> Issuer:
        return build_issuer(self._wire, self._keys[0], policy, clock)


class TicketAuthCodec(Codec):
    """``ticket_auth`` 0.1.4 tickets (the original aiohttp_auth cookies), for migration.

    Any fixed-length hashlib algorithm; ``"md5"``/``"sha1"`` only with an
    `InsecureHashWarning`. Use it in ``TicketSigner(accept=...)`` so old
    cookies verify once and are reissued in the default format.
    """

    name = "ticket_auth"

    def __init__(
        self, hashalg: str = "sha512", *, secrets: bytes | Sequence[bytes] | None = None
    ) -> None:
        super().__init__(secrets=secrets)
        self.wire = TicketAuthWire(hashalg)

    def describe(self) -> str:
        """The hash name, as ``ticket_auth.TicketFactory(hashalg=...)`` takes it."""
        return self.wire.hashalg

    def bind(self, keys: tuple[bytes, ...], *, max_age: int) -> BoundCodec:
        """Keep the raw secrets: the format hashes them in, no key can be derived ahead."""
        return _BoundTicketAuth(self.wire, keys, max_age)
