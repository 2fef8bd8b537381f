"""``aiohttp_auth.autz`` over HTTP: setup checks, permit, require, explain, logging."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth, autz
from aiohttp_auth.autz import autz_required
from aiohttp_auth.autz.abc import AbstractAutzPolicy
from aiohttp_auth.permissions import Group, Permission

Allow, Deny = Permission.Allow, Permission.Deny
CONTEXT = [
    (Allow, "staff", {"edit"}),
    (Allow, Group.AuthenticatedUser, {"comment"}),
    (Allow, Group.Everyone, {"view"}),
]
GROUPS = {"bob": ["staff"], "alice": []}


class AlwaysPolicy(AbstractAutzPolicy):
    """A non-ACL policy: answers a fixed bool, records what it was asked."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[tuple[Any, Any, Any]] = []

    async def permit(self, user_identity: Any, permission: Any, context: Any) -> bool:
        self.asked.append((user_identity, permission, context))
        return self.answer


@pytest.mark.parametrize("policy", [object(), None, "policy", AlwaysPolicy])
def test_setup_and_middleware_reject_non_policies(policy: Any) -> None:
    with pytest.raises(TypeError, match="AbstractAutzPolicy"):
        autz.setup(web.Application(), policy)
    with pytest.raises(TypeError, match="AbstractAutzPolicy"):
        autz.autz_middleware(policy)


def test_F10_autz_setup_twice_is_an_error(policy_factory: Any) -> None:
    app = web.Application()
    autz.setup(app, policy_factory.make({}, CONTEXT))
    with pytest.raises(RuntimeError, match="already"):
        autz.setup(app, policy_factory.make({}, CONTEXT))


async def test_F10_autz_without_auth_fails_at_startup(start_app: Any, policy_factory: Any) -> None:
    app = web.Application()
    autz.setup(app, policy_factory.make({}, CONTEXT))
    with pytest.raises(RuntimeError, match=r"auth_middleware.*aiohttp_auth\.auth\.setup"):
        await start_app(app)


async def test_F10_auth_set_up_after_autz_is_fine(
    aiohttp_client: Any, policy_factory: Any, header_auth: Any
) -> None:
    app = web.Application()
    autz.setup(app, policy_factory.make({}, CONTEXT))
    auth.setup(app, header_auth())
    app.router.add_get("/", _permit_handler("view"))
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert (response.status, await response.text()) == (200, "True")


def _permit_handler(permission: str, context: Any = None) -> Any:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=str(await autz.permit(request, permission, context)))

    return handler


async def _error_text(call: Any) -> str:
    try:
        await call
    except RuntimeError as exc:
        return str(exc)
    return "no error"


async def test_permit_without_autz_middleware_names_it(
    aiohttp_client: Any, app_builder: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=await _error_text(autz.permit(request, "view")))

    app = app_builder.build(routes=[("GET", "/", handler)])
    response = await (await aiohttp_client(app)).get("/")
    assert "autz_middleware not installed" in await response.text()


async def test_permit_without_auth_middleware_names_it(
    aiohttp_client: Any, policy_factory: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=await _error_text(autz.permit(request, "view")))

    app = web.Application(middlewares=[autz.autz_middleware(policy_factory.make({}, CONTEXT))])
    app.router.add_get("/", handler)
    response = await (await aiohttp_client(app)).get("/")
    assert "auth_middleware not installed" in await response.text()


@pytest.mark.parametrize(
    ("user", "permission", "expected"),
    [
        (None, "view", "True"),
        (None, "comment", "False"),
        ("alice", "comment", "True"),
        ("alice", "edit", "False"),
        ("bob", "edit", "True"),
    ],
)
async def test_permit_returns_a_bool_for_the_request_identity(
    aiohttp_client: Any,
    app_builder: Any,
    policy_factory: Any,
    user: str | None,
    permission: str,
    expected: str,
) -> None:
    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT),
        routes=[("GET", "/", _permit_handler(permission))],
    )
    client = await aiohttp_client(app)
    headers = {"X-User": user} if user else {}
    response = await client.get("/", headers=headers)
    assert (response.status, await response.text()) == (200, expected)


async def test_permit_is_bool_even_for_decision_policies(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    seen: list[Any] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(await autz.permit(request, "view"))
        return web.Response()

    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT), routes=[("GET", "/", handler)]
    )
    await (await aiohttp_client(app)).get("/")
    assert seen == [True]
    assert type(seen[0]) is bool


async def test_permit_with_a_per_call_context(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    local = [(Deny, Group.Everyone, {"view"})]
    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT),
        routes=[("GET", "/", _permit_handler("view", local))],
    )
    response = await (await aiohttp_client(app)).get("/")
    assert await response.text() == "False"


