"""Percent-encoding with exactly one valid spelling per value.

Why strict: ``urllib.parse.unquote`` is lenient by design: ``%61lice`` is
``alice``, ``%2c`` and ``%2C`` are both a comma, and invalid UTF-8 becomes
U+FFFD. A ticket parser built on it accepts many spellings of one identity
(SECURITY A11, predecessor defect D3). `strict_unquote` accepts a field only
if quoting the decoded value reproduces the field byte for byte.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from .claims import decoded_text
from .errors import TicketParseError

__all__ = ["quote_field", "strict_unquote", "unquote_field"]


def quote_field(value: str, *, safe: str) -> str:
    """``quote(value, safe=safe)``, skipping the call for plain ASCII alphanumerics."""
    return value if value.isascii() and value.isalnum() else quote(value, safe=safe)


def unquote_field(field: str, *, safe: str, max_length: int, allow_empty: bool) -> str:
    """Decode a quoted field and check the value is one ``issue`` accepts.

    Plain ASCII alphanumerics are their own canonical quoting and skip the
    decoder (the common user id); anything else goes through `strict_unquote`.
    """
    if field.isascii() and field.isalnum() and len(field) <= max_length:
        return field
    value = strict_unquote(field, safe=safe)
    return decoded_text(value, max_length=max_length, allow_empty=allow_empty)


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
