"""The exception and warning family of `auth_tickets`.

Why a family: callers (the aiohttp middleware above all) must be able to turn
*every* rejected ticket into "anonymous" with one ``except TicketError``. The
names and the hierarchy match ``ticket_auth`` 0.1.4 so code written against it
keeps its ``except`` clauses.

Why no ticket in the message: ``ticket_auth`` embedded the whole ticket in
``str(exc)``, which put live credentials into logs and tracebacks. Here a
message says *what* was wrong, never *which* ticket; use
``TicketSigner.fingerprint`` to correlate a ticket with a log line.
"""

from __future__ import annotations

__all__ = [
    "InsecureHashWarning",
    "TicketDigestError",
    "TicketError",
    "TicketExpired",
    "TicketParseError",
    "WeakSecretWarning",
]


class TicketError(Exception):
    """A ticket was rejected. ``msg`` is a short reason that never quotes the ticket."""

    def __init__(self, msg: str = "") -> None:
        super().__init__(msg)
        self.msg = msg

    def __str__(self) -> str:
        return f"Ticket error: {self.msg}" if self.msg else "Ticket error"


class TicketParseError(TicketError):
    """The text is not a well-formed, canonical ticket of the expected format."""


class TicketDigestError(TicketError):
    """The digest does not match any configured key (tampered, foreign, or another address)."""

    def __init__(self, msg: str = "Invalid digest") -> None:
        super().__init__(msg)


class TicketExpired(TicketError):
    """The ticket verified but lies outside its validity window (expired or too far ahead)."""

    def __init__(self, msg: str = "Ticket expired") -> None:
        super().__init__(msg)


class WeakSecretWarning(UserWarning):
    """A secret shorter than `MIN_SECRET_BYTES` was accepted for legacy compatibility only.

    A ``UserWarning`` (shown by default) because a weak key is an operational
    problem the deployer must see, not a deprecation for library authors.
    """


class InsecureHashWarning(DeprecationWarning):
    """MD5 or SHA-1 was configured by name for interoperability with an old deployment."""
