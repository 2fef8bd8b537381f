"""What may be remembered as a user id.

A user id ends up signed inside a ticket and compared by applications
(``if user == 'admin'``).  Values that look alike but differ (control
characters, lone surrogates) or that mean "nobody" (``''``) must never get
that far, so ``remember()`` refuses them at the call site (SECURITY F11).
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_USER_ID_LENGTH", "check_user_id"]

#: Generous for e-mail addresses and URLs, small enough to fit in a cookie.
MAX_USER_ID_LENGTH = 1024


def check_user_id(user_id: object) -> str:
    """Return ``user_id`` if it can be remembered; raise ``TypeError``/``ValueError`` if not."""
    if not isinstance(user_id, str):
        raise TypeError(f"user_id must be a str, got {type(user_id).__name__}")
    if not user_id:
        raise ValueError("user_id must not be empty: '' would mean nobody is logged in")
    if len(user_id) > MAX_USER_ID_LENGTH:
        raise ValueError(f"user_id is longer than {MAX_USER_ID_LENGTH} characters")
    for char in user_id:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs"):
            raise ValueError(
                f"user_id contains a control character or lone surrogate (U+{ord(char):04X})"
            )
    return user_id
