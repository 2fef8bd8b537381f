"""An app for the differential test: the authorization API beyond the seed.

It runs unchanged on the original ``aiohttp_auth_autz`` 0.2.2 and on ours
(the test starts it once with each on ``PYTHONPATH``), so it uses only the
API both share: the older ``acl`` middleware (groups callback,
``get_user_groups``, ``get_permitted``, ``acl_required`` with a list and
with a per-request callable context), ``autz.permit`` and ``autz_required``
with per-call contexts, and class-based views.  Some users and contexts
exist only to show the original's bugs (a groups callback returning a
string, a bare-string permission); the test pins those differences.

Start: ``PORT=8080 python acl_features_app.py``; log in with ``/login?u=NAME``.
"""

import asyncio
import os
from os import urandom

from aiohttp import web

import aiohttp_auth
from aiohttp_auth import acl, auth, autz
from aiohttp_auth.acl import acl_required
from aiohttp_auth.autz import autz_required
from aiohttp_auth.autz.policy import acl as acl_policy
from aiohttp_auth.permissions import Group, Permission

Allow, Deny = Permission.Allow, Permission.Deny

# eve's groups are a bare string (original bug 10); ghost is denied everything
USERS = {"bob": ["staff", "guest"], "alice": ["guest"], "eve": "admin", "ghost": None}

CONTEXTS = {
    "edit": [(Allow, "staff", {"edit"}), (Allow, Group.Everyone, {"view"})],
    "deny_first": [(Deny, "guest", {"view"}), (Allow, Group.Everyone, {"view"})],
    "allow_first": [(Allow, Group.Everyone, {"view"}), (Deny, "guest", {"view"})],
    "members": [(Allow, Group.AuthenticatedUser, {"comment"})],
    "substring": [(Allow, "staff", "editor")],  # 'edit' in 'editor' in the original
    "chars": [(Allow, "a", {"delete"})],  # eve's 'admin' held 'a' in the original
}

# the context of /dynamic, switched by /toggle: evaluated on every request
DYNAMIC = [CONTEXTS["allow_first"]]


async def groups_callback(user_id):
    """The older middleware's callback (async: the original awaits it)."""
    if user_id is None:
        return ()
    return USERS.get(user_id, ())


class Policy(acl_policy.AbstractACLAutzPolicy):
    """The autz policy: same users, global context ``CONTEXTS['edit']``."""

    async def acl_groups(self, user_identity):
        if user_identity is None:
            return ()
        return USERS.get(user_identity, ())


async def login(request):
    await auth.remember(request, request.query["u"])
    return web.Response(text="Ok")


async def logout(request):
    await auth.forget(request)
    return web.Response(text="Ok")


async def groups(request):
    found = await acl.get_user_groups(request)
    if found is None:
        return web.Response(text="None")
    return web.Response(text=",".join(sorted(str(g) for g in found)))


async def permitted(request):
    context = CONTEXTS[request.match_info["ctx"]]
    allowed = await acl.get_permitted(request, request.match_info["perm"], context)
    return web.Response(text=str(allowed))


async def permit(request):
    context = CONTEXTS.get(request.match_info["ctx"])  # 'global': the policy's
    allowed = await autz.permit(request, request.match_info["perm"], context)
    return web.Response(text=str(allowed))


@acl_required("edit", CONTEXTS["edit"])
async def acl_edit(request):
    return web.Response(text="acl edit")


@acl_required("view", lambda: DYNAMIC[0])
async def dynamic(request):
    return web.Response(text="dynamic view")


async def toggle(request):
    DYNAMIC[0] = CONTEXTS["deny_first" if DYNAMIC[0] is CONTEXTS["allow_first"] else "allow_first"]
    return web.Response(text="toggled")


@autz_required("edit", CONTEXTS["edit"])
async def autz_edit(request):
    return web.Response(text="autz edit")


@autz_required("view")
async def autz_global(request):
    return web.Response(text="autz global view")


@acl_required("edit", CONTEXTS["substring"])
async def acl_substring(request):
    return web.Response(text="acl substring")


@autz_required("edit", CONTEXTS["substring"])
async def autz_substring(request):
    return web.Response(text="autz substring")


@acl_required("delete", CONTEXTS["chars"])
async def acl_chars(request):
    return web.Response(text="acl chars")


class Page(web.View):
    """Class-based view: one decorator of each API."""

    @acl_required("view", CONTEXTS["edit"])
    async def get(self):
        return web.Response(text="page view")

    @autz_required("edit", CONTEXTS["edit"])
    async def post(self):
        return web.Response(text="page edit")


def init_app():
    app = web.Application()
    auth_policy = auth.CookieTktAuthentication(urandom(32), 120, include_ip=True)
    aiohttp_auth.setup(app, auth_policy, Policy(CONTEXTS["edit"]))
    acl.setup(app, groups_callback)
    app.router.add_get("/login", login)
    app.router.add_get("/logout", logout)
    app.router.add_get("/groups", groups)
    app.router.add_get("/permitted/{ctx}/{perm}", permitted)
    app.router.add_get("/permit/{ctx}/{perm}", permit)
    app.router.add_get("/acl-edit", acl_edit)
    app.router.add_get("/dynamic", dynamic)
    app.router.add_get("/toggle", toggle)
    app.router.add_get("/autz-edit", autz_edit)
    app.router.add_get("/autz-global", autz_global)
    app.router.add_get("/acl-substring", acl_substring)
    app.router.add_get("/autz-substring", autz_substring)
    app.router.add_get("/acl-chars", acl_chars)
    app.router.add_route("*", "/page", Page)
    return app


if __name__ == "__main__":
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    web.run_app(init_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "8080")), loop=loop)
