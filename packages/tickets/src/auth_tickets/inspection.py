"""Read a ticket's fields WITHOUT verifying it: a debugging aid for the CLI.

Why it exists and why it is loud: people paste cookies into terminals to see
what they say. Decoding is harmless; *trusting* the result is not. Every
result carries ``"verified": False`` and an UNVERIFIED warning, and nothing
here touches a key.
"""

from __future__ import annotations

import datetime
from urllib.parse import unquote

__all__ = ["UNVERIFIED", "inspect_ticket"]

UNVERIFIED = "UNVERIFIED: decoded without checking the signature; do not trust these values"
_HEX = "0123456789abcdef"
_DIGEST_HEX_LENGTHS = (128, 96, 64, 56, 40, 32)  # sha512, sha384, sha256, sha224, sha1, md5


def _when(seconds: int) -> str:
    try:
        moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return "out of range"
    return moment.isoformat()


def _hmac_fields(text: str) -> dict[str, object] | None:
    parts = text.split("!")
    if len(parts) != 9 or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    valid_until, auth_time = int(parts[1]), int(parts[2])
    return {
        "format": "hmac",
        "valid_until": valid_until,
        "valid_until_utc": _when(valid_until),
        "auth_time": auth_time,
        "auth_time_utc": _when(auth_time),
        "login_id": parts[3],
        "client_ip": parts[4] or None,
        "user_id": unquote(parts[5]),
        "tokens": parts[6].split(".") if parts[6] else [],
        "user_data": unquote(parts[7]),
    }


def _legacy_fields(text: str) -> dict[str, object] | None:
    for size in _DIGEST_HEX_LENGTHS:
        time_field = text[size : size + 8]
        fields = text[size + 8 :].split("!")
        if len(time_field) == 8 and not time_field.strip(_HEX) and len(fields) in (2, 3):
            stamp = int(time_field, 16)
            return {
                "format": "ticket_auth or mod_auth_tkt (guessed from the shape)",
                "digest_hex_length": size,
                "timestamp": stamp,
                "timestamp_utc": _when(stamp),
                "note": "ticket_auth stores valid_until here, mod_auth_tkt the issue time",
                "user_id": unquote(fields[0]),
                "tokens": [unquote(t) for t in fields[1].split(",")] if len(fields) == 3 else [],
                "user_data": unquote(fields[-1]),
            }
    return None


def inspect_ticket(text: str) -> dict[str, object]:
    """Best-effort decode of any format; never raises for a ``str``."""
    result: dict[str, object] = {"verified": False, "warning": UNVERIFIED}
    fields = _hmac_fields(text) if text.startswith("v1!") else _legacy_fields(text)
    result.update(fields or {"format": "unrecognised"})
    return result
