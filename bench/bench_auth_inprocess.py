"""Authentication benchmark: the cookie-ticket request path, ours against bare aiohttp
and the original aiohttp_auth_autz 0.2.2.  Not a test (pytest does not collect it).

    python bench/bench_auth_inprocess.py [--requests 3000] [--rounds 3]

Each kind serves ``GET /`` behind ``auth_required`` (bare: no auth at all)
over 127.0.0.1 with the aiohttp client in the same process, sequential
requests, so the number is dominated by per-request server work.  Kinds are
interleaved round by round so that noise on the shared machine falls on all
alike; medians are reported.  The original runs in a subprocess with
``PYTHONPATH=.hatch/original`` (it shares our import name).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from ipaddress import ip_address
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ORIGINAL = REPO / ".hatch" / "original"
SECRET = bytes(range(1, 33))


def build(kind: str) -> tuple[Any, dict[str, str]]:
    from aiohttp import web

    from aiohttp_auth import auth

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    if kind == "bare":
        app.router.add_get("/", page)
        return app, {}
    if kind == "original":
        from ticket_auth import TicketFactory

        policy = auth.CookieTktAuthentication(SECRET, 3600, include_ip=True)
        ticket = TicketFactory(SECRET).new(
            "alice", valid_until=int(time.time()) + 3600, client_ip=ip_address("127.0.0.1")
        )
    else:
        from aiohttp_auth.testing import make_auth_ticket

        policy = auth.CookieTktAuthentication(SECRET, 3600, include_ip=True)
        ticket = make_auth_ticket(policy, "alice", client_ip="127.0.0.1")
        if kind == "ours-invalid":
            ticket = ticket[:-4] + "0000"
    auth.setup(app, policy)
    app.router.add_get("/", auth.auth_required(page))
    return app, {"Cookie": f"AUTH_TKT={ticket}"}


async def run(kind: str, requests: int) -> float:
    from aiohttp.test_utils import TestClient, TestServer

    app, headers = build(kind)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        for _ in range(200):
            await (await client.get("/", headers=headers)).read()
        started = time.perf_counter()
        for _ in range(requests):
            response = await client.get("/", headers=headers)
            await response.read()
        elapsed = time.perf_counter() - started
        expected = 401 if kind == "ours-invalid" else 200
        assert response.status == expected, (kind, response.status)
    return requests / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(run(args.one, args.requests))))
        return
    kinds = ["bare", "ours", "ours-invalid", "original"]
    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            env = dict(os.environ)
            if kind == "original":
                env["PYTHONPATH"] = str(ORIGINAL)
            out = subprocess.run(  # one process per run: no state carried over
                [
                    sys.executable,
                    "-W",
                    "ignore",
                    __file__,
                    "--one",
                    kind,
                    "--requests",
                    str(args.requests),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            results[kind].append(float(out.stdout))
    bare = statistics.median(results["bare"])
    print("| kind | req/s | ratio to bare |\n|---|---|---|")
    for kind in kinds:
        rps = statistics.median(results[kind])
        print(f"| {kind} | {rps:.0f} | {rps / bare:.2f} |")


if __name__ == "__main__":
    main()
