"""The getting-started app of the original ``aiohttp_auth`` document, as a module.

It keeps the routes, the users and the ACL of the document, and therefore its
behaviour request for request (the integration suite replays the original
transcript against it), but is written for current aiohttp: no event loop
passed around, ``request.query`` instead of the removed ``request.GET``, and
an app factory, :func:`create_app`, that tests and ``python -m
aiohttp_auth_examples`` both call.

Two things are added beside the document's routes, both about CSRF, because
``SameSite=Lax`` does not stop a cross-site login form from logging a victim
into the attacker's account:

* ``POST /login`` (form fields ``username`` / ``password``) and
  ``POST /logout``, the shape a real app should use;
* :func:`reject_cross_site_posts`, a middleware that refuses unsafe methods
  whose ``Sec-Fetch-Site`` or ``Origin`` says they come from another site,
  and the same for the document's GET routes that log in and out (marked
  :func:`~.csrf.changes_state`): a link on another site must not log a
  browser in.

The document's ``GET /login?username=...`` route stays, because the
transcript pins it; a real application should not log people in on GET.

For people in a browser, :mod:`.account_pages` adds HTML pages beside
those routes (``/account/login``, ``/account``, ``/staff``), which the
browser tests drive in Chromium.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence

from aiohttp import web

import aiohttp_auth
from aiohttp_auth import auth, autz
from aiohttp_auth.auth import auth_required
from aiohttp_auth.autz import autz_required
from aiohttp_auth.autz.policy import acl
from aiohttp_auth.permissions import Group, Permission

from .account_pages import add_account_pages
from .csrf import changes_state, reject_cross_site_posts
from .users import USERS, password_matches, posted_credentials

__all__ = ["CONTEXT", "USERS", "ACLAutzPolicy", "create_app"]

#: The document's global ACL: the first entry that matches decides.
CONTEXT = [
    (Permission.Allow, "guest", {"view"}),
    (Permission.Deny, "guest", {"edit"}),
    (Permission.Allow, "staff", {"view", "edit", "admin_view"}),
    (Permission.Allow, Group.Everyone, {"view_home"}),
]


class ACLAutzPolicy(acl.AbstractACLAutzPolicy):
    """Groups come from the user table; unknown identities get only Everyone."""

    def __init__(
        self, users: Mapping[str, Mapping[str, object]], context: Iterable[object] | None = None
    ) -> None:
        super().__init__(context)
        self.users = users

    async def acl_groups(self, user_identity: object) -> Sequence[object]:
        user = self.users.get(user_identity) if isinstance(user_identity, str) else None
        if user is None:
            # an empty collection, not None: anonymous users keep Everyone's rights
            return ()
        groups = user["groups"]
        assert isinstance(groups, list)  # noqa: S101 - the table above is ours
        return groups


@changes_state
async def login(request: web.Request) -> web.Response:
    """``GET /login?username=..&password=..`` as in the document."""
    username = request.query.get("username")
    if password_matches(username, request.query.get("password")):
        assert username is not None  # noqa: S101 - checked by password_matches
        await auth.remember(request, username)
        return web.Response(text="Ok")
    raise web.HTTPUnauthorized()


async def login_form(request: web.Request) -> web.Response:
    """``POST /login`` with form fields: what a real login endpoint looks like.

    A body that cannot be decoded is a 400 (see :func:`.users.posted_credentials`).
    """
    username, password = await posted_credentials(request)
    if isinstance(username, str) and password_matches(username, password):
        await auth.remember(request, username)
        return web.Response(text="Ok")
    raise web.HTTPUnauthorized()


@changes_state
@auth_required
async def logout(request: web.Request) -> web.Response:
    """Only a logged-in user can log out; anonymous callers get 401."""
    await auth.forget(request)
    return web.Response(text="Ok")


@autz_required("admin_view")
async def admin(request: web.Request) -> web.Response:
    return web.Response(text="Admin Page")


@autz_required("view_home")
async def home(request: web.Request) -> web.Response:
    text = "Home page."
    if await autz.permit(request, "admin_view"):
        text += " Admin page:"
    if await auth.get_auth(request) is not None:
        text += " Logout:"
    return web.Response(text=text)


class MyView(web.View):
    """The document's class-based view: decorators work on its methods."""

    @autz_required("view")
    async def get(self) -> web.Response:
        if await autz.permit(self.request, "view"):
            return web.Response(text="View Page")
        return web.Response(text="View is not permitted")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(
    secret: bytes | Sequence[bytes],
    *,
    max_age: int = 60,
    include_ip: bool = True,
    auth_policy: auth.AbstractAuthentication | None = None,
    extra_middlewares: Sequence[Callable[..., object]] = (),
) -> web.Application:
    """Build the getting-started app.

    ``secret`` signs the tickets (32 bytes or more; or a list, newest first,
    during a key rotation).  The defaults are the
    document's: tickets valid for 60 seconds and bound to the client's
    address.  ``auth_policy`` replaces the cookie policy (the session example
    passes its own); ``extra_middlewares`` run before the auth middlewares
    (the session example puts aiohttp-session's there).
    """
    app = web.Application(middlewares=[reject_cross_site_posts, *extra_middlewares])  # type: ignore[list-item]
    policy = auth_policy or auth.CookieTktAuthentication(secret, max_age, include_ip=include_ip)
    aiohttp_auth.setup(app, policy, ACLAutzPolicy(USERS, CONTEXT))

    app.router.add_get("/", home)
    app.router.add_get("/login", login)
    app.router.add_post("/login", login_form)
    app.router.add_get("/logout", logout)
    app.router.add_post("/logout", logout)
    app.router.add_get("/admin", admin)
    app.router.add_route("*", "/view", MyView)
    add_account_pages(app)
    return app
