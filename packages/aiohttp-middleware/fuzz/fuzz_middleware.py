"""Atheris harness: whole requests through the middleware, over a real socket, never a 5xx.

Run (libFuzzer flags pass straight through; exit status 0 means no crash):

    python packages/aiohttp-middleware/fuzz/fuzz_middleware.py -max_total_time=60
    python packages/aiohttp-middleware/fuzz/fuzz_middleware.py -runs=5000 -seed=1

Why a real server: the bytes an attacker controls (Cookie and Authorization
header values, X-Forwarded-For) pass through aiohttp's HTTP parser, which
decodes raw bytes with ``surrogateescape``, before our code sees them
(SECURITY A10, A16, D4).  The aiohttp test client re-encodes headers and
``make_mocked_request`` refuses non-UTF-8 ones, so each input is written as
raw bytes to a ``TestServer`` that lives, with its event loop, for the whole
run.  Two small apps sit behind it: a cookie policy with IP binding, a
trusted proxy, reissue on every request, revocation and an ACL; and an
``Authorization``-header policy.  The fuzz bytes become the cookie value
(alone, spliced into a valid ticket, or beside one as a duplicate), the
whole Cookie header, the forwarding header or the Authorization value.

A crash is: a 5xx answer, an exception in the harness's request, a record
of ours above INFO, or a ticket in any record of ours (J6).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys

import atheris

with atheris.instrument_imports():
    import aiohttp_auth
    from aiohttp_auth import auth, autz
    from aiohttp_auth.autz.policy import acl
    from aiohttp_auth.permissions import Group, Permission

from aiohttp import web
from aiohttp.test_utils import TestServer

SECRET = bytes(range(9, 41))
NOW = 1_800_000_000
PATHS = (b"/", b"/view", b"/logout")
TICKET_IN_TEXT = re.compile(r"v1![0-9]+![0-9]+!|[0-9a-f]{40,}")


class Groups(acl.AbstractACLAutzPolicy):
    async def acl_groups(self, user_identity: object) -> tuple[str, ...]:
        return ("staff",) if user_identity == "alice" else ()


async def whoami(request: web.Request) -> web.Response:
    return web.Response(text=str(await auth.get_auth(request)))


async def view(request: web.Request) -> web.Response:
    await autz.require(request, "view")
    return web.Response(text="view")


async def logout(request: web.Request) -> web.Response:
    await auth.forget(request)
    return web.Response(text="bye")


def build_app(policy: auth.AbstractAuthentication) -> web.Application:
    app = web.Application()
    aiohttp_auth.setup(
        app,
        policy,
        Groups(
            [(Permission.Allow, "staff", {"view"}), (Permission.Allow, Group.Everyone, {"home"})]
        ),
    )
    app.router.add_get("/", whoami)
    app.router.add_get("/view", view)
    app.router.add_get("/logout", logout)
    return app


class Ours(logging.Handler):
    """Fails the current input when our loggers say too much (J6)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno > logging.INFO or TICKET_IN_TEXT.search(message):
            self.problems.append(f"{record.levelname} {record.name}: {message[:300]}")


class Harness:
    """Two servers on one event loop that outlives every input."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        clock = lambda: NOW  # noqa: E731 - a fixed clock keeps inputs reproducible
        self.cookie_policy = auth.CookieTktAuthentication(
            SECRET,
            3600,
            reissue_time=0,
            include_ip=True,
            clock=clock,
            trusted_proxies=("127.0.0.1",),
            revocation=auth.MemoryRevocationStore(clock=clock),
        )
        self.header_policy = auth.HeaderTktAuthentication(SECRET, 3600, reissue_time=0, clock=clock)
        self.servers = [
            TestServer(build_app(self.cookie_policy), host="127.0.0.1"),
            TestServer(build_app(self.header_policy), host="127.0.0.1"),
        ]
        for server in self.servers:
            self.loop.run_until_complete(server.start_server())
        self.valid = [
            self.cookie_policy.issue_ticket("alice", client_ip="127.0.0.1").encode(),
            self.cookie_policy.issue_ticket("bob", client_ip="10.0.0.7").encode(),
            self.header_policy.issue_ticket("alice").encode(),
        ]
        self.logs = Ours()
        logger = logging.getLogger("aiohttp_auth")
        logger.addHandler(self.logs)
        logger.setLevel(logging.DEBUG)
        # aiohttp's own ERROR for requests its parser refuses (400) is its business and would
        # flood stderr; a 5xx from our code is caught by its status instead.
        logging.getLogger("aiohttp.server").addHandler(logging.NullHandler())
        logging.getLogger("aiohttp.server").propagate = False

    async def send(self, port: int, head: bytes) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(head + b"\r\nConnection: close\r\n\r\n")
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 5)
            await asyncio.wait_for(reader.read(), 5)
        finally:
            writer.close()
        return int(status_line.split()[1])

    def request(self, data: bytes) -> tuple[int, bytes]:
        fdp = atheris.FuzzedDataProvider(data)
        target = fdp.ConsumeIntInRange(0, 1)
        mode = fdp.ConsumeIntInRange(0, 4)
        path = PATHS[fdp.ConsumeIntInRange(0, len(PATHS) - 1)]
        valid = self.valid[fdp.ConsumeIntInRange(0, len(self.valid) - 1)]
        fuzz = fdp.ConsumeBytes(fdp.remaining_bytes()).replace(b"\r", b"").replace(b"\n", b"")
        lines = [b"GET " + path + b" HTTP/1.1", b"Host: 127.0.0.1"]
        if target == 1:  # the Authorization header policy
            spliced = valid[: len(fuzz) % (len(valid) + 1)] + fuzz
            lines.append(b"Authorization: " + (b"Bearer " + spliced if mode % 2 else fuzz))
        elif mode == 0:
            lines.append(b"Cookie: AUTH_TKT=" + fuzz)
        elif mode == 1:  # splice into a valid ticket: mutations start near the MAC check
            cut = len(fuzz) % (len(valid) + 1)
            lines.append(b"Cookie: AUTH_TKT=" + valid[:cut] + fuzz + valid[cut + len(fuzz) :])
        elif mode == 2:  # cookie tossing
            lines.append(b"Cookie: AUTH_TKT=" + valid + b"; AUTH_TKT=" + fuzz)
        elif mode == 3:  # the whole header
            lines.append(b"Cookie: " + fuzz)
        else:  # the client address as a trusted proxy reports it
            lines.append(b"Cookie: AUTH_TKT=" + valid)
            lines.append(b"X-Forwarded-For: " + fuzz)
        port = self.servers[target].port
        assert port is not None
        return self.loop.run_until_complete(self.send(port, b"\r\n".join(lines))), fuzz


HARNESS: Harness | None = None


def test_one_input(data: bytes) -> None:
    global HARNESS  # noqa: PLW0603 - built once, after atheris.Setup
    if HARNESS is None:
        HARNESS = Harness()
    HARNESS.logs.problems.clear()
    status, fuzz = HARNESS.request(data)
    if status >= 500:
        raise AssertionError(f"HTTP {status} for {fuzz[:200]!r}")
    if HARNESS.logs.problems:
        raise AssertionError(f"logged: {HARNESS.logs.problems} for {fuzz[:200]!r}")


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
