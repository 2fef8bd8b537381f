"""Reading the auth cookie out of the raw ``Cookie`` headers: one rule, two speeds.

Why not ``request.cookies``: aiohttp keeps only the last value of a repeated
name (so a tossed cookie could hide the real one, SECURITY A18), reads only
the first ``Cookie`` header, and parses every cookie of the request through
``Morsel`` objects, several microseconds on every authenticated request.

The rule, the same for both paths (RFC 6265 section 5.4, as browsers send it):
every ``Cookie`` header is split on ``;``; a piece is a pair when it holds an
``=``; its name is the text before the first ``=``, stripped; its value the
rest, stripped, and unquoted when it is wrapped in double quotes.  Every
distinct non-empty value of a pair named ours is a candidate ticket.

* ``cookie_values`` is the careful path: it walks every pair of every header.
* ``auth_cookie_candidates`` is the fast path for the usual request: one
  header in which our name occurs at most once.  Then at most one pair can be
  named ours (a pair's stripped name must contain it), so only that pair is
  cut out with ``str.find``.  Anything else, a second occurrence of the name
  included (a duplicate, or our name inside another cookie's name or value),
  goes the careful way.  ``test_cookie_reading`` checks that both paths agree
  on hostile headers.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["auth_cookie_candidates", "cookie_values", "unquote_value"]

#: ``value_decode`` reads no state of its instance: one decoder serves every request.
_DECODER: SimpleCookie = SimpleCookie()


def unquote_value(value: str) -> str:
    """Undo the double quotes (and their backslash escapes) a cookie value may carry."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _DECODER.value_decode(value)[0]
    return value


def cookie_values(headers: Sequence[str], name: str) -> list[str]:
    """Every distinct value the ``Cookie`` headers give ``name``, in order (empty ones too)."""
    values: list[str] = []
    for header in headers:
        for pair in header.split(";"):
            key, sep, value = pair.partition("=")
            if not sep or key.strip() != name:
                continue
            value = unquote_value(value.strip())
            if value not in values:
                values.append(value)
    return values


def auth_cookie_candidates(headers: Sequence[str], name: str) -> list[str]:
    """The distinct non-empty values of the cookie ``name``: ``cookie_values`` without the empties.

    ``name`` must be a cookie token (no ``=``, ``;`` or whitespace), which
    ``CookieOptions`` guarantees.
    """
    if len(headers) == 1:
        header = headers[0]
        at = header.find(name)
        if at < 0:
            return []  # no piece contains the name, so no pair is named so
        after = at + len(name)
        if header.find(name, at + 1) < 0:
            start = header.rfind(";", 0, at) + 1
            end = header.find(";", after)
            if end < 0:
                end = len(header)
            equals = header.find("=", after, end)
            # Ours only if nothing but whitespace surrounds the name before the first '='.
            if equals < 0 or header[start:at].strip() or header[after:equals].strip():
                return []
            value = header[equals + 1 : end].strip()
            if value[:1] == '"':
                value = unquote_value(value)
            return [value] if value else []
    return [value for value in cookie_values(headers, name) if value]