async def test_custom_policy_gets_identity_permission_and_context(
    aiohttp_client: Any, app_builder: Any
) -> None:
    policy = AlwaysPolicy(True)
    app = app_builder.build(
        autz_policy=policy, routes=[("GET", "/", _permit_handler("anything", {"k": "v"}))]
    )
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": "zoe"})
    assert await response.text() == "True"
    assert policy.asked == [("zoe", "anything", {"k": "v"})]


def _require_handler(permission: str) -> Any:
    async def handler(request: web.Request) -> web.Response:
        identity = await autz.require(request, permission)
        return web.Response(text=repr(identity))

    return handler


@pytest.mark.parametrize(
    ("user", "permission", "status", "body"),
    [
        (None, "edit", 401, None),  # anonymous: log in first
        ("alice", "edit", 403, None),  # logged in, not allowed
        ("bob", "edit", 200, "'bob'"),  # returns the identity
        (None, "view", 200, "None"),  # allowed to everyone: identity None
    ],
)
async def test_I9_require_answers_401_to_anonymous_403_to_users(
    aiohttp_client: Any,
    app_builder: Any,
    policy_factory: Any,
    user: str | None,
    permission: str,
    status: int,
    body: str | None,
) -> None:
    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT),
        routes=[("GET", "/", _require_handler(permission))],
    )
    client = await aiohttp_client(app)
    response = await client.get("/", headers={"X-User": user} if user else {})
    assert response.status == status
    if body is not None:
        assert await response.text() == body


async def test_I9_autz_required_answers_403_also_to_anonymous(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    @autz_required("edit")
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="edited")

    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT), routes=[("GET", "/", handler)]
    )
    client = await aiohttp_client(app)
    assert (await client.get("/")).status == 403
    assert (await client.get("/", headers={"X-User": "alice"})).status == 403
    response = await client.get("/", headers={"X-User": "bob"})
    assert (response.status, await response.text()) == (200, "edited")


async def test_explain_returns_the_decision_with_its_reason(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        decision = await autz.explain(request, request.query["p"])
        return web.Response(text=f"{bool(decision)}|{decision}")

    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT), routes=[("GET", "/", handler)]
    )
    client = await aiohttp_client(app)
    allowed, reason = (
        await (await client.get("/?p=edit", headers={"X-User": "bob"})).text()
    ).split("|")
    assert allowed == "True"
    assert "#0" in reason
    assert "staff" in reason
    denied, why = (await (await client.get("/?p=edit")).text()).split("|")
    assert denied == "False"
    assert "#" not in why


async def test_denials_are_logged_at_debug_with_the_reason_and_never_higher(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, caplog: Any
) -> None:
    @autz_required("edit")
    async def decorated(request: web.Request) -> web.Response:
        return web.Response()

    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT),
        routes=[("GET", "/d", decorated), ("GET", "/r", _require_handler("edit"))],
    )
    client = await aiohttp_client(app)
    with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
        assert (await client.get("/d", headers={"X-User": "alice"})).status == 403
        assert (await client.get("/r", headers={"X-User": "alice"})).status == 403
    ours = [r for r in caplog.records if r.name.startswith("aiohttp_auth.autz")]
    assert len(ours) == 2
    assert all(r.levelno == logging.DEBUG for r in ours)
    assert all("denied" in r.getMessage() and "'edit'" in r.getMessage() for r in ours)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_I5_raising_groups_callback_is_a_500_view_never_runs_logged_once(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, caplog: Any
) -> None:
    ran: list[str] = []

    @autz_required("view")
    async def decorated(request: web.Request) -> web.Response:
        ran.append("decorated")
        return web.Response()

    async def imperative(request: web.Request) -> web.Response:
        await autz.require(request, "view")
        ran.append("imperative")
        return web.Response()

    class GroupsDown(Exception):
        pass

    policy = policy_factory.make({"bob": GroupsDown("directory unavailable")}, CONTEXT)
    app = app_builder.build(
        autz_policy=policy, routes=[("GET", "/d", decorated), ("GET", "/i", imperative)]
    )
    client = await aiohttp_client(app)
    for path in ("/d", "/i"):
        caplog.clear()
        with caplog.at_level(logging.DEBUG):
            response = await client.get(path, headers={"X-User": "bob"})
        assert response.status == 500
        logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is GroupsDown]
        assert len(logged) == 1
    assert ran == []
    assert policy.calls == ["bob", "bob"]


async def test_validation_error_of_a_per_call_context_fails_closed(
    aiohttp_client: Any, app_builder: Any, policy_factory: Any, caplog: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        if await autz.permit(request, "view", [(True, Group.Everyone, {"view"})]):
            return web.Response(text="granted")
        return web.Response(text="denied")

    app = app_builder.build(
        autz_policy=policy_factory.make(GROUPS, CONTEXT), routes=[("GET", "/", handler)]
    )
    with caplog.at_level(logging.CRITICAL, logger="aiohttp.server"):
        response = await (await aiohttp_client(app)).get("/")
    assert response.status == 500
