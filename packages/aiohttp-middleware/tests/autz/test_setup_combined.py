"""``aiohttp_auth.setup`` installs one middleware where the two setups install two.

The authentication middleware then also puts the authorization policy on the
request.  Everything a handler, a later middleware or a sub-application sees
must be what ``auth.setup`` + ``autz.setup`` give.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

import aiohttp_auth
from aiohttp_auth import auth, autz
from aiohttp_auth.autz import autz_required
from aiohttp_auth.permissions import Permission

CONTEXT = [(Permission.Allow, "staff", {"edit"}), (Permission.Deny, "staff", {"delete"})]


def _routes(app: web.Application) -> web.Application:
    @autz_required("edit")
    async def edit(request: web.Request) -> web.Response:
        return web.Response(text="edited")

    async def check(request: web.Request) -> web.Response:
        permission = request.query["p"]
        allowed = await autz.permit(request, permission)
        reason = str(await autz.explain(request, permission))
        try:
            who = await autz.require(request, permission)
        except web.HTTPException as exc:
            who = exc.status
        return web.json_response([allowed, reason, who])

    app.router.add_get("/edit", edit)
    app.router.add_get("/check", check)
    return app


def _combined(policy_factory: Any, header_auth: Any) -> web.Application:
    app = web.Application()
    aiohttp_auth.setup(app, header_auth(), policy_factory.make({"bob": ["staff"]}, CONTEXT))
    return _routes(app)


def _separate(policy_factory: Any, header_auth: Any) -> web.Application:
    app = web.Application()
    auth.setup(app, header_auth())
    autz.setup(app, policy_factory.make({"bob": ["staff"]}, CONTEXT))
    return _routes(app)


def test_setup_installs_one_middleware(policy_factory: Any, header_auth: Any) -> None:
    assert len(_combined(policy_factory, header_auth).middlewares) == 1
    assert len(_separate(policy_factory, header_auth).middlewares) == 2


async def test_combined_setup_answers_as_the_two_setups(
    aiohttp_client: Any, policy_factory: Any, header_auth: Any
) -> None:
    answers = []
    for build in (_combined, _separate):
        client = await aiohttp_client(build(policy_factory, header_auth))
        seen = []
        for user in (None, "bob", "alice"):
            headers = {} if user is None else {"X-User": user}
            response = await client.get("/edit", headers=headers)
            seen.append((response.status, await response.text()))
            for permission in ("edit", "delete", "view"):
                response = await client.get("/check", params={"p": permission}, headers=headers)
                seen.append((response.status, await response.json()))
        answers.append(seen)
    assert answers[0] == answers[1]
    assert answers[0][0] == (403, "403: Forbidden")
    assert answers[0][4] == (200, "edited")


async def test_a_middleware_added_after_setup_can_ask(
    aiohttp_client: Any, policy_factory: Any, header_auth: Any
) -> None:
    @web.middleware
    async def gate(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/edit" and not await autz.permit(request, "edit"):
            return web.Response(status=418)
        return await handler(request)

    app = _combined(policy_factory, header_auth)
    app.middlewares.append(gate)
    client = await aiohttp_client(app)
    assert (await client.get("/edit", headers={"X-User": "alice"})).status == 418
    assert (await client.get("/edit", headers={"X-User": "bob"})).status == 200


async def test_a_subapplication_policy_still_wins_inside_it(
    aiohttp_client: Any, policy_factory: Any, header_auth: Any
) -> None:
    parent = _combined(policy_factory, header_auth)  # bob is staff here
    child = web.Application()
    autz.setup(child, policy_factory.make({"alice": ["staff"]}, CONTEXT), check_auth=False)
    parent.add_subapp("/child", _routes(child))
    client = await aiohttp_client(parent)
    assert (await client.get("/edit", headers={"X-User": "bob"})).status == 200
    assert (await client.get("/child/edit", headers={"X-User": "bob"})).status == 403
    assert (await client.get("/child/edit", headers={"X-User": "alice"})).status == 200


def test_wrong_types_are_refused_auth_first_and_leave_the_app_untouched(
    policy_factory: Any, header_auth: Any
) -> None:
    app = web.Application()
    with pytest.raises(TypeError, match="AbstractAuthentication"):
        aiohttp_auth.setup(app, object(), object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AbstractAutzPolicy"):
        aiohttp_auth.setup(app, header_auth(), object())  # type: ignore[arg-type]
    assert len(app.middlewares) == 0
    aiohttp_auth.setup(app, header_auth(), policy_factory.make({}, CONTEXT))
    with pytest.raises(RuntimeError, match=r"auth\.setup\(\) was already called"):
        aiohttp_auth.setup(app, header_auth(), policy_factory.make({}, CONTEXT))


async def test_F10_combined_setup_passes_the_startup_checks(
    start_app: Any, policy_factory: Any, header_auth: Any
) -> None:
    await start_app(_combined(policy_factory, header_auth))  # autz finds auth installed: no error
