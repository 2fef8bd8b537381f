"""J1: no cross-talk between concurrent users, in both authorization APIs."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from aiohttp_auth import acl, autz
from aiohttp_auth.permissions import Permission

USERS = [f"user{n}" for n in range(100)]
GROUPS = {user: [f"group-of-{user}"] for user in USERS}
# each user may see only their own page
CONTEXT = [(Permission.Allow, f"group-of-{user}", {f"page-{user}"}) for user in USERS]


async def test_J1_1000_concurrent_requests_for_100_users_keep_their_identity_and_groups(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    async def acl_groups(user_id: Any) -> Any:
        await asyncio.sleep(0)
        return GROUPS[user_id]

    async def handler(request: web.Request) -> web.Response:
        wanted = request.query["page"]
        identity = await autz.require(request, f"page-{wanted}")
        await asyncio.sleep(0)
        groups = await acl.get_user_groups(request)
        assert groups is not None
        mine = sorted(g for g in groups if isinstance(g, str))
        return web.Response(text=f"{identity}|{','.join(mine)}")

    policy = policy_factory.make(GROUPS, CONTEXT)
    app = app_builder.build(
        autz_policy=policy, groups_callback=acl_groups, routes=[("GET", "/", handler)]
    )
    client = await aiohttp_client(app)

    async def one(n: int) -> tuple[str, int, str, int, str]:
        user = USERS[n % 100]
        # every 10th request asks for a neighbour's page: must be 403, never leak
        page = USERS[(n + 1) % 100] if n % 10 == 9 else user
        async with client.get("/", params={"page": page}, headers={"X-User": user}) as r:
            return user, n, page, r.status, await r.text()

    results = await asyncio.gather(*(one(n) for n in range(1000)))
    for user, _n, page, status, body in results:
        if page == user:
            assert (status, body) == (200, f"{user}|group-of-{user}")
        else:
            assert status == 403
    assert sum(status == 200 for *_, status, _ in results) == 900
    assert sorted(policy.calls) == sorted(r[0] for r in results)  # one lookup per request
