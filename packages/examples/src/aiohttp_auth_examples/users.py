"""The getting-started document's users, and the one password check the examples share.

Passwords in clear text are a teaching device: a real application stores a
slow, salted hash (argon2, scrypt) and compares through it.  The comparison
below is still written the careful way: :func:`hmac.compare_digest`, and an
unknown user name costs the same comparison as a known one (against a
stand-in password), so the answer's timing does not tell which user names
exist.  With a slow hash, keep that shape: verify against a stand-in hash
for unknown users.
"""

from __future__ import annotations

import hmac
import secrets

__all__ = ["USERS", "password_matches"]

#: The document's user table.
USERS: dict[str, dict[str, object]] = {
    "bob": {"password": "bob_password", "groups": ["guest", "staff"]},
    "alice": {"password": "alice_password", "groups": ["guest"]},
}


_STAND_IN = secrets.token_urlsafe(16)


def password_matches(username: object, password: object) -> bool:
    """True when ``username`` is a known user and ``password`` is theirs."""
    if not isinstance(password, str):
        return False
    user = USERS.get(username) if isinstance(username, str) else None
    expected = user["password"] if user is not None else _STAND_IN
    assert isinstance(expected, str)  # noqa: S101 - the table above is ours
    matches = hmac.compare_digest(password.encode(), expected.encode())
    return matches and user is not None
