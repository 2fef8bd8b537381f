"""Percent-encoding with exactly one valid spelling per value.

Why strict: ``urllib.parse.unquote`` is lenient by design: ``%61lice`` is
``alice``, ``%2c`` and ``%2C`` are both a comma, and invalid UTF-8 becomes
U+FFFD. A ticket parser built on it accepts many spellings of one identity
(SECURITY A11, predecessor defect D3). `strict_unquote` accepts a field only
if quoting the decoded value reproduces the field byte for byte.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from .errors import TicketParseError

__all__ = ["strict_unquote"]


def strict_unquote(field: str, *, safe: str) -> str:
    """Decode ``field``, which must be exactly ``quote(value, safe=safe)`` for some value."""
    if not field.isascii():
        raise TicketParseError("field contains non-ASCII characters")
    try:
        value = unquote(field, errors="strict")
    except UnicodeDecodeError:
        raise TicketParseError("percent-encoding is not valid UTF-8") from None
    if quote(value, safe=safe) != field:
        raise TicketParseError("field is not in canonical percent-encoding")
    return value
