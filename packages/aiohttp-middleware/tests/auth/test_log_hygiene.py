"""J6 at aiohttp's own loggers: malformed requests carrying a ticket are logged clean."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

import pytest
from aiohttp.http_exceptions import BadHttpMessage

from aiohttp_auth.log_hygiene import REDACTED, LogHygieneFilter, protect_aiohttp_logs

TICKET = "v1!1800000060!1800000000!L0g1n-1d_AbC!!alice!!!" + "ab" * 32


def record_with(exc: BaseException | None, msg: str = "Error handling request", *args: Any):
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, msg, args, exc_info)


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException:
        return sys.exc_info()[1]  # type: ignore[return-value]


@pytest.fixture
def hygiene() -> LogHygieneFilter:
    log_filter = LogHygieneFilter()
    log_filter.add_cookie_name("AUTH_TKT")
    log_filter.add_cookie_name("__Host-AUTH_TKT")
    return log_filter


@pytest.mark.parametrize(
    "text",
    [
        f"Cookie: AUTH_TKT={TICKET}",
        f"b'AUTH_TKT={TICKET}\\x00'",
        f'AUTH_TKT="{TICKET}"; other=1',
        f"__Host-AUTH_TKT={TICKET}",
        f"Authorization: Bearer {TICKET}",
        f"authorization: bearer {TICKET}",
    ],
)
def test_J6_credentials_are_redacted_wherever_they_appear(hygiene, text):
    cleaned = hygiene.redact(text)
    assert TICKET not in cleaned
    assert TICKET[-64:] not in cleaned
    assert REDACTED in cleaned


def test_J6_other_cookies_and_text_are_left_alone(hygiene):
    text = "Cookie: theme=dark; SESSION=abc; Accept: */*"
    assert hygiene.redact(text) == text


def test_J6_a_client_protocol_error_is_info_and_its_exception_text_is_clean(hygiene):
    exc = raised(BadHttpMessage(f"Invalid header value: b'AUTH_TKT={TICKET}\\x00'"))
    record = record_with(exc)
    assert hygiene.filter(record) is True
    assert record.levelno == logging.INFO
    assert record.levelname == "INFO"
    assert TICKET[-64:] not in (record.exc_text or "")
    assert "BadHttpMessage" in (record.exc_text or "")
    assert record.exc_info is None  # raw exception withheld from error trackers
    formatted = logging.Formatter().format(record)
    assert TICKET[-64:] not in formatted
    assert REDACTED in formatted


def test_J6_server_errors_keep_their_level_and_clean_ones_keep_their_exception(hygiene):
    exc = raised(RuntimeError("database down"))
    record = record_with(exc)
    hygiene.filter(record)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None


def test_J6_message_arguments_are_redacted(hygiene):
    record = record_with(None, "request from %s with %s", "127.0.0.1", f"AUTH_TKT={TICKET}")
    hygiene.filter(record)
    assert TICKET not in record.getMessage()
    assert "127.0.0.1" in record.getMessage()


def test_protect_aiohttp_logs_is_idempotent_and_installs_one_filter():
    first = protect_aiohttp_logs("AUTH_TKT")
    second = protect_aiohttp_logs("OTHER")
    assert first is second
    server = logging.getLogger("aiohttp.server")
    assert server.filters.count(first) == 1
    assert REDACTED in first.redact("OTHER=secretvalue")


async def test_J6_a_malformed_request_through_setup_logs_no_ticket(
    aiohttp_server: Any, make_app: Any, secret: bytes, caplog: Any
) -> None:
    from aiohttp_auth import auth

    policy = auth.CookieTktAuthentication(secret, 600)
    server = await aiohttp_server(make_app(policy))
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: AUTH_TKT="
        + TICKET.encode()
        + b"\x00\r\n\r\n"
    )
    await writer.drain()
    with caplog.at_level(logging.DEBUG):
        status = await reader.readline()
        await reader.read()
    writer.close()
    assert status.split()[1] == b"400"  # aiohttp answers HTTP/1.0 to what it cannot parse
    records = [r for r in caplog.records if r.name.startswith("aiohttp")]
    assert records, "aiohttp logged nothing: the premise changed"
    assert all(r.levelno <= logging.INFO for r in records)
    for record in records:
        assert TICKET[-64:] not in record.getMessage()
        assert TICKET[-64:] not in (record.exc_text or "")


#: Ways to make aiohttp's parser refuse a request and log the header's bytes
#: (a NUL byte, a bare CR, a value over the 8190-byte limit: its first 100 bytes).
MALFORMED = {
    "NUL": b"; x=\x00",
    "CR": b"\rX: y",
    "too long": b"; pad=" + b"a" * 9000,
}


async def aiohttp_logs_for(server: Any, header: bytes, caplog: Any) -> str:
    """Send a request with ``header`` that aiohttp refuses (400); all its aiohttp log text."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + header + b"\r\n\r\n")
    await writer.drain()
    with caplog.at_level(logging.DEBUG):
        status = await reader.readline()
        await reader.read()
    writer.close()
    assert status.split()[1] == b"400"
    records = [r for r in caplog.records if r.name.startswith("aiohttp")]
    assert records, "aiohttp logged nothing: the premise changed"
    assert all(r.levelno <= logging.INFO for r in records)
    return "\n".join(logging.Formatter().format(r) for r in records)


