"""Keeping tickets out of aiohttp's own logs, and attack noise out of the error log.

Our code never logs a ticket (SECURITY J6), but aiohttp's server does log
requests it cannot parse: a Cookie header with a NUL byte, a header line over
the size limit, and so on are logged at ERROR by ``aiohttp.server``, with the
offending header bytes, auth cookie included, in the exception text.  Anyone
can send such a request, so left alone it would put credentials into log
files and wake whoever is paged on errors.

`LogHygieneFilter`, installed on aiohttp's loggers by ``auth.setup()``:

* replaces with ``<redacted>``, in the message, its arguments and the
  exception text: the value of every auth cookie it knows
  (``<name>=<value>``, quoted values included); the credential after
  ``Bearer`` and after every scheme a policy registered (``<scheme>
  <credential>``); and everything after the scheme word of any header line
  named ``Authorization`` (``Proxy-Authorization`` and the like included);
* logs the client's protocol errors (``aiohttp.http_exceptions.BadHttpMessage``,
  or an error it caused: always answered 400) at INFO instead of ERROR,
  with every bytes literal in them (``b'...'``: what the client sent)
  replaced.  aiohttp's parsers quote
  the offending bytes without the header's name when a header value is
  malformed, folded onto a continuation line or too long, so no rule about
  names can find a credential there.  Errors of the server itself keep
  their level.

Why any ``Authorization`` header, and registered schemes as well.  Every
``Authorization`` header carries a credential whatever its scheme (a ticket
of ``HeaderTktAuthentication(scheme="Ticket")``, a ``Basic`` password,
another library's token), and the filter is shared by every application in
the process, whatever scheme each one uses.  So a header line is redacted
after its scheme word without consulting a list of schemes: simpler, and
nothing leaks because a scheme was not registered.  The scheme word is kept,
as it tells what kind of credential the client sent, but only when it looks
like a scheme name (a letter, then up to 31 letters, digits or ``-``,
followed by a space or tab); otherwise everything after the colon is
redacted.  aiohttp does not always log the header name, though: a header
value over the size limit is logged as its first 100 bytes alone
(``LineTooLong``), and an access log format may print ``%{Authorization}i``.
So ``auth.setup()`` also registers the scheme of a ``HeaderTktAuthentication``
(``protect_aiohttp_logs(scheme=...)``), and ``<scheme> <credential>`` is
redacted wherever it appears, as ``Bearer`` always was.  The price is some
over-redaction: the word after the scheme word in unrelated text (``GET
/ticket <redacted>`` in an access log line) is redacted too.

Session cookies.  For ``SessionTktAuthentication`` the credential on the wire
is the aiohttp-session cookie (the session id, or for cookie storages the
whole session), not the policy's ``cookie_name`` (a key in the session): the
policy registers the storage's ``cookie_name`` at application startup.

The filter is process-wide (aiohttp's loggers are), installed once, and only
ever adds cookie names and schemes.
"""

from __future__ import annotations

import logging
import re

from aiohttp.http_exceptions import BadHttpMessage

__all__ = ["AIOHTTP_LOGGERS", "LogHygieneFilter", "protect_aiohttp_logs"]

AIOHTTP_LOGGERS = ("aiohttp.server", "aiohttp.access", "aiohttp.web", "aiohttp.internal")
REDACTED = "<redacted>"
_VALUE = r"[^;,\s\"'\\]+"
#: A quoted cookie value (``SimpleCookie`` quotes JSON, e.g. aiohttp-session's
#: ``SimpleCookieStorage``) holds spaces and ``\"``; its ``;`` is escaped, so
#: it ends at the next ``;`` or the end of the line.
_COOKIE_VALUE = rf"\"[^;\r\n]*|{_VALUE}"
#: A Python bytes literal as ``repr`` writes it (single or double quotes, escapes).
_BYTES_LITERAL = re.compile(r"\bb'(?:[^'\\\n]|\\.)*'|\bb\"(?:[^\"\\\n]|\\.)*\"")
#: The part of an ``Authorization`` header line that is kept: name, colon, scheme word.
_AUTHORIZATION = r"(?i:authorization)[ \t]*:[ \t]*(?:[A-Za-z][A-Za-z0-9-]{0,31}[ \t]+)?"


