"""What a ticket asserts, and the rules every value must meet before it is signed.

Why refuse at issue: a value that cannot round-trip exactly (a lone
surrogate, a NUL, a token that would vanish) is a bug waiting in a cookie. The
original library quietly turned ``tokens=('',)`` into ``()`` and accepted an
empty user id as "authenticated" (SECURITY A12, F11). Here such values raise
``ValueError`` in ``issue`` and never reach the wire.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from .errors import TicketParseError
from .ip import ip_info
from .login_ids import login_id_for

if TYPE_CHECKING:
    from .expiry import ExpiryPolicy

__all__ = [
    "MAX_USER_DATA_LENGTH",
    "MAX_USER_ID_LENGTH",
    "TOKEN_PATTERN",
    "Claims",
    "Issuer",
    "check_text",
    "check_tokens",
    "checked_claims",
    "decoded_text",
    "is_token",
    "make_claims",
]

MAX_USER_ID_LENGTH = 256
MAX_USER_DATA_LENGTH = 2048
TOKEN_PATTERN = r"[A-Za-z][A-Za-z0-9+_-]{0,63}"  # noqa: S105 - a regex, not a password
"""The token alphabet (Pyramid's, with a length cap): a letter, then letters, digits, ``+_-``."""

_TOKEN = re.compile(TOKEN_PATTERN)
is_token = _TOKEN.fullmatch


class Claims(NamedTuple):
    """The signed content of a ticket, independent of its wire format."""

    user_id: str
    tokens: tuple[str, ...]
    user_data: str
    valid_until: int
    auth_time: int
    client_ip: str | None
    login_id: str = ""
    """The login's random id (`auth_tickets.login_ids`); ``""`` in formats without one."""


Issuer = Callable[
    [str, "Iterable[str] | None", "str | None", "str | None", "int | None", "str | None"], str
]
"""``issuer(user_id, tokens, user_data, client_ip, auth_time, login_id) -> ticket``.

`TicketSigner.issue`, positionally.
"""


def make_claims(values: tuple[str, tuple[str, ...], str, int, int, str | None, str]) -> Claims:
    """`Claims` from a plain tuple, skipping the keyword-handling constructor (hot path)."""
    return _tuple_new(Claims, values)


_tuple_new = tuple.__new__


def _has_forbidden_character(value: str) -> bool:
    """True for control characters (incl. NUL) and lone surrogates: untypable, unencodable."""
    if value.isprintable():
        return False
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)


def check_text(value: object, *, what: str, max_length: int, allow_empty: bool) -> str:
    """Validate a user id or user data string; ``TypeError``/``ValueError`` otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if not value and not allow_empty:
        raise ValueError(f"{what} must not be empty")
    if len(value) > max_length:
        raise ValueError(f"{what} is longer than {max_length} characters")
    if _has_forbidden_character(value):
        raise ValueError(f"{what} contains a control character or a lone surrogate")
    return value


def decoded_text(value: str, *, max_length: int, allow_empty: bool) -> str:
    """The decoder's twin of `check_text`: a value ``issue`` would refuse is a parse error.

    Keeps "every accepted ticket can be minted again" true (SECURITY A16).
    """
    try:
        return check_text(value, what="field", max_length=max_length, allow_empty=allow_empty)
    except ValueError:
        raise TicketParseError("decoded field is not an acceptable value") from None


def check_tokens(tokens: Iterable[str] | None) -> tuple[str, ...]:
    """Validate tokens against `TOKEN_PATTERN`; a bare ``str`` is refused, not split."""
    if tokens is None:
        return ()
    if isinstance(tokens, (str, bytes)):
        raise TypeError("tokens must be a sequence of str, not a single string")
    checked = tuple(tokens)
    for token in checked:
        if not isinstance(token, str) or not is_token(token):
            raise ValueError(f"token {token!r} does not match {TOKEN_PATTERN}")
    return checked


def checked_claims(  # noqa: PLR0917 - TicketSigner.issue's arguments, plus the policy
    policy: ExpiryPolicy,
    clock: Callable[[], float],
    user_id: str,
    tokens: Iterable[str] | None,
    user_data: str | None,
    client_ip: str | None,
    auth_time: int | None,
    login_id: str | None,
) -> Claims:
    """Every check ``issue`` makes, in order, then the claims of a ticket issued now.

    ``ValueError``/``TypeError`` for values that cannot round-trip;
    `TicketExpired` when ``max_lifetime`` leaves no time for a new ticket.
    ``login_id`` None or ``""`` means a new login, with a new random id.
    """
    user_id = check_text(user_id, what="user_id", max_length=MAX_USER_ID_LENGTH, allow_empty=False)
    user_data = check_text(
        "" if user_data is None else user_data,
        what="user_data",
        max_length=MAX_USER_DATA_LENGTH,
        allow_empty=True,
    )
    ip = None if client_ip is None else ip_info(client_ip)[0]
    valid_until, auth_time = policy.window(int(clock()), auth_time)
    checked_tokens = check_tokens(tokens)
    return Claims(
        user_id, checked_tokens, user_data, valid_until, auth_time, ip, login_id_for(login_id)
    )
