"""The servers that bench/http_bench.py measures, one kind per process.

    python bench/http_servers.py KIND PORT

Every kind serves the same two routes, so that one load generator can drive
them all:

* ``GET /login?username=bob&password=bob_password``: logs in and answers with
  whatever credential the kind uses (a cookie, or a JWT in the body);
* ``GET /view``: the measured path of the getting-started app: identify the
  user from the credential, check the ``view`` permission against the same
  four-entry ACL, answer ``View Page``.

Kinds:

``bare``            aiohttp with no auth at all: the ceiling.
``floor``           the least a cookie-ticket middleware can do (one
                    middleware, a bare HMAC of the user name, a dict
                    lookup for the permission, none of the checks): what
                    any correct implementation costs at least.
``ours``            the getting-started example of aiohttp_auth_examples.
``original``        the same app on the original aiohttp_auth_autz 0.2.2 (run
                    with PYTHONPATH pointing at .hatch/original, which the
                    driver does).
``security-session`` aiohttp-security with an encrypted aiohttp-session cookie.
``security-jwt``    aiohttp-security with a JWT in the Authorization header.
"""

from __future__ import annotations

import hashlib
import hmac
import sys
from typing import Any

from aiohttp import web

SECRET = b"0123456789abcdef0123456789abcdef-bench-only"
USERS = {"bob": {"password": "bob_password", "groups": ["guest", "staff"]}}


def bare_app() -> web.Application:
    async def login(request: web.Request) -> web.Response:
        return web.Response(text="Ok")

    class View(web.View):
        """The getting-started app's class-based view, minus the auth check."""

        async def get(self) -> web.Response:
            return web.Response(text="View Page")

    app = web.Application()
    app.router.add_get("/login", login)
    app.router.add_route("*", "/view", View)
    return app


def floor_app() -> web.Application:
    """The least any cookie-ticket middleware does: the lower bound for ``ours``.

    One middleware that finds the cookie with ``str.find``, checks a bare
    HMAC-SHA256 of the user name with ``compare_digest`` and puts the user on
    the request; the view looks the permission up in a dict.  No expiry, no
    IP binding, no reissue, no ``Vary``, no duplicate-cookie rule, no
    first-match ACL: every check ``ours`` adds on top is missing, so this is
    a floor to measure against, not an implementation to use.
    """
    key = hashlib.sha256(SECRET).digest()
    user_key = web.RequestKey("floor_user", str)
    permissions = {"bob": {"view", "edit", "admin_view"}}
    needle = "AUTH_TKT="

    def mac(user: str) -> str:
        return hmac.new(key, user.encode(), hashlib.sha256).hexdigest()

    @web.middleware
    async def floor_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        header = request.headers.get("Cookie", "")
        at = header.find(needle)
        user = ""
        if at >= 0:
            user, _, digest = header[at + len(needle) :].split(";", 1)[0].partition("!")
            if not hmac.compare_digest(mac(user).encode(), digest.encode()):
                user = ""
        request[user_key] = user
        return await handler(request)  # type: ignore[no-any-return]

    async def login(request: web.Request) -> web.Response:
        user = request.query["username"]
        response = web.Response(text="Ok")
        response.set_cookie("AUTH_TKT", f"{user}!{mac(user)}", httponly=True)
        return response

    class View(web.View):
        async def get(self) -> web.Response:
            if "view" not in permissions.get(self.request[user_key], ()):
                raise web.HTTPForbidden()
            return web.Response(text="View Page")

    app = web.Application(middlewares=[floor_middleware])
    app.router.add_get("/login", login)
    app.router.add_route("*", "/view", View)
    return app


def seed_style_app() -> web.Application:
    """The getting-started app, written against the original public API.

    The same code runs on our package and on the original, whichever
    ``aiohttp_auth`` the interpreter imports.
    """
    import aiohttp_auth
    from aiohttp_auth import auth
    from aiohttp_auth.autz import autz_required
    from aiohttp_auth.autz.policy import acl
    from aiohttp_auth.permissions import Group, Permission

    context = [
        (Permission.Allow, "guest", {"view"}),
        (Permission.Deny, "guest", {"edit"}),
        (Permission.Allow, "staff", {"view", "edit", "admin_view"}),
        (Permission.Allow, Group.Everyone, {"view_home"}),
    ]

    class Policy(acl.AbstractACLAutzPolicy):  # type: ignore[misc]
        async def acl_groups(self, user_identity: Any) -> Any:
            user = USERS.get(user_identity)
            return () if user is None else user["groups"]

    async def login(request: web.Request) -> web.Response:
        await auth.remember(request, request.query["username"])
        return web.Response(text="Ok")

    class View(web.View):
        @autz_required("view")  # type: ignore[misc]
        async def get(self) -> web.Response:
            return web.Response(text="View Page")

    app = web.Application()
    policy = auth.CookieTktAuthentication(SECRET, 3600, include_ip=True)
    aiohttp_auth.setup(app, policy, Policy(context))
    app.router.add_get("/login", login)
    app.router.add_route("*", "/view", View)
    return app


def _security_app(kind: str) -> web.Application:
    import aiohttp_security
    import aiohttp_session
    import jwt
    from aiohttp_security.abc import AbstractAuthorizationPolicy
    from aiohttp_session.cookie_storage import EncryptedCookieStorage

    context = [
        (True, "guest", {"view"}),
        (False, "guest", {"edit"}),
        (True, "staff", {"view", "edit", "admin_view"}),
    ]

    class Authz(AbstractAuthorizationPolicy):
        """The same first-match ACL as the getting-started app."""

        async def authorized_userid(self, identity: str) -> str | None:
            return identity if identity in USERS else None

        async def permits(self, identity: Any, permission: Any, context_: Any = None) -> bool:
            user = USERS.get(identity)
            if user is None:
                return False
            groups = set(user["groups"])
            for allow, group, permissions in context:
                if group in groups and permission in permissions:
                    return allow
            return False

    async def view(request: web.Request) -> web.Response:
        await aiohttp_security.check_permission(request, "view")
        return web.Response(text="View Page")

    app = web.Application()
    if kind == "security-session":
        aiohttp_session.setup(app, EncryptedCookieStorage(SECRET[:32]))  # raw 32-byte key
        identity: Any = aiohttp_security.SessionIdentityPolicy()

        async def login(request: web.Request) -> web.Response:
            response = web.Response(text="Ok")
            await aiohttp_security.remember(request, response, request.query["username"])
            return response

    else:
        identity = aiohttp_security.JWTIdentityPolicy(SECRET.decode())

        async def login(request: web.Request) -> web.Response:
            token = jwt.encode({"login": request.query["username"]}, SECRET.decode())
            return web.Response(text=token)

    aiohttp_security.setup(app, identity, Authz())
    app.router.add_get("/login", login)
    app.router.add_get("/view", view)
    return app


def build(kind: str) -> web.Application:
    if kind == "bare":
        return bare_app()
    if kind == "floor":
        return floor_app()
    if kind in ("ours", "original"):
        return seed_style_app()
    if kind in ("security-session", "security-jwt"):
        return _security_app(kind)
    raise SystemExit(f"unknown kind {kind!r}")


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    web.run_app(build(kind), host="127.0.0.1", port=port, access_log=None, print=None)
