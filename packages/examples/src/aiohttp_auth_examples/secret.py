"""Where the examples get their signing secret.

A signing secret must survive restarts (or every user is logged out) and
must be the same on every worker (or a ticket from one is refused by the
other), so it comes from the environment: ``AIOHTTP_AUTH_SECRET``, as hex
(``python -c "import secrets; print(secrets.token_hex(32))"``).  When it is
not set, the examples make a random one for this start and say so once,
at WARNING, because that is fine on a laptop and wrong in production.
"""

from __future__ import annotations

import logging
import os
import secrets

__all__ = ["SECRET_ENV", "load_secret"]

SECRET_ENV = "AIOHTTP_AUTH_SECRET"  # noqa: S105 - the variable's name, not a secret
_log = logging.getLogger("aiohttp_auth_examples")


def load_secret(environ: dict[str, str] | None = None) -> bytes:
    """Return the secret from ``$AIOHTTP_AUTH_SECRET`` (hex), or a fresh random one."""
    env = os.environ if environ is None else environ
    text = env.get(SECRET_ENV, "").strip()
    if not text:
        _log.warning(
            "%s is not set: using a random secret for this run only; "
            "tickets will not survive a restart or work across workers",
            SECRET_ENV,
        )
        return secrets.token_bytes(32)
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise SystemExit(
            f"{SECRET_ENV} must be hex, e.g. the output of secrets.token_hex(32)"
        ) from None
    if len(secret) < 32:
        raise SystemExit(f"{SECRET_ENV} must hold at least 32 bytes (64 hex digits)")
    return secret
