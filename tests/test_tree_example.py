"""The resource-tree example: per-document ACLs inherited from the folder.

Each row is one user asking for one permission on one document; the expected
answer follows from the ACLs in ``resource_tree.build_tree`` read by hand:
the document's own entries first, then the folder's, first match wins.
"""

from __future__ import annotations

import secrets

import aiohttp
import pytest

from aiohttp_auth_examples.resource_tree import create_app


@pytest.fixture
async def server(aiohttp_server):
    return await aiohttp_server(create_app(secrets.token_bytes(32)), host="127.0.0.1")


async def as_user(server, user: str | None) -> aiohttp.ClientSession:
    client = aiohttp.ClientSession(
        str(server.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    )
    if user is not None:
        async with client.get(f"/login?username={user}&password={user}_password") as resp:
            assert resp.status == 200
    return client


@pytest.mark.parametrize(
    ("user", "method", "doc", "status"),
    [
        (None, "GET", "welcome", 200),  # welcome: Everyone may view
        (None, "POST", "welcome", 401),  # anonymous and not allowed: 401, not 403
        ("alice", "POST", "welcome", 403),  # folder: DENY_ALL for non-staff
        ("bob", "POST", "welcome", 200),  # folder: staff may do anything
        (None, "GET", "roadmap", 401),
        ("alice", "GET", "roadmap", 403),  # no entries of its own: the folder decides
        ("bob", "GET", "roadmap", 200),
        ("alice", "GET", "alice-notes", 200),  # user:alice principal
        ("alice", "POST", "alice-notes", 200),
        ("bob", "GET", "alice-notes", 403),  # the child's DENY_ALL beats the folder's staff
        ("bob", "GET", "missing", 404),
    ],
)
async def test_document_permissions(server, user, method, doc, status):
    client = await as_user(server, user)
    async with client:
        async with client.request(method, f"/docs/{doc}", data="new text") as resp:
            assert resp.status == status, await resp.text()


async def test_an_edit_is_visible_to_the_next_reader(server):
    async with await as_user(server, "alice") as alice:
        async with alice.post("/docs/alice-notes", data="Buy bread.") as resp:
            assert await resp.text() == "Saved"
        async with alice.get("/docs/alice-notes") as resp:
            assert await resp.text() == "Buy bread."
