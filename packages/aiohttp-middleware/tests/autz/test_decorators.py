"""``autz_required`` and ``acl_required`` as decorators: binding, metadata, validation (I7, I8)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth.acl import acl_required
from aiohttp_auth.autz import autz_required
from aiohttp_auth.autz.abc import AbstractAutzPolicy
from aiohttp_auth.permissions import Group, Permission

Allow, Deny = Permission.Allow, Permission.Deny
CONTEXT = [(Allow, "staff", {"edit"}), (Allow, Group.Everyone, {"view"})]
GROUPS = {"bob": ["staff"], "alice": []}


async def groups_callback(user_id: Any) -> Any:
    return GROUPS.get(user_id, ())


def both_decorators() -> list[Any]:
    """The two decorators, each as ``make(permission, context)``."""
    return [
        pytest.param(lambda p, c=None: autz_required(p, c), id="autz_required"),
        pytest.param(lambda p, c=CONTEXT: acl_required(p, c), id="acl_required"),
    ]


def _app(app_builder: Any, policy_factory: Any, routes: list[Any]) -> web.Application:
    app: web.Application = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT),
        groups_callback=groups_callback,
        routes=routes,
    )
    return app


@pytest.mark.parametrize("make", both_decorators())
async def test_I8_plain_handler(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, make: Any
) -> None:
    @make("edit")
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="edit page")

    client = await aiohttp_client(_app(app_builder, policy_factory, [("GET", "/", handler)]))
    assert (await client.get("/", headers={"X-User": "alice"})).status == 403
    response = await client.get("/", headers={"X-User": "bob"})
    assert (response.status, await response.text()) == (200, "edit page")


@pytest.mark.parametrize("make", both_decorators())
async def test_I8_class_based_view_methods(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, make: Any
) -> None:
    class Page(web.View):
        @make("view")
        async def get(self) -> web.Response:
            return web.Response(text=f"view {self.request.method}")

        @make("edit")
        async def post(self) -> web.Response:
            return web.Response(text="edited")

    client = await aiohttp_client(_app(app_builder, policy_factory, [("*", "/", Page)]))
    response = await client.get("/")
    assert (response.status, await response.text()) == (200, "view GET")
    assert (await client.post("/", headers={"X-User": "alice"})).status == 403
    assert (await (await client.post("/", headers={"X-User": "bob"})).text()) == "edited"
    assert (await client.put("/")).status == 405


@pytest.mark.parametrize("make", both_decorators())
async def test_I8_methods_of_plain_classes(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, make: Any
) -> None:
    class Handlers:
        prefix = "handled"

        @make("edit")
        async def edit(self, request: web.Request) -> web.Response:
            return web.Response(text=self.prefix)

    handlers = Handlers()
    client = await aiohttp_client(_app(app_builder, policy_factory, [("GET", "/", handlers.edit)]))
    assert (await client.get("/")).status == 403
    assert await (await client.get("/", headers={"X-User": "bob"})).text() == "handled"


@pytest.mark.parametrize("make", both_decorators())
async def test_compat_bug13_keyword_arguments_pass_through(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, make: Any
) -> None:
    @make("edit")
    async def render(request: web.Request, *, item: int, suffix: str = "") -> str:
        return f"item {item}{suffix}"

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=await render(request, item=7, suffix="!"))

    client = await aiohttp_client(_app(app_builder, policy_factory, [("GET", "/", handler)]))
    response = await client.get("/", headers={"X-User": "bob"})
    assert (response.status, await response.text()) == (200, "item 7!")


async def test_compat_bug13_decorators_accept_keyword_arguments(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    @autz_required(permission="edit", context=[(Allow, "staff", {"edit"})])
    async def autz_handler(request: web.Request) -> web.Response:
        return web.Response(text="autz")

    @acl_required(permission="edit", context=[(Allow, "staff", {"edit"})])
    async def acl_handler(request: web.Request) -> web.Response:
        return web.Response(text="acl")

    routes = [("GET", "/autz", autz_handler), ("GET", "/acl", acl_handler)]
    client = await aiohttp_client(_app(app_builder, policy_factory, routes))
    for path in ("/autz", "/acl"):
        assert (await client.get(path, headers={"X-User": "alice"})).status == 403
        assert (await client.get(path, headers={"X-User": "bob"})).status == 200


@pytest.mark.parametrize("make", both_decorators())
def test_I8_functools_wraps_metadata_is_kept(make: Any) -> None:
    async def original(request: web.Request) -> web.Response:
        """Original docstring."""
        return web.Response()

    wrapped = make("view")(original)
    assert wrapped.__name__ == "original"
    assert wrapped.__doc__ == "Original docstring."
    assert wrapped.__qualname__ == original.__qualname__
    assert wrapped.__wrapped__ is original  # type: ignore[attr-defined]


MALFORMED = [
    [(Allow, "staff")],
    [(Allow, "staff", {"view"}, "extra")],
    [(True, "staff", {"view"})],
    [("Allow", "staff", {"view"})],
    [(None, "staff", {"view"})],
    [(Allow, ["unhashable"], {"view"})],
    "(Allow, 'staff', 'view')",
]


@pytest.mark.parametrize("context", MALFORMED)
def test_I7_malformed_contexts_fail_when_the_decorator_is_applied(context: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        autz_required("view", context)
    with pytest.raises((TypeError, ValueError)):
        acl_required("view", context)


@pytest.mark.parametrize("permission", [{"view"}, ["view"], {"p": 1}])
def test_I1_unhashable_permissions_fail_when_the_decorator_is_applied(permission: Any) -> None:
    with pytest.raises(TypeError, match="hashable"):
        autz_required(permission)
    with pytest.raises(TypeError, match="hashable"):
        acl_required(permission, CONTEXT)


async def test_autz_required_validate_false_hands_a_custom_context_over_unchanged(
    aiohttp_client: Any, app_builder: Any
) -> None:
    class ScopePolicy(AbstractAutzPolicy):
        async def permit(self, user_identity: Any, permission: Any, context: Any) -> bool:
            return permission in context.get(user_identity, ())

    scopes = {"bob": ("read",)}
    with pytest.raises((TypeError, ValueError)):
        autz_required("read", scopes)  # not an ACL: refused by default

    @autz_required("read", scopes, validate=False)
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="read")

    app = app_builder.build(autz_policy=ScopePolicy(), routes=[("GET", "/", handler)])
    client = await aiohttp_client(app)
    assert (await client.get("/", headers={"X-User": "bob"})).status == 200
    assert (await client.get("/", headers={"X-User": "alice"})).status == 403


async def test_I8_acl_required_context_callable_is_evaluated_per_request(
    aiohttp_client: Any, app_builder: Any
) -> None:
    current: list[Any] = [[(Allow, Group.Everyone, {"view"})]]
    calls: list[int] = []

    def context() -> Any:
        calls.append(1)
        return current[0]

    @acl_required("view", context)
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="seen")

    app = app_builder.build(groups_callback=groups_callback, routes=[("GET", "/", handler)])
    client = await aiohttp_client(app)
    assert calls == []  # not evaluated when applied
    assert (await client.get("/")).status == 200
    current[0] = [(Deny, Group.Everyone, {"view"})]
    assert (await client.get("/")).status == 403
    current[0] = [(Allow, Group.Everyone, {"view"})]
    assert (await client.get("/")).status == 200
    assert len(calls) == 3


async def test_I7_malformed_context_from_a_callable_fails_closed(
    aiohttp_client: Any, app_builder: Any, caplog: Any
) -> None:
    ran: list[int] = []

    @acl_required("view", lambda: [("Allow", Group.Everyone, {"view"})])
    async def handler(request: web.Request) -> web.Response:
        ran.append(1)
        return web.Response()

    app = app_builder.build(groups_callback=groups_callback, routes=[("GET", "/", handler)])
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert response.status == 500
    assert ran == []


def test_decorating_something_that_is_not_a_handler_fails_loudly() -> None:
    @autz_required("view")
    async def not_a_handler(value: int) -> int:
        return value

    coro = not_a_handler(3)
    with pytest.raises(TypeError, match="request handlers"):
        coro.send(None)
    coro.close()


async def test_precompiled_acls_and_resources_are_accepted_as_contexts(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    import acl_permissions

    class Folder:
        __acl__ = ((Allow, "staff", frozenset({"edit"})),)
        __parent__ = None

    class Document:
        __acl__ = ((Deny, "interns", frozenset({"edit"})),)
        __parent__ = Folder()

    compiled = acl_permissions.compile_acl([(Allow, "staff", {"edit"})])

    @autz_required("edit", compiled)
    async def with_compiled(request: web.Request) -> web.Response:
        return web.Response(text="compiled")

    @acl_required("edit", Document())
    async def with_resource(request: web.Request) -> web.Response:
        return web.Response(text="resource")

    routes = [("GET", "/c", with_compiled), ("GET", "/r", with_resource)]
    client = await aiohttp_client(_app(app_builder, policy_factory, routes))
    assert await (await client.get("/c", headers={"X-User": "bob"})).text() == "compiled"
    assert await (await client.get("/r", headers={"X-User": "bob"})).text() == "resource"
    assert (await client.get("/c", headers={"X-User": "alice"})).status == 403
    assert (await client.get("/r", headers={"X-User": "alice"})).status == 403
