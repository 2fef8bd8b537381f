"""Verification of default-format (``v1!``) tickets: the hot path of every request.

Why one flat function: a verification is a few hundred nanoseconds of
hashing wrapped in Python; every call, attribute lookup and intermediate
tuple between the cookie and the result costs about as much as a hash
block. `build_verifier` reads the keys and the time policy into closure
variables once and returns one function that does, in order:

1. structural checks (length, ASCII, nine ``!``-separated parts, version,
   MAC length) that look at no claim;
2. the MAC of *every* key over the exact received bytes, compared with
   ``hmac.compare_digest`` on bytes (SECURITY A1-A5, B1); nothing below runs
   unless one matched;
3. the IP binding, then the strict parse (one spelling per value, A8/A11);
4. `ExpiryPolicy.check`, inlined (C1-C4), and the `VerifiedTicket`.

Why a memo of step 3: a browser sends the same cookie on every request, so
the parse of the same MAC-verified bytes is repeated thousands of times. The
memo maps those exact bytes (which include the IP field) to the parsed
fields; it is consulted only *after* the MAC over these bytes matched, holds
only tickets a configured key signed, is bounded, and never skips steps 1,
2 or 4. The parse is a pure function of the bytes, so a hit returns exactly
what a miss computes.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import TYPE_CHECKING

from ..claims import MAX_USER_DATA_LENGTH, MAX_USER_ID_LENGTH, is_token
from ..errors import TicketDigestError, TicketExpired, TicketParseError
from ..login_ids import LOGIN_ID_LENGTH, is_login_id
from ..quoting import unquote_field
from ..verified import VerifiedTicket

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..expiry import ExpiryPolicy
    from ..mac import Pads
    from ..verified import Verifier

__all__ = [
    "MAX_TICKET_LENGTH",
    "MAX_TIME_DIGITS",
    "PARSE_MEMO_SIZE",
    "VERSION",
    "build_verifier",
    "match_key",
]

MAX_TICKET_LENGTH = 4096
"""Longest ticket issued or examined: what a browser keeps in one cookie."""
PARSE_MEMO_SIZE = 2048
"""Parsed tickets remembered per verifier; the memo is emptied when full."""

Fields = tuple[str, tuple[str, ...], str, int, int, str]
"""Parsed ``(user_id, tokens, user_data, valid_until, auth_time, login_id)``."""

VERSION = "v1"
_PARTS = 9  # version, seven claim fields, MAC
MAX_TIME_DIGITS = 12
_tuple_new = tuple.__new__


@lru_cache(maxsize=1024)
def _parse_tokens(field: str) -> tuple[str, ...]:
    """Tokens joined by ``.``; cached because a site has few distinct token sets."""
    tokens = tuple(field.split("."))
    for token in tokens:
        if not is_token(token):
            raise TicketParseError("malformed token")
    return tokens


def match_key(pads: tuple[Pads, ...], data: bytes, received: bytes) -> int:
    """Index of the first key whose hex MAC of ``data`` is ``received``, else -1.

    Every key is computed and compared, whatever matched first (SECURITY B1):
    the number of ``compare_digest`` calls never depends on the ticket.
    """
    key_index = -1
    for index, (inner_copy, outer_copy) in enumerate(pads):
        inner = inner_copy()
        inner.update(data)
        outer = outer_copy()
        outer.update(inner.digest())
        if hmac.compare_digest(outer.hexdigest().encode(), received) and key_index < 0:
            key_index = index
    return key_index


def build_verifier(  # noqa: PLR0915 - one flat function on purpose (module docstring)
    pads: tuple[Pads, ...],
    policy: ExpiryPolicy | None,
    clock: Callable[[], float],
    name: str,
    *,
    legacy: bool,
) -> Verifier:
    """``verifier(text, client_ip) -> VerifiedTicket`` for keys prepared as ``pads``.

    ``policy=None`` skips the time checks (``BoundCodec.verify`` semantics);
    ``legacy`` marks every result ``needs_reissue``.
    """
    single = len(pads) == 1
    inner_copy, outer_copy = pads[0]
    digest_chars = inner_copy().digest_size * 2
    cut = -digest_chars - 1
    timed = policy is not None
    max_age = skew = 0
    lifetime = None
    if policy is not None:
        max_age, skew, lifetime = policy.max_age, policy.skew, policy.max_lifetime
    horizon = max_age + skew
    memo: dict[bytes, Fields] = {}
    memo_get = memo.get

    def verified(text: str, client_ip: str | None) -> VerifiedTicket:
        if len(text) > MAX_TICKET_LENGTH or not text.isascii():
            raise TicketParseError("not a v1 ticket")
        parts = text.split("!")
        if len(parts) != _PARTS:
            raise TicketParseError("not a v1 ticket")
        version, valid_until, auth_time, login_id, ip, user_id, tokens, user_data, mac = parts
        if version != VERSION or len(mac) != digest_chars:
            raise TicketParseError("not a v1 ticket")
        data = text[:cut].encode()
        if single:
            inner = inner_copy()
            inner.update(data)
            outer = outer_copy()
            outer.update(inner.digest())
            key_index = 0 if hmac.compare_digest(outer.hexdigest().encode(), mac.encode()) else -1
        else:
            key_index = match_key(pads, data, mac.encode())
        if key_index < 0:
            raise TicketDigestError()
        # Only MAC-verified bytes from here on.
        if ip != (client_ip or ""):
            raise TicketDigestError("ticket is bound to another client address")
        fields = memo_get(data)
        if fields is not None:
            user_id, token_tuple, user_data, until, since, login_id = fields
        else:  # the strict parse: one spelling per value; ASCII, so isdigit() means 0-9
            if (
                not (valid_until.isdigit() and auth_time.isdigit() and user_id)
                or len(valid_until) > MAX_TIME_DIGITS
                or len(auth_time) > MAX_TIME_DIGITS
                or (valid_until[0] == "0" and len(valid_until) > 1)
                or (auth_time[0] == "0" and len(auth_time) > 1)
            ):
                raise TicketParseError("malformed time or user id")
            # the text is ASCII (step 1), so isalnum() means [A-Za-z0-9]: most ids skip the regex
            if len(login_id) != LOGIN_ID_LENGTH or not (
                login_id.isalnum() or is_login_id(login_id)
            ):
                raise TicketParseError("malformed login id")
            if not (user_id.isalnum() and len(user_id) <= MAX_USER_ID_LENGTH):
                # a plain ASCII alphanumeric id is its own quoting and skips the decoder
                user_id = unquote_field(
                    user_id, safe="", max_length=MAX_USER_ID_LENGTH, allow_empty=False
                )
            token_tuple = _parse_tokens(tokens) if tokens else ()
            if user_data:
                user_data = unquote_field(
                    user_data, safe="", max_length=MAX_USER_DATA_LENGTH, allow_empty=True
                )
            until = int(valid_until)
            since = int(auth_time)
            if len(memo) >= PARSE_MEMO_SIZE:
                memo.clear()
            memo[data] = (user_id, token_tuple, user_data, until, since, login_id)
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
                token_tuple,
                user_data,
                until,
                since,
                client_ip,
                login_id,
                key_index,
                name,
                legacy or key_index > 0,
            ),
        )

    return verified
