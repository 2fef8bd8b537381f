"""Login ids: a random, signed name for one login, kept unchanged by every reissue.

Why: a login used to be known only by ``(user_id, auth_time)``, and
``auth_time`` is whole seconds. Two logins of one user within a second were
indistinguishable (revoking one revoked the other; a login in the same second
as a logout was born revoked), and such tickets were byte-identical. A login
id of 72 random bits tells logins apart; the default format signs it, so a
server can key per-login state (revocation) on it.

Why this spelling: 9 random bytes are exactly 12 base64url characters with no
padding and no spare bits, so every 12-character string over ``A-Za-z0-9_-``
is the one spelling of exactly one 9-byte value: the parse accepts exactly
`LOGIN_ID_PATTERN` and nothing else (SECURITY A8, A11).

Why a pool: ``os.urandom`` plus an encode per login costs about as much as
the ticket's HMAC. The ids are drawn 64 at a time from the same source (one
system call), and handed out once each. They identify, they do not
authenticate (the ticket's MAC does), so holding a few unused ones in memory
reveals nothing usable. A forked child empties its copy of the pool, so two
worker processes never hand out the same ids.
"""

from __future__ import annotations

import base64
import os
import re

__all__ = [
    "LOGIN_ID_LENGTH",
    "LOGIN_ID_PATTERN",
    "is_login_id",
    "login_id_for",
    "new_login_id",
]

LOGIN_ID_LENGTH = 12
"""Characters of a login id: base64url of 9 random bytes, unpadded."""
LOGIN_ID_PATTERN = r"[A-Za-z0-9_-]{12}"
"""The one accepted spelling of a login id."""
_RANDOM_BYTES = LOGIN_ID_LENGTH * 3 // 4
_BATCH = 64

is_login_id = re.compile(LOGIN_ID_PATTERN).fullmatch
"""``is_login_id(text)``: a match (truthy) exactly for a canonical login id."""

_pool: list[str] = []
_random_bytes = os.urandom  # module-level so tests can make ids predictable
# A forked child must not hand out its parent's remaining ids (no-op without fork).
getattr(os, "register_at_fork", lambda **_: None)(after_in_child=_pool.clear)


def _refill() -> None:
    """Add `_BATCH` fresh ids to the pool from one read of the system's CSPRNG."""
    text = base64.urlsafe_b64encode(_random_bytes(_RANDOM_BYTES * _BATCH)).decode("ascii")
    _pool.extend([text[i : i + LOGIN_ID_LENGTH] for i in range(0, len(text), LOGIN_ID_LENGTH)])


def new_login_id() -> str:
    """A new, random login id, never handed out before in this process."""
    while True:  # list.pop is atomic: each id goes to one caller, even across threads
        try:
            return _pool.pop()
        except IndexError:
            _refill()


def login_id_for(value: object) -> str:
    """The login id a ticket issued with ``login_id=value`` carries.

    ``None`` or ``""`` (what a legacy-format `VerifiedTicket` holds): a new
    login, so a new id. A canonical id is kept. Anything else raises, like
    every other value ``issue`` cannot sign as given: ``TypeError`` for a
    non-``str``, ``ValueError`` for another spelling.
    """
    if value is None:
        return new_login_id()
    if not isinstance(value, str):
        raise TypeError(f"login_id must be a str or None, not {type(value).__name__}")
    if not value:
        return new_login_id()
    if not is_login_id(value):
        raise ValueError(f"login_id must match {LOGIN_ID_PATTERN}")
    return str(value)
