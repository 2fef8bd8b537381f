"""Signing secrets: generation and the checks every secret passes at setup.

Why at setup: the original library accepted a ``str`` (or an empty) secret and
failed on the first request, or silently signed with a guessable key. Every
check here runs in a constructor, so a misconfigured service refuses to start
(SECURITY B3). Messages describe the problem, never the secret (B7).
"""

from __future__ import annotations

import secrets as _secrets
import warnings
from collections.abc import Sequence

from .errors import WeakSecretWarning

__all__ = ["MAX_SECRETS", "MIN_SECRET_BYTES", "check_secrets", "generate_secret"]

MIN_SECRET_BYTES = 32
"""Shortest secret accepted for signing: 256 bits, what ``generate_secret`` returns."""

MAX_SECRETS = 4
"""Most keys one signer holds: every verification costs one MAC per key (SECURITY B5)."""

_MIN_UNIQUE_BYTES = 5
_PLACEHOLDERS = (
    b"secret",
    b"changeme",
    b"change-me",
    b"change_me",
    b"django-insecure",
    b"insecure",
    b"your-secret",
    b"your_secret",
    b"password",
    b"example",
    b"default",
    b"replace-me",
    b"todo",
)


def generate_secret() -> bytes:
    """Return 32 fresh random bytes from the OS CSPRNG: a good signing secret."""
    return _secrets.token_bytes(MIN_SECRET_BYTES)


def _repeats_short_pattern(secret: bytes) -> bool:
    """True when the secret is a pattern of at most 8 bytes repeated (``b'ab' * 16``)."""
    for period in range(1, 9):
        if (
            len(secret) > period
            and secret == (secret[:period] * (len(secret) // period + 1))[: len(secret)]
        ):
            return True
    return False


def check_secret(secret: object, *, position: int, allow_short: bool, stacklevel: int = 3) -> bytes:
    """Validate one secret; ``position`` names it in messages instead of its value.

    ``stacklevel`` points a `WeakSecretWarning` at the caller's configuration line.
    """
    where = f"secret #{position}"
    if isinstance(secret, str):
        raise TypeError(
            f"{where} is a str; secrets must be bytes, e.g. bytes.fromhex(text) "
            "or auth_tickets.generate_secret()"
        )
    if not isinstance(secret, bytes):
        raise TypeError(f"{where} must be bytes, not {type(secret).__name__}")
    if not secret:
        raise ValueError(f"{where} is empty")
    lowered = secret.lower()
    if any(lowered.startswith(word) for word in _PLACEHOLDERS):
        raise ValueError(f"{where} looks like a placeholder; use auth_tickets.generate_secret()")
    if len(secret) < MIN_SECRET_BYTES:
        if not allow_short:
            raise ValueError(
                f"{where} has {len(secret)} bytes; at least {MIN_SECRET_BYTES} are required"
            )
        warnings.warn(
            f"{where} has only {len(secret)} bytes; accepted to verify legacy tickets only",
            WeakSecretWarning,
            stacklevel=stacklevel,
        )
    elif len(set(secret)) < _MIN_UNIQUE_BYTES or _repeats_short_pattern(secret):
        raise ValueError(f"{where} has too little variety to be a random key")
    return secret


def check_secrets(secrets: object, *, allow_short: bool = False) -> tuple[bytes, ...]:
    """Normalise ``secrets`` (one ``bytes`` or a newest-first sequence) into a checked tuple.

    ``allow_short`` is only for keys that verify legacy tickets: they may be
    shorter than `MIN_SECRET_BYTES`, with a `WeakSecretWarning`. Typed
    ``object`` because configuration arrives untyped: every shape is checked.
    """
    if isinstance(secrets, str):
        raise TypeError(
            "secrets must be bytes (or a sequence of bytes), not str; "
            "decode your configured text, e.g. bytes.fromhex(text)"
        )
    if isinstance(secrets, bytes):
        secrets = [secrets]
    if not isinstance(secrets, Sequence):
        raise TypeError("secrets must be bytes or a sequence (list/tuple) of bytes")
    items: Sequence[object] = secrets
    if not items:
        raise ValueError("at least one secret is required")
    if len(items) > MAX_SECRETS:
        raise ValueError(f"at most {MAX_SECRETS} secrets: each costs one MAC per verification")
    # check_secret <- this generator <- check_secrets <- TicketSigner <- configuration
    checked = tuple(
        check_secret(item, position=i, allow_short=allow_short, stacklevel=5)
        for i, item in enumerate(items)
    )
    if len(set(checked)) != len(checked):
        raise ValueError("the same secret is listed twice")
    return checked
