"""Original behaviours that are bugs (COMPAT.md), in the authorization half: 2 and 10.

Each test fails on the original ``aiohttp_auth_autz`` 0.2.2 behaviour (the
differential test shows the original doing it over HTTP).  Bug 13 (keyword
arguments) is in ``test_decorators.py``.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import acl, autz
from aiohttp_auth.acl import acl_required
from aiohttp_auth.autz import autz_required
from aiohttp_auth.permissions import Permission

Allow = Permission.Allow


def test_compat_bug2_middlewares_are_new_style(policy_factory: Any) -> None:
    # the original returned old-style factories `(app, handler) -> handler`
    autz_mw = autz.autz_middleware(policy_factory.make({}, [(Allow, "g", "p")]))
    acl_mw = acl.acl_middleware(lambda user_id: ())
    for middleware in (autz_mw, acl_mw):
        assert getattr(middleware, "__middleware_version__", None) == 1


async def test_compat_bug2_serving_emits_no_deprecation_warning(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    @autz_required("p")
    async def autz_handler(request: web.Request) -> web.Response:
        return web.Response(text="autz")

    @acl_required("p", [(Allow, "g", "p")])
    async def acl_handler(request: web.Request) -> web.Response:
        return web.Response(text="acl")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = app_builder.build(
            autz_policy=policy_factory.make({"u": ["g"]}, [(Allow, "g", "p")]),
            groups_callback=lambda user_id: ["g"],
            routes=[("GET", "/autz", autz_handler), ("GET", "/acl", acl_handler)],
        )
        client = await aiohttp_client(app)
        assert await (await client.get("/autz", headers={"X-User": "u"})).text() == "autz"
        assert await (await client.get("/acl", headers={"X-User": "u"})).text() == "acl"
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []


@pytest.mark.parametrize("api", ["autz", "acl"])
async def test_compat_bug10_string_permissions_do_not_match_by_substring(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, api: str
) -> None:
    context = [(Allow, "editors", "editor")]  # the original granted 'edit' ('edit' in 'editor')
    decorator = autz_required("edit", context) if api == "autz" else acl_required("edit", context)

    @decorator
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="edited")

    app = app_builder.build(
        autz_policy=policy_factory.make({"ed": ["editors"]}),
        groups_callback=lambda user_id: ["editors"],
        routes=[("GET", "/", handler)],
    )
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": "ed"})
    assert response.status == 403


@pytest.mark.parametrize("api", ["autz", "acl"])
async def test_compat_bug10_groups_as_a_string_are_refused_not_split(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, api: str
) -> None:
    # the original turned 'admin' into the groups {'a', 'd', 'm', 'i', 'n'}
    context = [(Allow, "a", {"delete"})]

    async def handler(request: web.Request) -> web.Response:
        try:
            if api == "autz":
                allowed = await autz.permit(request, "delete", context)
            else:
                allowed = await acl.get_permitted(request, "delete", context)
        except TypeError:
            return web.Response(text="refused")
        return web.Response(text=f"allowed={allowed}")

    app = app_builder.build(
        autz_policy=policy_factory.make({"eve": "admin"}),
        groups_callback=lambda user_id: "admin",
        routes=[("GET", "/", handler)],
    )
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": "eve"})
    assert await response.text() == "refused"
