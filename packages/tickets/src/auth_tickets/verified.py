"""`VerifiedTicket`, and the one-call verifier every signing codec provides.

Why its own module: the codecs build results directly (one call per request
instead of codec -> tuple -> policy -> result), and the signer imports the
codecs, so the result type cannot live in ``signer.py`` without an import
cycle. ``auth_tickets.VerifiedTicket`` is this class.

Verifiers build results with ``tuple.__new__(VerifiedTicket, values)``: a
``NamedTuple``'s own constructor handles keywords in Python, positional
construction skips that and builds the same object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

__all__ = ["VerifiedTicket", "Verifier"]


class VerifiedTicket(NamedTuple):
    """What a verified ticket says, and how it was verified."""

    user_id: str
    tokens: tuple[str, ...]
    user_data: str
    valid_until: int
    auth_time: int
    client_ip: str | None
    login_id: str
    """The login's random id, the same in every reissue; ``""`` for the legacy formats.

    Tells apart two logins of one user in the same second: key per-login
    server state (revocation) on ``(user_id, login_id)``.
    """
    key_index: int
    """Which secret verified it: 0 is the newest."""
    codec: str
    """``Codec.name`` of the format it arrived in."""
    needs_reissue: bool
    """True when an older key or a legacy (``accept=``) format verified it: reissue it."""


Verifier = Callable[[str, "str | None"], VerifiedTicket]
"""``verifier(text, client_ip)``: MAC, strict parse, time policy; raises only `TicketError`."""
