"""Verification of ``ticket_auth`` 0.1.4 tickets in one call (`TicketAuthCodec`'s hot path).

Why fused, like the default format (see ``hmac_verify``): the two SHA-512
passes the format needs cost ~0.8 µs and cannot be prepared per key (the
secret sits *after* the variable data), so everything around them has to be
as lean as possible. The function does, in order:

1. structural checks that look at no claim: length, ASCII, 8 lower-case hex
   time digits, exactly three ``!``-separated fields;
2. the MAC input exactly as ``ticket_auth`` builds it (the fields joined by
   NUL: the two ``!`` separators replaced) and the double hash of *every*
   key, compared with ``hmac.compare_digest`` on bytes (SECURITY B1);
   nothing below runs unless one matched;
3. the strict parse (`TicketAuthWire.decode`, inlined, and the token
   alphabet), via a bounded memo keyed by the exact ticket text, consulted
   only after the MAC matched, holding only tickets a configured key signed;
4. `ExpiryPolicy.check`, inlined, and the `VerifiedTicket`.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import TYPE_CHECKING

from ..claims import MAX_USER_DATA_LENGTH, MAX_USER_ID_LENGTH, is_token
from ..errors import TicketDigestError, TicketExpired, TicketParseError
from ..ip import ip_info
from ..quoting import unquote_field
from ..verified import VerifiedTicket

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..expiry import ExpiryPolicy
    from ..verified import Verifier
    from .ticket_auth import TicketAuthWire

__all__ = [
    "PARSE_MEMO_SIZE",
    "UNBOUND_IP_PREFIX",
    "build_verifier",
    "decode_tokens",
    "in_alphabet",
    "ip_prefix",
]

UNBOUND_IP_PREFIX = b"\x04\x00\x00\x00\x00"
"""``ticket_auth`` signs 0.0.0.0 (version byte + packed) when no address is given."""
PARSE_MEMO_SIZE = 2048
"""Parsed tickets remembered per verifier; the memo is emptied when full."""

_HEX = "0123456789abcdef"
_MAX_LENGTH = 4096
_tuple_new = tuple.__new__

Fields = tuple[str, tuple[str, ...], str, int, int]
"""Parsed ``(user_id, tokens, user_data, valid_until, auth_time)``."""


@lru_cache(maxsize=1024)
def decode_tokens(field: str) -> tuple[str, ...]:
    """The comma-separated tokens field; cached because a site has few distinct token sets."""
    return tuple(
        [
            unquote_field(token, safe="/", max_length=MAX_USER_ID_LENGTH, allow_empty=False)
            for token in field.split(",")
        ]
    )


@lru_cache(maxsize=1024)
def in_alphabet(tokens: tuple[str, ...]) -> bool:
    """Whether every token matches the signer's token alphabet (cached like the field)."""
    return all(is_token(token) for token in tokens)


def ip_prefix(client_ip: str | None) -> bytes:
    """The address part of the MAC input: version byte + packed normalised address."""
    if client_ip is None:
        return UNBOUND_IP_PREFIX
    _, version, packed = ip_info(client_ip)
    return bytes((version,)) + packed


def build_verifier(  # noqa: PLR0915 - one flat function on purpose (module docstring)
    wire: TicketAuthWire,
    keys: tuple[bytes, ...],
    max_age: int,
    policy: ExpiryPolicy | None,
    clock: Callable[[], float],
    *,
    name: str,
    legacy: bool,
) -> Verifier:
    """``verifier(text, client_ip) -> VerifiedTicket`` for ``ticket_auth`` tickets.

    ``policy=None`` skips the time checks (``BoundCodec.verify``).
    """
    factory = wire.hash_factory
    single = len(keys) == 1
    first_key = keys[0]
    cut = wire.digest_chars
    shortest = cut + 10  # digest, 8 time digits, two "!"
    timed = policy is not None
    skew = 0
    horizon = 0
    lifetime = None
    if policy is not None:
        skew, lifetime = policy.skew, policy.max_lifetime
        horizon = policy.max_age + skew
    memo: dict[str, Fields] = {}
    memo_get = memo.get

    def verified(text: str, client_ip: str | None) -> VerifiedTicket:
        if not (shortest <= len(text) <= _MAX_LENGTH and text.isascii()):
            raise TicketParseError("not a ticket_auth ticket")
        time_field = text[cut : cut + 8]
        if time_field.strip(_HEX):
            raise TicketParseError("time field is not 8 lower-case hex digits")
        tail = text[cut + 8 :]
        if tail.count("!") != 2:
            raise TicketParseError("wrong number of fields")
        received = text[:cut].encode()
        data0 = (UNBOUND_IP_PREFIX if client_ip is None else ip_prefix(client_ip)) + bytes.fromhex(
            time_field
        )
        data1 = tail.replace("!", "\0").encode()  # == "\0".join(the three fields)
        if single:  # TicketAuthWire.digest, inlined
            inner = factory(data0 + first_key + data1).digest()
            outer = factory(inner + first_key).hexdigest().encode()
            key_index = 0 if hmac.compare_digest(outer, received) else -1
        else:
            key_index = -1
            for index, key in enumerate(keys):  # every key, always (SECURITY B1)
                inner = factory(data0 + key + data1).digest()
                outer = factory(inner + key).hexdigest().encode()
                if hmac.compare_digest(outer, received) and key_index < 0:
                    key_index = index
        if key_index < 0:
            raise TicketDigestError()
        # Only MAC-verified bytes from here on.
        fields = memo_get(text)
        if fields is not None:
            user_id, tokens, user_data, until, since = fields
        else:
            # TicketAuthWire.decode, inlined, and tokens the signer could not issue
            user_id, second, user_data = tail.split("!")
            if not (user_id.isalnum() and len(user_id) <= MAX_USER_ID_LENGTH):
                user_id = unquote_field(
                    user_id, safe="/", max_length=MAX_USER_ID_LENGTH, allow_empty=False
                )
            tokens = decode_tokens(second) if second else ()
            if tokens and not in_alphabet(tokens):
                raise TicketParseError("token outside the token alphabet")
            if user_data:
                user_data = unquote_field(
                    user_data, safe="/", max_length=MAX_USER_DATA_LENGTH, allow_empty=True
                )
            until = int(time_field, 16)
            # The format has no login time: the earliest issue time consistent with max_age.
            since = max(0, until - max_age)
            if len(memo) >= PARSE_MEMO_SIZE:
                memo.clear()
            memo[text] = (user_id, tokens, user_data, until, since)
        if timed:  # ExpiryPolicy.check, inlined: same order, same messages
            now = int(clock())
            if until <= now:
                raise TicketExpired()
            if until > now + horizon:
                raise TicketExpired("valid_until lies beyond max_age + skew")
            if since > now + skew or since > until:
                raise TicketExpired("auth_time lies in the future")
            if lifetime is not None and since + lifetime <= now:
                raise TicketExpired("max_lifetime exceeded")
        return _tuple_new(
            VerifiedTicket,
            (
                user_id,
                tokens,
                user_data,
                until,
                since,
                client_ip,
                "",  # the format has no login id
                key_index,
                name,
                legacy or key_index > 0,
            ),
        )

    return verified
