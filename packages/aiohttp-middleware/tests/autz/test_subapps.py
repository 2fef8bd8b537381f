"""Sub-applications: authentication on the parent, authorization on the child.

A sub-application cannot see its parent, so the startup check would refuse
this valid layout; ``check_auth=False`` opts out, and the parent's
authentication middleware then serves the child's requests.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import acl, autz
from aiohttp_auth.acl import acl_required
from aiohttp_auth.autz import autz_required
from aiohttp_auth.permissions import Permission

CONTEXT = [(Permission.Allow, "staff", {"edit"})]


def _child(policy_factory: Any, *, check_auth: bool) -> web.Application:
    @autz_required("edit")
    async def autz_edit(request: web.Request) -> web.Response:
        return web.Response(text="autz")

    @acl_required("edit", CONTEXT)
    async def acl_edit(request: web.Request) -> web.Response:
        return web.Response(text="acl")

    child = web.Application()
    autz.setup(child, policy_factory.make({"bob": ["staff"]}, CONTEXT), check_auth=check_auth)
    acl.setup(child, lambda user_id: ["staff"] if user_id == "bob" else (), check_auth=check_auth)
    child.router.add_get("/autz", autz_edit)
    child.router.add_get("/acl", acl_edit)
    return child


async def test_F10_subapp_with_auth_on_the_parent_works_with_check_auth_false(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    parent = app_builder.build()  # header authentication only
    parent.add_subapp("/child", _child(policy_factory, check_auth=False))
    client = await aiohttp_client(parent)
    for path in ("/child/autz", "/child/acl"):
        assert (await client.get(path, headers={"X-User": "alice"})).status == 403
        assert (await client.get(path, headers={"X-User": "bob"})).status == 200


async def test_F10_subapp_check_stays_on_by_default(
    start_app: Any, app_builder: Any, policy_factory: Any
) -> None:
    parent = app_builder.build()
    parent.add_subapp("/child", _child(policy_factory, check_auth=True))
    with pytest.raises(RuntimeError, match="check_auth=False"):
        await start_app(parent)


async def test_check_auth_false_without_any_auth_still_fails_closed(
    aiohttp_client: Any, policy_factory: Any
) -> None:
    app = _child(policy_factory, check_auth=False)
    client = await aiohttp_client(app)
    response = await client.get("/autz")
    assert response.status == 500  # RuntimeError('auth_middleware not installed'), never a grant
