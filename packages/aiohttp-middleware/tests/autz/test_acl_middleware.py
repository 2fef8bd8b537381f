"""The older ``aiohttp_auth.acl`` API: groups callback, get_user_groups, get_permitted."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import acl, auth
from aiohttp_auth.acl import acl_required
from aiohttp_auth.acl.abc import AbstractACLGroupsCallback
from aiohttp_auth.permissions import Group, Permission

Allow, Deny = Permission.Allow, Permission.Deny


class CountingCallback:
    """A groups callback (sync or async) over a dict that counts its calls."""

    def __init__(self, groups: dict[Any, Any], *, sync: bool = False) -> None:
        self.groups = groups
        self.sync = sync
        self.calls: list[Any] = []

    def _lookup(self, user_id: Any) -> Any:
        self.calls.append(user_id)
        value = self.groups.get(user_id, ())
        if isinstance(value, BaseException):
            raise value
        return value

    def __call__(self, user_id: Any) -> Any:
        if self.sync:
            return self._lookup(user_id)

        async def lookup() -> Any:
            return self._lookup(user_id)

        return lookup()


def _groups_handler(request_count: int = 1) -> Any:
    """Reports the extended groups (sorted reprs) after asking ``request_count`` times."""

    async def handler(request: web.Request) -> web.Response:
        groups = None
        for _ in range(request_count):
            groups = await acl.get_user_groups(request)
        if groups is None:
            return web.Response(text="None")
        return web.Response(text=",".join(sorted(map(repr, groups))))

    return handler


@pytest.mark.parametrize("sync", [False, True])
@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (None, "<Group.Everyone: 'aiohttp_auth.acl.group.Everyone'>"),
        (
            "bob",
            "'staff',<Group.AuthenticatedUser: 'aiohttp_auth.acl.group.AuthenticatedUser'>,"
            "<Group.Everyone: 'aiohttp_auth.acl.group.Everyone'>",
        ),
        ("banned", "None"),
    ],
)
async def test_get_user_groups_extends_groups_sync_or_async(
    aiohttp_client: Any, app_builder: Any, sync: bool, user: str | None, expected: str
) -> None:
    callback = CountingCallback({"bob": ["staff"], "banned": None}, sync=sync)
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", _groups_handler())])
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": user} if user else {})
    assert (response.status, await response.text()) == (200, expected)


@pytest.mark.parametrize("user", ["bob", "banned", None])
async def test_get_user_groups_is_computed_once_per_request(
    aiohttp_client: Any, app_builder: Any, user: str | None
) -> None:
    callback = CountingCallback({"bob": ["staff"], "banned": None})
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", _groups_handler(4))])
    client = await aiohttp_client(app)
    headers = {"X-User": user} if user else {}
    await client.get("/", headers=headers)
    await client.get("/", headers=headers)
    assert callback.calls == [user, user]  # once per request, never across requests


async def test_groups_follow_a_forget_or_remember_in_the_same_request(
    aiohttp_client: Any, app_builder: Any
) -> None:
    """Groups cached for root must not answer for the identity after a logout or a switch."""
    context = [(Allow, "admin", {"delete_everything"})]

    async def handler(request: web.Request) -> web.Response:
        answers = [await acl.get_permitted(request, "delete_everything", context)]
        await auth.forget(request)
        answers.append(await acl.get_permitted(request, "delete_everything", context))
        await auth.remember(request, "guest")
        answers.append(await acl.get_permitted(request, "delete_everything", context))
        await auth.remember(request, "root")
        answers.append(await acl.get_permitted(request, "delete_everything", context))
        return web.json_response(answers)

    callback = CountingCallback({"root": ["admin"], "guest": []})
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", handler)])
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": "root"})
    assert await response.json() == [True, False, False, True]
    assert callback.calls == ["root", None, "guest", "root"]


async def test_abstract_groups_callback_class_delegates(
    aiohttp_client: Any, app_builder: Any
) -> None:
    class Directory(AbstractACLGroupsCallback):
        def __init__(self, users: dict[str, list[str]]) -> None:
            self.users = users

        async def acl_groups(self, user_id: Any) -> Any:
            return self.users.get(user_id, ())

    app = app_builder.build(
        groups_callback=Directory({"bob": ["staff"]}), routes=[("GET", "/", _groups_handler())]
    )
    text = await (await (await aiohttp_client(app)).get("/", headers={"X-User": "bob"})).text()
    assert "'staff'" in text


def test_abstract_groups_callback_requires_acl_groups() -> None:
    class Incomplete(AbstractACLGroupsCallback):
        pass

    with pytest.raises(TypeError, match="acl_groups"):
        Incomplete()  # type: ignore[abstract]


@pytest.mark.parametrize("callback", [None, "groups", ["staff"]])
def test_setup_and_middleware_reject_a_non_callable_callback(callback: Any) -> None:
    with pytest.raises(TypeError, match="callable"):
        acl.setup(web.Application(), callback)
    with pytest.raises(TypeError, match="callable"):
        acl.acl_middleware(callback)


def test_F10_acl_setup_twice_is_an_error() -> None:
    app = web.Application()
    acl.setup(app, CountingCallback({}))
    with pytest.raises(RuntimeError, match="already"):
        acl.setup(app, CountingCallback({}))


async def test_F10_acl_without_auth_fails_at_startup(start_app: Any) -> None:
    app = web.Application()
    acl.setup(app, CountingCallback({}))
    with pytest.raises(RuntimeError, match="acl_middleware needs auth_middleware"):
        await start_app(app)


async def test_get_user_groups_without_the_middleware_names_it(
    aiohttp_client: Any, app_builder: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        try:
            await acl.get_user_groups(request)
        except RuntimeError as exc:
            return web.Response(text=str(exc))
        return web.Response(text="no error")

    app = app_builder.build(routes=[("GET", "/", handler)])
    text = await (await (await aiohttp_client(app)).get("/")).text()
    assert "acl_middleware not installed" in text


CONTEXT = [
    (Allow, "staff", {"edit"}),
    (Allow, Group.AuthenticatedUser, {"comment"}),
    (Allow, Group.Everyone, {"view"}),
]


@pytest.mark.parametrize(
    ("user", "permission", "expected"),
    [
        (None, "view", True),
        (None, "comment", False),
        ("alice", "comment", True),
        ("alice", "edit", False),
        ("bob", "edit", True),
        ("banned", "view", False),  # None from the callback denies even Everyone's
    ],
)
async def test_get_permitted(
    aiohttp_client: Any, app_builder: Any, user: str | None, permission: str, expected: bool
) -> None:
    async def handler(request: web.Request) -> web.Response:
        allowed = await acl.get_permitted(request, permission, CONTEXT)
        assert type(allowed) is bool
        return web.Response(text=str(allowed))

    callback = CountingCallback({"bob": ["staff"], "alice": [], "banned": None})
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", handler)])
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": user} if user else {})
    assert await response.text() == str(expected)


async def test_I1_acl_required_with_string_permissions_does_not_match_substrings(
    aiohttp_client: Any, app_builder: Any
) -> None:
    @acl_required("edit", [(Allow, "editors", "editor")])
    async def edit(request: web.Request) -> web.Response:
        return web.Response()

    @acl_required("editor", [(Allow, "editors", "editor")])
    async def editor(request: web.Request) -> web.Response:
        return web.Response()

    callback = CountingCallback({"ed": ["editors"]})
    routes = [("GET", "/edit", edit), ("GET", "/editor", editor)]
    client = await aiohttp_client(app_builder.build(groups_callback=callback, routes=routes))
    assert (await client.get("/edit", headers={"X-User": "ed"})).status == 403
    assert (await client.get("/editor", headers={"X-User": "ed"})).status == 200


@pytest.mark.parametrize("returned", ["admin", "", b"admin", 0])
async def test_I2_groups_callback_returning_a_string_is_type_error_never_a_grant(
    aiohttp_client: Any, app_builder: Any, returned: Any
) -> None:
    async def handler(request: web.Request) -> web.Response:
        try:
            allowed = await acl.get_permitted(request, "delete", [(Allow, "a", ("delete",))])
        except TypeError as exc:
            return web.Response(text=f"TypeError: {exc}")
        return web.Response(text=f"allowed={allowed}")

    callback = CountingCallback({"eve": returned})
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", handler)])
    text = await (await (await aiohttp_client(app)).get("/", headers={"X-User": "eve"})).text()
    assert text.startswith("TypeError: ")
    assert "return" in text  # the message says what to return instead


async def test_I5_raising_callback_is_a_500_view_never_runs_logged_once(
    aiohttp_client: Any, app_builder: Any, caplog: Any
) -> None:
    class GroupsDown(Exception):
        pass

    ran: list[int] = []

    @acl_required("view", CONTEXT)
    async def handler(request: web.Request) -> web.Response:
        ran.append(1)
        return web.Response()

    callback = CountingCallback({"bob": GroupsDown("directory unavailable")})
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", handler)])
    client = await aiohttp_client(app)
    with caplog.at_level(logging.DEBUG):
        response = await client.get("/", headers={"X-User": "bob"})
    assert response.status == 500
    assert ran == []
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is GroupsDown]
    assert len(logged) == 1


@pytest.mark.parametrize(
    "user_id", ["staff", "aiohttp_auth.acl.group.Everyone", "system.Authenticated"]
)
async def test_I6_user_id_never_becomes_a_group(
    aiohttp_client: Any, app_builder: Any, user_id: str
) -> None:
    spoofable = [
        (Allow, "staff", {"x"}),
        (Allow, "aiohttp_auth.acl.group.Everyone", {"x"}),
        (Allow, "aiohttp_auth.acl.group.AuthenticatedUser", {"x"}),
        (Allow, "system.Authenticated", {"x"}),
    ]

    @acl_required("x", spoofable)
    async def handler(request: web.Request) -> web.Response:
        return web.Response()

    app = app_builder.build(groups_callback=CountingCallback({}), routes=[("GET", "/", handler)])
    response = await (await aiohttp_client(app)).get("/", headers={"X-User": user_id})
    assert response.status == 403


async def test_I4_acl_required_first_match_in_both_orders(
    aiohttp_client: Any, app_builder: Any
) -> None:
    @acl_required("view", [(Allow, Group.Everyone, "view"), (Deny, "banned", "view")])
    async def allow_first(request: web.Request) -> web.Response:
        return web.Response()

    @acl_required("view", [(Deny, "banned", "view"), (Allow, Group.Everyone, "view")])
    async def deny_first(request: web.Request) -> web.Response:
        return web.Response()

    callback = CountingCallback({"mallory": ["banned"]})
    routes = [("GET", "/a", allow_first), ("GET", "/d", deny_first)]
    client = await aiohttp_client(app_builder.build(groups_callback=callback, routes=routes))
    mallory = {"X-User": "mallory"}
    assert (await client.get("/a", headers=mallory)).status == 200
    assert (await client.get("/d", headers=mallory)).status == 403
    assert (await client.get("/d", headers={"X-User": "bob"})).status == 200


async def test_acl_required_denial_is_logged_at_debug_only(
    aiohttp_client: Any, app_builder: Any, caplog: Any
) -> None:
    @acl_required("edit", CONTEXT)
    async def handler(request: web.Request) -> web.Response:
        return web.Response()

    callback = CountingCallback({"banned": None})
    app = app_builder.build(groups_callback=callback, routes=[("GET", "/", handler)])
    client = await aiohttp_client(app)
    with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
        assert (await client.get("/", headers={"X-User": "alice"})).status == 403
        assert (await client.get("/", headers={"X-User": "banned"})).status == 403
    ours = [r for r in caplog.records if r.name == "aiohttp_auth.acl"]
    assert [r.levelno for r in ours] == [logging.DEBUG, logging.DEBUG]
    assert "no entry matched" in ours[0].getMessage()
    assert "returned None" in ours[1].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
