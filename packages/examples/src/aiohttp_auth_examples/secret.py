"""Where the examples get their signing secret.

A signing secret must survive restarts (or every user is logged out) and
must be the same on every worker (or a ticket from one is refused by the
other), so it comes from the environment: ``AIOHTTP_AUTH_SECRET``, as hex
(``python -c "import secrets; print(secrets.token_hex(32))"``).  When it is
not set, the examples make a random one for this start and say so once,
at WARNING, because that is fine on a laptop and wrong in production.

During a key rotation the variable holds a comma-separated list, newest
first (``new_hex,old_hex``): the first signs, every one verifies.  Every
worker must verify what any other worker signs, so a rotation is rolled
out in two steps (see the README, "Several workers and Redis").
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SECRET_ENV", "load_secret", "load_secrets"]

SECRET_ENV = "AIOHTTP_AUTH_SECRET"  # noqa: S105 - the variable's name, not a secret
_log = logging.getLogger("aiohttp_auth_examples")


def load_secret(environ: Mapping[str, str] | None = None) -> bytes:
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
    return _parse(text)


def _parse(text: str) -> bytes:
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise SystemExit(
            f"{SECRET_ENV} must be hex, e.g. the output of secrets.token_hex(32)"
        ) from None
    if len(secret) < 32:
        raise SystemExit(f"{SECRET_ENV} must hold at least 32 bytes (64 hex digits)")
    return secret


def load_secrets(environ: Mapping[str, str] | None = None) -> list[bytes]:
    """Every secret in ``$AIOHTTP_AUTH_SECRET`` (``new_hex,old_hex,...``), newest first.

    One secret gives a one-item list; an unset variable a random secret, as
    :func:`load_secret`.  More than four is refused (each costs one MAC per
    request that presents an old ticket).
    """
    env = os.environ if environ is None else environ
    parts = [part.strip() for part in env.get(SECRET_ENV, "").split(",")]
    if parts == [""]:
        return [load_secret(env)]
    if len(parts) > 4:
        raise SystemExit(f"{SECRET_ENV} holds {len(parts)} secrets: at most 4 (newest first)")
    return [_parse(part) for part in parts]