class LogHygieneFilter(logging.Filter):
    """Redact auth credentials in log records; log client protocol errors at INFO."""

    def __init__(self) -> None:
        super().__init__()
        self._names: set[str] = set()
        self._schemes: set[str] = {"bearer"}
        self._pattern, self._template = self._compile()

    def add_cookie_name(self, name: str) -> None:
        """Also redact the value of cookie ``name`` from now on."""
        if name in self._names:
            return
        self._names.add(name)
        self._pattern, self._template = self._compile()

    def add_scheme(self, scheme: str) -> None:
        """Also redact the credential after the word ``scheme`` (any case) from now on."""
        if scheme.lower() in self._schemes:
            return
        self._schemes.add(scheme.lower())
        self._pattern, self._template = self._compile()

    def _compile(self) -> tuple[re.Pattern[str], str]:
        """One pattern, and its replacement: each alternative captures what it keeps
        in its own group (a group that did not match is empty in the replacement)."""

        def longest_first(words: set[str]) -> str:
            return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

        alternatives = [
            rf"({_AUTHORIZATION})[^\r\n]+",
            rf"((?i:{longest_first(self._schemes)})\s+){_VALUE}",
        ]
        if self._names:
            names = longest_first(self._names)
            alternatives.append(rf"((?:{names})[ \t]*=[ \t]*)(?:{_COOKIE_VALUE})")
        groups = "".join(rf"\{number}" for number in range(1, len(alternatives) + 1))
        return re.compile("|".join(alternatives)), groups + REDACTED

    def redact(self, text: str) -> str:
        return self._pattern.sub(self._template, text)

    def redact_client_bytes(self, text: str) -> str:
        """``redact``, and every ``b'...'`` literal replaced: the bytes a client sent."""
        return _BYTES_LITERAL.sub(REDACTED, self.redact(text))

    def filter(self, record: logging.LogRecord) -> bool:
        redact = self.redact
        if record.exc_info and _caused_by_the_client(record.exc_info[1]):
            record.levelno, record.levelname = logging.INFO, "INFO"
            redact = self.redact_client_bytes
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            cleaned = redact(record.exc_text)
            if cleaned != record.exc_text:
                # formatters print exc_text; handlers that read the raw exception
                # (error trackers) must not get the credential either
                record.exc_text, record.exc_info = cleaned, None
        return True


def _caused_by_the_client(exc: BaseException | None) -> bool:
    """Whether ``exc`` is, or was raised because of, a protocol error of the client.

    aiohttp wraps some: a request body whose ``Content-Encoding`` does not
    decode is a ``ContentEncodingError`` (a ``BadHttpMessage``) inside the
    ``RequestPayloadError`` it logs when it drains the body after a handler.
    """
    for _ in range(_CAUSE_DEPTH):
        if exc is None:
            return False
        if isinstance(exc, BadHttpMessage):
            return True
        exc = exc.__cause__
    return False


_CAUSE_DEPTH = 4
_FILTER = LogHygieneFilter()


def protect_aiohttp_logs(
    cookie_name: str | None = None, *, scheme: str | None = None
) -> LogHygieneFilter:
    """Install the process-wide filter on aiohttp's loggers (idempotent).

    ``cookie_name``: a cookie whose value is a credential; ``scheme``: an
    ``Authorization`` scheme whose credential is redacted wherever it appears.
    """
    if cookie_name:
        _FILTER.add_cookie_name(cookie_name)
    if scheme:
        _FILTER.add_scheme(scheme)
    for name in AIOHTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    return _FILTER
