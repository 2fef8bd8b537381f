"""Raw bytes no HTTP client sends, against the example apps started as users start them.

``python -m aiohttp_auth_examples --app ...`` runs as a subprocess with its
own logging configuration (``logging.basicConfig`` at INFO), so this is the
output an operator would see.  Requests are written byte for byte on a
socket: ``\\xff`` and surrogate bytes in a Cookie header, our cookie name
repeated, 8 KB values, a 9 KB header line, NUL.  The promises: never a 5xx,
the server keeps answering, and its output holds no WARNING/ERROR and no
ticket (``example_process`` checks the output at teardown).  Malformed HTTP
that aiohttp itself refuses (a 9 KB line, a NUL) is pinned separately,
because aiohttp logs those at ERROR itself.
"""

from __future__ import annotations

import logging

import pytest

from auth_tickets import TicketSigner

PATHS = {
    "getting-started": ["/", "/view", "/admin", "/logout"],
    "session": ["/", "/view", "/admin", "/logout"],
    "tree": ["/docs/welcome", "/docs/roadmap", "/docs/alice-notes", "/logout"],
}
ANON_OK = {200, 401, 403, 404}


def hostile_cookies(valid: bytes, other: bytes) -> list[bytes]:
    return [
        b"AUTH_TKT=\xff",
        b"AUTH_TKT=" + valid[:20] + b"\xff\xfe" + valid[22:],
        b"AUTH_TKT=\xed\xa0\x80; AIOHTTP_SESSION=\xff",
        b"AUTH_TKT=" + valid + b"; AUTH_TKT=" + other,  # cookie tossing
        b"AUTH_TKT=" + other + b"; AUTH_TKT=" + valid,
        b"; ".join([b"AUTH_TKT=" + valid] * 6),
        b"AUTH_TKT=" + b"A" * 8000,
        b"AUTH_TKT=" + valid + b"Z" * 4000,
        b"AUTH_TKT=%ff%fe%00; AIOHTTP_SESSION=../../etc/passwd",
        b"AIOHTTP_SESSION=" + b"\xff" * 100,
        b"AUTH_TKT=" + b"!" * 7 + b"; =; ;;; AUTH_TKT",
        b'AUTH_TKT="\\"\\\\"; $Version=1',
    ]


def signer_for(kit) -> TicketSigner:
    return TicketSigner(kit.SECRET, max_age=60)


@pytest.mark.parametrize("app", sorted(PATHS))
async def test_A10_A17_A18_hostile_cookie_bytes_never_5xx_on_each_example_app(
    app, kit, example_process
):
    server = example_process(app)
    signer = signer_for(kit)
    valid = signer.issue("alice", client_ip="127.0.0.1").encode()
    other = signer.issue("bob", client_ip="127.0.0.1").encode()
    statuses = set()
    for cookie in hostile_cookies(valid, other):
        for path in PATHS[app]:
            response = await kit.raw_request(server.port, kit.cookie_head(path, cookie))
            assert response.status in ANON_OK, (app, path, cookie[:60], response.status)
            statuses.add(response.status)
    # the hostile traffic left the server healthy: a valid ticket still authenticates
    path = "/docs/welcome" if app == "tree" else "/"
    ok = await kit.raw_request(server.port, kit.cookie_head(path, b"AUTH_TKT=" + valid))
    assert ok.status == 200
    assert server.process.poll() is None
    assert statuses <= ANON_OK


async def test_A10_garbage_authorization_and_forwarding_headers_never_5xx(kit, example_process):
    server = example_process("getting-started")
    extras = [
        b"Authorization: Bearer \xff\xfe",
        b"Authorization: Basic " + b"=" * 3000,
        b"X-Forwarded-For: " + b"1.2.3.4," * 500,
        b'Forwarded: for="[::1]:80";by=\xff',
        b"X-Real-IP: not-an-ip",
    ]
    for extra in extras:
        head = kit.cookie_head("/view", b"AUTH_TKT=garbage") + b"\r\n" + extra
        response = await kit.raw_request(server.port, head)
        assert response.status == 403, (extra[:40], response.status)


@pytest.mark.parametrize("line", [b"Cookie: AUTH_TKT=" + b"A" * 9 * 1024, b"X-Pad: " + b"p" * 9000])
async def test_A7_a_9kb_header_line_is_aiohttps_400_and_the_app_survives(kit, tmp_path, line):
    """aiohttp refuses it before any of our code runs; its log line is a client's error.

    ``auth.setup`` filters aiohttp's loggers (aiohttp_auth.log_hygiene): a
    request the parser refuses is logged at INFO, with cookie values redacted.
    """
    server = kit.start_example("getting-started", tmp_path / "server.log")
    try:
        head = b"GET / HTTP/1.1\r\nHost: x\r\n" + line
        assert (await kit.raw_request(server.port, head)).status == 400
        after = await kit.raw_request(server.port, kit.cookie_head("/", None))
        assert (after.status, after.body) == (200, b"Home page.")
    finally:
        kit.stop_example(server)
    output = server.output()
    assert "INFO aiohttp.server: Error handling request" in output  # aiohttp's own line
    assert "ERROR" not in output
    assert "A" * 64 not in output  # the oversized cookie value is not copied into the log
    assert "aiohttp_auth" not in output.replace("aiohttp_auth_examples", "")  # none of ours


async def test_J6_a_malformed_request_carrying_a_ticket_does_not_log_the_ticket(
    stack, log_guard, caplog
):
    app = await stack()
    log_guard.exempt.add("aiohttp.server")  # this test checks that logger itself
    ticket = app.ticket()
    response = await app.raw("/", b"AUTH_TKT=" + ticket.encode() + b"\x00")
    assert response.status == 400
    logged = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert logged, "aiohttp logged nothing: the premise changed"
    assert all(r.levelno <= logging.INFO for r in logged)
    assert not any(ticket[-64:] in r.getMessage() for r in logged)
