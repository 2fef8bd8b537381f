"""Construction checks and the less travelled paths of ``TktAuthentication``."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp import web

import aiohttp_auth
from aiohttp_auth import auth
from aiohttp_auth.permissions import Group, Permission
from aiohttp_auth.testing import make_auth_cookie
from auth_tickets import TicketSigner

NAME = "AUTH_TKT"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"include_ip": 1}, TypeError),
        ({"cookie_name": ""}, ValueError),
        ({"clock": 5}, TypeError),
        ({"max_lifetime": 0}, ValueError),
        ({"max_lifetime": "3600"}, TypeError),
    ],
)
def test_F10_bad_options_fail_at_construction(
    secret: bytes, options: dict[str, Any], error: type
) -> None:
    with pytest.raises(error):
        auth.CookieTktAuthentication(secret, 600, **options)


def test_repr_names_the_settings_not_the_secret(secret: bytes) -> None:
    text = repr(auth.HeaderTktAuthentication(secret, 600, 60))
    assert text == (
        "HeaderTktAuthentication(cookie_name='AUTH_TKT', max_age=600, reissue_time=60, "
        "include_ip=False)"
    )


def test_seed_package_api(secret: bytes) -> None:
    assert aiohttp_auth.__version__ == "0.1.0"
    for name in ("auth", "autz", "acl", "permissions"):
        assert getattr(aiohttp_auth, name).__name__ == f"aiohttp_auth.{name}"
    assert aiohttp_auth.auth_middleware is auth.auth_middleware
    policy = auth.CookieTktAuthentication(secret, 60)
    assert policy.cookie_name == "AUTH_TKT"
    assert policy.cookie_options.samesite == "Lax"
    assert policy.client_ip(None) is None  # type: ignore[arg-type]  # not binding


def test_top_level_middleware_factories_are_the_submodules_own() -> None:
    """COMPAT: ``aiohttp_auth.autz_middleware`` / ``acl_middleware`` are re-exports, not copies."""
    assert aiohttp_auth.autz_middleware is aiohttp_auth.autz.autz_middleware
    assert aiohttp_auth.acl_middleware is aiohttp_auth.acl.acl_middleware
    assert {"autz_middleware", "acl_middleware"} <= set(aiohttp_auth.__all__)


#: The ACL of the README: guests view, staff edit.
README_ACL = [
    (Permission.Allow, "guest", {"view"}),
    (Permission.Allow, "staff", {"view", "edit"}),
]
README_GROUPS = {"alice": ("guest",), "bob": ("guest", "staff")}


async def test_top_level_autz_middleware_guards_a_real_app(
    aiohttp_client: Any, secret: bytes
) -> None:
    """``web.Application(middlewares=[auth_middleware(p), autz_middleware(q)])``, as documented."""
    from aiohttp_auth.autz import autz_required
    from aiohttp_auth.autz.policy.acl import AbstractACLAutzPolicy

    class ACLAutzPolicy(AbstractACLAutzPolicy):
        async def acl_groups(self, user_identity: Any) -> Any:
            return README_GROUPS.get(user_identity, ())

    @autz_required("edit")
    async def edit(request: web.Request) -> web.Response:
        return web.Response(text="edit page")

    async def can_view(request: web.Request) -> web.Response:
        return web.Response(text=str(await aiohttp_auth.autz.permit(request, "view")))

    policy = auth.CookieTktAuthentication(secret, 60)
    app = web.Application(
        middlewares=[
            aiohttp_auth.auth_middleware(policy),
            aiohttp_auth.autz_middleware(ACLAutzPolicy(README_ACL)),
        ]
    )
    app.router.add_get("/edit", edit)
    app.router.add_get("/can_view", can_view)
    client = await aiohttp_client(app)
    bob, alice = make_auth_cookie(policy, "bob"), make_auth_cookie(policy, "alice")
    response = await client.get("/edit", cookies=bob)
    assert (response.status, await response.text()) == (200, "edit page")
    assert (await client.get("/edit", cookies=alice)).status == 403
    assert (await client.get("/edit")).status == 403  # anonymous: 403 too (transcript)
    assert await (await client.get("/can_view", cookies=alice)).text() == "True"
    assert await (await client.get("/can_view")).text() == "False"


async def test_top_level_acl_middleware_guards_a_real_app(
    aiohttp_client: Any, secret: bytes
) -> None:
    """``web.Application(middlewares=[auth_middleware(p), acl_middleware(callback)])``."""
    from aiohttp_auth.acl import acl_required

    async def groups_callback(user_id: Any) -> Any:
        return README_GROUPS.get(user_id, ())

    @acl_required("edit", README_ACL)
    async def edit(request: web.Request) -> web.Response:
        return web.Response(text="edit page")

    async def groups(request: web.Request) -> web.Response:
        found = await aiohttp_auth.acl.get_user_groups(request)
        return web.Response(text=",".join(sorted(map(str, found or ()))))

    policy = auth.CookieTktAuthentication(secret, 60)
    app = web.Application(
        middlewares=[
            aiohttp_auth.auth_middleware(policy),
            aiohttp_auth.acl_middleware(groups_callback),
        ]
    )
    app.router.add_get("/edit", edit)
    app.router.add_get("/groups", groups)
    client = await aiohttp_client(app)
    bob, alice = make_auth_cookie(policy, "bob"), make_auth_cookie(policy, "alice")
    response = await client.get("/edit", cookies=bob)
    assert (response.status, await response.text()) == (200, "edit page")
    assert (await client.get("/edit", cookies=alice)).status == 403
    assert (await client.get("/edit")).status == 403
    text = await (await client.get("/groups", cookies=bob)).text()
    assert set(text.split(",")) == {
        "guest",
        "staff",
        str(Group.Everyone),
        str(Group.AuthenticatedUser),
    }


async def test_top_level_setup_installs_auth_then_autz(aiohttp_client: Any, secret: bytes) -> None:
    from aiohttp_auth.autz.abc import AbstractAutzPolicy

    class Everything(AbstractAutzPolicy):
        async def permit(self, user_identity: Any, permission: Any, context: Any = None) -> bool:
            return user_identity is not None

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=str(await aiohttp_auth.autz.permit(request, "x")))

    app = web.Application()
    aiohttp_auth.setup(app, auth.CookieTktAuthentication(secret, 60), Everything())
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    assert await (await client.get("/")).text() == "False"
    policy = app[auth._state.AUTH_APP_POLICY_KEY]
    assert await (await client.get("/", cookies=make_auth_cookie(policy, "a"))).text() == "True"


async def test_F11_a_signed_ticket_with_an_empty_user_id_is_anonymous(
    aiohttp_client: Any, make_app: Any, secret: bytes, forge: Any
) -> None:
    import time

    now = int(time.time())
    ticket = forge(secret, f"v1!{now + 60}!{now}!L0g1n-1d_AbC!!!!")
    client = await aiohttp_client(make_app(auth.CookieTktAuthentication(secret, 600)))
    response = await client.get("/protected", cookies={NAME: ticket})
    assert response.status == 401


async def test_an_unexpected_verifier_error_is_anonymous_and_logged_at_info(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600)
    cookie = make_auth_cookie(policy, "alice")

    def broken(self: Any, text: str, client_ip: str | None = None) -> Any:
        raise ZeroDivisionError

    monkeypatch.setattr(TicketSigner, "verify", broken)
    client = await aiohttp_client(make_app(policy))
    with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
        response = await client.get("/whoami", cookies=cookie)
    assert response.status == 200
    assert await response.text() == "anonymous"
    assert [r.levelno for r in caplog.records] == [logging.INFO]
    assert cookie[NAME] not in caplog.text


async def test_C4_no_reissue_when_the_lifetime_runs_out_during_the_request(
    aiohttp_client: Any, secret: bytes, clock: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 800, reissue_time=0, max_lifetime=700, clock=clock
    )
    cookie = make_auth_cookie(policy, "alice")

    async def slow(request: web.Request) -> web.Response:
        identity = await auth.get_auth(request)
        clock.advance(2)  # the handler takes the login past its absolute lifetime
        return web.Response(text=str(identity))

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", slow)
    client = await aiohttp_client(app)
    clock.advance(699)
    response = await client.get("/", cookies=cookie)
    assert await response.text() == "alice"
    assert "Set-Cookie" not in response.headers


def test_importing_auth_works_without_the_optional_extras() -> None:
    """aiohttp-session and redis are extras: without them the rest still imports."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['aiohttp_session'] = None\n"  # None in sys.modules: import fails
        "sys.modules['redis'] = None\n"
        "from aiohttp_auth import auth\n"
        "assert not hasattr(auth, 'SessionTktAuthentication')\n"
        "assert not hasattr(auth, 'RedisRevocationStore')\n"
        "assert auth.CookieTktAuthentication and auth.MemoryRevocationStore\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr
