"""Per-object permissions: an ACL on every document, inherited from its folder.

The getting-started app has one global ACL.  Real applications usually need
rules per object ("alice may edit her own notes"), which is what a resource
tree gives: each resource has an ``__acl__`` and a ``__parent__``; a check
walks from the resource up to the root and the first matching entry on the
way decides, so a document's own rules override its folder's.

Principals here are the user's groups plus ``user:<id>``: the library never
adds the user id as a principal by itself (a user named "staff" must not
become a member of the group "staff"), so an application that wants per-user
entries adds an explicit, prefixed principal in ``acl_groups``.

Routes:

* ``GET /login?username=..&password=..`` and ``GET /logout``, as in the
  getting-started app;
* ``GET /docs/{name}``: read a document (permission ``view``);
* ``POST /docs/{name}``: replace its text (permission ``edit``).

Both document routes use :func:`aiohttp_auth.autz.require`, which answers
401 to anonymous users and 403 to logged-in users who lack the permission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

import aiohttp_auth
from aiohttp_auth import auth, autz
from aiohttp_auth.autz.policy import acl
from aiohttp_auth.permissions import ALL_PERMISSIONS, DENY_ALL, Group, Permission

from .csrf import reject_cross_site_posts
from .getting_started import USERS, login, logout

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["DOCUMENTS_KEY", "Document", "Folder", "TreeACLPolicy", "build_tree", "create_app"]


@dataclass
class Folder:
    """The root of the tree: staff may do anything below it, nobody else."""

    __acl__: list[tuple[object, object, object]] = field(
        default_factory=lambda: [(Permission.Allow, "staff", ALL_PERMISSIONS), DENY_ALL]
    )
    __parent__: None = None


@dataclass
class Document:
    """A document with its own ACL; what it does not decide, its folder does."""

    name: str
    text: str
    __parent__: Folder
    __acl__: list[tuple[object, object, object]] = field(default_factory=list)


def build_tree() -> dict[str, Document]:
    """Three documents that show the three cases: public, private, inherited."""
    root = Folder()
    return {
        # anyone may read, only staff (from the folder) may edit
        "welcome": Document(
            "welcome", "Hello.", root, [(Permission.Allow, Group.Everyone, "view")]
        ),
        # alice's own notes: the child's DENY_ALL overrides the folder's staff rule
        "alice-notes": Document(
            "alice-notes",
            "Buy milk.",
            root,
            [(Permission.Allow, "user:alice", ("view", "edit")), DENY_ALL],
        ),
        # no entries of its own: the folder decides (staff only)
        "roadmap": Document("roadmap", "Ship it.", root),
    }


DOCUMENTS_KEY = web.AppKey("documents", dict)


class TreeACLPolicy(acl.AbstractACLAutzPolicy):
    """Principals: the user's groups and an explicit ``user:<id>`` principal."""

    async def acl_groups(self, user_identity: object) -> Sequence[object]:
        user = USERS.get(user_identity) if isinstance(user_identity, str) else None
        if user is None:
            return ()
        groups = user["groups"]
        assert isinstance(groups, list)  # noqa: S101 - the table is ours
        return [*groups, f"user:{user_identity}"]


def _document(request: web.Request) -> Document:
    document = request.app[DOCUMENTS_KEY].get(request.match_info["name"])
    if not isinstance(document, Document):
        raise web.HTTPNotFound()
    return document


async def read_document(request: web.Request) -> web.Response:
    document = _document(request)
    await autz.require(request, "view", context=document)
    return web.Response(text=document.text)


async def edit_document(request: web.Request) -> web.Response:
    document = _document(request)
    await autz.require(request, "edit", context=document)
    document.text = await request.text()
    return web.Response(text="Saved")


def create_app(
    secret: bytes | Sequence[bytes], *, max_age: int = 60, include_ip: bool = True
) -> web.Application:
    """Build the resource-tree example app."""
    app = web.Application(middlewares=[reject_cross_site_posts])
    policy = auth.CookieTktAuthentication(secret, max_age, include_ip=include_ip)
    aiohttp_auth.setup(app, policy, TreeACLPolicy())
    app[DOCUMENTS_KEY] = build_tree()
    app.router.add_get("/login", login)
    app.router.add_get("/logout", logout)
    app.router.add_get("/docs/{name}", read_document)
    app.router.add_post("/docs/{name}", edit_document)
    return app