def test_J6_a_quoted_cookie_value_is_redacted_whole(hygiene):
    # SimpleCookie quotes a JSON value (aiohttp-session's SimpleCookieStorage)
    text = f'Cookie: AUTH_TKT="{{\\"session\\": {{\\"t\\": \\"{TICKET}\\"}}}}"; theme=dark'
    assert hygiene.redact(text) == f"Cookie: AUTH_TKT={REDACTED}; theme=dark"
    assert hygiene.redact(f"AUTH_TKT = {TICKET}") == f"AUTH_TKT = {REDACTED}"


async def test_J6_a_session_app_registers_its_session_cookie_at_startup(
    make_app: Any, secret: bytes
) -> None:
    import aiohttp_session
    from aiohttp import web

    from aiohttp_auth import auth

    storage = aiohttp_session.SimpleCookieStorage(cookie_name="J6_STARTUP_SESSION")
    app = make_app(auth.SessionTktAuthentication(secret, 600), session_storage=storage)
    log_filter = protect_aiohttp_logs()
    assert REDACTED not in log_filter.redact("J6_STARTUP_SESSION=abc")
    runner = web.AppRunner(app)
    await runner.setup()  # startup: before the server accepts a connection
    try:
        assert log_filter.redact("J6_STARTUP_SESSION=abc") == f"J6_STARTUP_SESSION={REDACTED}"
    finally:
        await runner.cleanup()


