"""Benchmark of the authorization check (not a test: run it by hand).

    python bench/bench_autz.py
    PYTHONPATH=.hatch/original python bench/bench_autz.py

The same script measures ours and, with the original aiohttp_auth_autz
0.2.2 first on PYTHONPATH, the original: both share the API used here.
It reports microseconds per ``AbstractACLAutzPolicy.permit`` call (async,
groups from ``acl_groups``) for ACLs of 10, 1,000 and 10,000 entries,
where the deciding entry is the last one (the worst case for a linear
scan), and HTTP requests/s over 127.0.0.1 (client in the same process,
one keep-alive connection, best of 3 x 1,500 requests) of the seed's path
with and without an ``autz_required`` check.
"""

from __future__ import annotations

import asyncio
import sys
import time
from os import urandom
from typing import Any

import aiohttp
from aiohttp import web

import aiohttp_auth
from aiohttp_auth import auth
from aiohttp_auth.autz import autz_required
from aiohttp_auth.autz.policy import acl
from aiohttp_auth.permissions import Group, Permission

Allow = Permission.Allow


class Policy(acl.AbstractACLAutzPolicy):
    async def acl_groups(self, user_identity: Any) -> Any:
        return ("editors", "g-last")


def context(size: int) -> list[Any]:
    entries: list[Any] = [(Allow, f"g{i}", {f"p{i}"}) for i in range(size - 2)]
    entries.append((Allow, Group.Everyone, {"view"}))
    entries.append((Allow, "g-last", {"target"}))
    return entries


async def per_permit(size: int, rounds: int) -> float:
    policy = Policy(context(size))
    assert await policy.permit("u", "target")
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            await policy.permit("u", "target")
        best = min(best, (time.perf_counter() - start) / rounds)
    return best * 1e6


def make_app(with_autz: bool) -> web.Application:
    """The seed's request path: cookie ticket, then (optionally) an ACL check."""
    app = web.Application()
    policy = Policy([(Allow, "editors", {"edit"}), (Allow, Group.Everyone, {"view_home"})])
    aiohttp_auth.setup(app, auth.CookieTktAuthentication(urandom(32), 3600), policy)

    async def login(request: web.Request) -> web.Response:
        await auth.remember(request, "bob")
        return web.Response(text="Ok")

    async def bare(request: web.Request) -> web.Response:
        return web.Response(text="page")

    app.router.add_get("/login", login)
    app.router.add_get("/", autz_required("edit")(bare) if with_autz else bare)
    return app


async def requests_per_second(with_autz: bool, count: int) -> float:
    runner = web.AppRunner(make_app(with_autz), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    best = 0.0
    try:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            await (await session.get(f"http://127.0.0.1:{port}/login")).read()
            for _ in range(3):
                start = time.perf_counter()
                for _ in range(count):
                    async with session.get(f"http://127.0.0.1:{port}/") as response:
                        assert response.status == 200
                        await response.read()
                best = max(best, count / (time.perf_counter() - start))
    finally:
        await runner.cleanup()
    return best


async def main() -> None:
    where = aiohttp_auth.__file__
    print(f"implementation: {where}")
    for size, rounds in ((10, 20000), (1000, 2000), (10000, 200)):
        print(f"permit, {size:>6} entries: {await per_permit(size, rounds):9.2f} us")
    without = await requests_per_second(False, 1500)
    with_check = await requests_per_second(True, 1500)
    print(f"HTTP, cookie auth only:          {without:8.0f} req/s")
    print(
        f"HTTP, cookie auth + autz_required: {with_check:8.0f} req/s ({with_check / without:.2f})"
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
