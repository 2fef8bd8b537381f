"""The getting-started document's users, and the one password check the examples share.

Passwords in clear text are a teaching device: a real application stores a
slow, salted hash (argon2, scrypt) and compares through it.  The comparison
below is still written the careful way, with :func:`hmac.compare_digest`, so
copying it into something real does not add a timing leak.
"""

from __future__ import annotations

import hmac

__all__ = ["USERS", "password_matches"]

#: The document's user table.
USERS: dict[str, dict[str, object]] = {
    "bob": {"password": "bob_password", "groups": ["guest", "staff"]},
    "alice": {"password": "alice_password", "groups": ["guest"]},
}


def password_matches(username: object, password: object) -> bool:
    """True when ``username`` is a known user and ``password`` is theirs."""
    user = USERS.get(username) if isinstance(username, str) else None
    if user is None or not isinstance(password, str):
        return False
    expected = user["password"]
    assert isinstance(expected, str)  # noqa: S101 - the table above is ours
    return hmac.compare_digest(password.encode(), expected.encode())