async def test_J6_a_session_app_whose_storage_cannot_be_found_starts_and_warns(
    start_app: Any,
    make_app: Any,
    secret: bytes,
    memory_storage: Any,
    monkeypatch: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A future aiohttp-session that keeps its storage elsewhere must not stop the app."""
    from aiohttp_auth import auth
    from aiohttp_auth.auth import session_ticket_auth

    protected: list[str] = []
    monkeypatch.setattr(session_ticket_auth, "_storage_of", lambda middleware: None)
    monkeypatch.setattr(session_ticket_auth, "protect_aiohttp_logs", protected.append)
    app = make_app(auth.SessionTktAuthentication(secret, 600), session_storage=memory_storage)
    with caplog.at_level(logging.WARNING, logger="aiohttp_auth.auth"):
        await start_app(app)
    assert protected == ["AIOHTTP_SESSION"] * 2  # when the policy is made, then at startup
    assert any("cannot find the storage" in r.getMessage() for r in caplog.records)


SESSION_ID = "J6-s3ss10n-1d-" + "cd" * 16
SIMPLE_SESSION = (
    '"{\\"created\\": 1800000000\\054 \\"session\\": {\\"AUTH_TKT\\": \\"' + TICKET + '\\"}}"'
)


@pytest.mark.parametrize("malformed", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize(
    ("storage_name", "cookie", "secrets"),
    [
        # the id of a server-side session is the credential
        ("memory", f"SID={SESSION_ID}", [SESSION_ID]),
        # a cookie storage's value is the session, ticket included (quoted JSON)
        ("simple", f"AIOHTTP_SESSION={SIMPLE_SESSION}", [TICKET[3:23], TICKET[-64:]]),
    ],
    ids=["server-side session id", "SimpleCookieStorage"],
)
async def test_J6_a_malformed_request_with_the_session_cookie_logs_no_session(
    aiohttp_server: Any,
    make_app: Any,
    secret: bytes,
    memory_storage: Any,
    caplog: Any,
    storage_name: str,
    cookie: str,
    secrets: list[str],
    malformed: bytes,
) -> None:
    import aiohttp_session

    from aiohttp_auth import auth

    storage = memory_storage if storage_name == "memory" else aiohttp_session.SimpleCookieStorage()
    policy = auth.SessionTktAuthentication(secret, 600)  # its cookie_name is a key in the session
    server = await aiohttp_server(make_app(policy, session_storage=storage))
    logged = await aiohttp_logs_for(server, b"Cookie: " + cookie.encode() + malformed, caplog)
    assert REDACTED in logged
    for secret_part in secrets:
        assert secret_part not in logged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"b'Authorization: Ticket {TICKET} \\x00'", f"b'Authorization: Ticket {REDACTED}"),
        (
            "Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==",
            f"Proxy-Authorization: Basic {REDACTED}",
        ),
        (f"authorization:\tToken {TICKET}", f"authorization:\tToken {REDACTED}"),
        (f"Authorization: {TICKET}", f"Authorization: {REDACTED}"),  # no scheme word
        (f"Authorization: {TICKET} x", f"Authorization: {REDACTED}"),  # not a scheme name
        (f"b'Authorization:\\tTicket {TICKET}'", f"b'Authorization:{REDACTED}"),
    ],
    ids=["repr", "proxy basic", "tab", "no scheme", "not a scheme", "escaped tab"],
)
def test_J6_any_authorization_header_is_redacted_after_its_scheme_word(hygiene, text, expected):
    assert hygiene.redact(text) == expected


def test_J6_a_registered_scheme_is_redacted_without_the_header_name():
    # aiohttp logs the first 100 bytes of a header value over the size limit, without its name
    text = f"Got more than 8190 bytes when reading: b'Ticket {TICKET[:80]}...'."
    log_filter = LogHygieneFilter()
    assert log_filter.redact(text) == text
    log_filter.add_scheme("ticket")
    redacted = f"Got more than 8190 bytes when reading: b'Ticket {REDACTED}'."
    assert log_filter.redact(text) == redacted
    assert log_filter.redact(f"TICKET {TICKET}") == f"TICKET {REDACTED}"
    assert log_filter.redact(f"Bearer {TICKET}") == f"Bearer {REDACTED}"


@pytest.mark.parametrize("malformed", MALFORMED.values(), ids=MALFORMED.keys())
async def test_J6_a_malformed_request_with_a_ticket_of_another_scheme_logs_no_ticket(
    aiohttp_server: Any, make_app: Any, secret: bytes, caplog: Any, malformed: bytes
) -> None:
    from aiohttp_auth import auth

    policy = auth.HeaderTktAuthentication(secret, 600, scheme="J6Ticket")
    server = await aiohttp_server(make_app(policy))
    header = b"Authorization: J6Ticket " + TICKET.encode() + malformed
    logged = await aiohttp_logs_for(server, header, caplog)
    assert REDACTED in logged
    assert TICKET[3:23] not in logged
    assert TICKET[-64:] not in logged


@pytest.mark.parametrize("install", ["setup", "bare middleware"])
def test_J6_the_bare_middleware_protects_the_logs_like_setup(
    secret: bytes, monkeypatch: Any, install: str
) -> None:
    """``auth_middleware(policy)`` in a middleware list, without ``setup``, is still supported."""
    from aiohttp import web

    from aiohttp_auth import auth
    from aiohttp_auth.auth import auth as auth_module

    registered: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(
        auth_module,
        "protect_aiohttp_logs",
        lambda name=None, *, scheme=None: registered.append((name, scheme)),
    )
    for policy in (
        auth.CookieTktAuthentication(secret, 60, cookie_name="SITE_TKT"),
        auth.HeaderTktAuthentication(secret, 60, scheme="Ticket"),
    ):
        if install == "setup":
            auth.setup(web.Application(), policy)
        else:
            auth.auth_middleware(policy)
    assert registered == [("SITE_TKT", None), ("AUTH_TKT", "ticket")]


@pytest.mark.parametrize(
    "quoted",
    [
        "b'Basic QmFzaWNTZWNyZXQx\\x00'",  # aiohttp's pure-Python parser: the value, no name
        "b' QmFzaWNTZWNyZXQx'",  # a folded continuation line, both parsers
        'b"it\'s QmFzaWNTZWNyZXQx"',  # repr switches quotes when the bytes hold one
    ],
)
def test_J6_a_client_protocol_error_loses_every_byte_the_client_sent(
    hygiene: LogHygieneFilter, quoted: str
) -> None:
    """No rule about header names can find a credential quoted without its name."""
    error = raised(BadHttpMessage(f"Invalid HTTP header: {quoted}"))
    record = record_with(error, "Error handling request from %s", "127.0.0.1")
    hygiene.filter(record)
    assert record.levelno == logging.INFO
    assert "QmFzaWNTZWNyZXQx" not in record.getMessage()
    assert "QmFzaWNTZWNyZXQx" not in (record.exc_text or "")
    assert f"Invalid HTTP header: {REDACTED}" in (record.exc_text or "")
    assert "127.0.0.1" in record.getMessage()  # the rest of the line is kept


def test_J6_a_server_error_keeps_its_bytes_literals(hygiene: LogHygieneFilter) -> None:
    """Only what a client sent is dropped wholesale; a server's own error stays readable."""
    record = record_with(raised(ValueError("unexpected b'payload' from the database")))
    hygiene.filter(record)
    assert record.levelno == logging.ERROR
    assert "b'payload'" in (record.exc_text or "")


async def test_J6_a_folded_authorization_header_logs_no_credential(
    aiohttp_server: Any, make_app: Any, secret: bytes, caplog: Any
) -> None:
    from aiohttp_auth import auth

    server = await aiohttp_server(make_app(auth.HeaderTktAuthentication(secret, 600)))
    logs = await aiohttp_logs_for(server, b"Authorization: Bearer\r\n " + TICKET.encode(), caplog)
    assert TICKET[-64:] not in logs


def test_J6_a_session_policy_protects_the_default_session_cookie_from_the_start(
    secret: bytes, monkeypatch: Any
) -> None:
    """Before any startup check: a bare ``auth_middleware(policy)`` never runs one."""
    from aiohttp_auth import auth
    from aiohttp_auth.auth import session_ticket_auth

    registered: list[str] = []
    monkeypatch.setattr(session_ticket_auth, "protect_aiohttp_logs", registered.append)
    auth.SessionTktAuthentication(secret, 600)
    assert registered == ["AIOHTTP_SESSION"]


def test_J6_an_error_a_client_protocol_error_caused_is_info_too(hygiene: LogHygieneFilter) -> None:
    """A body whose Content-Encoding does not decode: aiohttp logs the wrapper it raises."""
    from aiohttp.http_exceptions import ContentEncodingError
    from aiohttp.web import RequestPayloadError

    try:
        try:
            raise ContentEncodingError("Can not decode content-encoding: gzip")
        except ContentEncodingError as cause:
            raise RequestPayloadError("body") from cause
    except RequestPayloadError as wrapper:
        record = record_with(wrapper, "Unhandled exception")
    hygiene.filter(record)
    assert record.levelno == logging.INFO
