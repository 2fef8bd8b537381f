"""Resource trees: ``__acl__`` walked through ``__parent__``, child first, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, DENY_ALL, Allow, Authenticated, Deny, Everyone


def test_a_deny_on_the_child_beats_an_allow_on_the_parent(resource: type) -> None:
    root = resource("root", None, [(Allow, "staff", {"edit"})])
    locked = resource("locked", root, [(Deny, "staff", {"edit"})])
    open_ = resource("open", root, None)
    decision = acl.permits(locked, {"staff"}, "edit")
    assert not decision
    assert decision.source is locked
    decision = acl.permits(open_, {"staff"}, "edit")
    assert decision
    assert decision.source is root


def test_an_allow_on_the_child_beats_a_deny_all_on_the_parent(resource: type) -> None:
    root = resource("root", None, [DENY_ALL])
    page = resource("page", root, acl.compile_acl([(Allow, Everyone, "view")]))
    assert acl.permits(page, {Everyone}, "view")
    assert not acl.permits(page, {Everyone}, "edit")


def test_callable_acl_is_called_on_every_check(resource: type) -> None:
    calls: list[int] = []

    def current_acl() -> Any:
        calls.append(1)
        return [(Allow, "g", {"x"})] if len(calls) == 1 else [(Deny, "g", {"x"})]

    node = resource("node", None, current_acl)
    assert acl.permits(node, {"g"}, "x")
    assert not acl.permits(node, {"g"}, "x")


def test_resources_without_acl_or_with_none_are_skipped(resource: type, bare: type) -> None:
    root = resource("root", None, [(Allow, "g", {"x"})])
    middle = bare(root)
    leaf = resource("leaf", middle, lambda: None)
    assert acl.permits(leaf, {"g"}, "x").source is root
    assert not acl.permits(resource("alone", None, None), {"g"}, "x")


def test_no_match_in_the_tree_is_a_plain_denial(resource: type) -> None:
    node = resource("node", None, [(Allow, "g", {"x"})])
    decision = acl.permits(node, {"h"}, "x")
    assert (decision.allowed, decision.index, decision.source, decision.reason) == (
        False,
        None,
        None,
        None,
    )
    decision = acl.permits(node, None, "x")
    assert decision.reason is not None
    assert "None" in decision.reason


def test_a_cycle_through_parent_is_an_error_not_a_hang(resource: type) -> None:
    a = resource("a", None, [(Allow, "g", {"y"})])
    b = resource("b", a, None)
    a.__parent__ = b
    with pytest.raises(ValueError, match="cycle"):
        acl.permits(b, {"g"}, "x")
    assert [node.name for node in acl.lineage(resource("c", resource("d"), None))] == ["c", "d"]


def test_a_bad_acl_value_names_the_resource(resource: type) -> None:
    with pytest.raises(TypeError, match="<Resource odd>"):
        acl.permits(resource("odd", None, {"not": "a list"}), {"g"}, "x")
    with pytest.raises(TypeError, match="#0"):
        acl.permits(resource("bad", None, [("Allow", "g", "x")]), {"g"}, "x")


@pytest.mark.parametrize("context", [object(), 42, {"a": "b"}, {(Allow, "g", "x")}])
def test_something_that_is_neither_acl_nor_resource_is_refused(context: Any) -> None:
    with pytest.raises(TypeError, match="must be an ACL"):
        acl.permits(context, {"g"}, "x")
    with pytest.raises(TypeError, match="must be an ACL"):
        asyncio.run(acl.permits_async(context, {"g"}, "x"))
    with pytest.raises(TypeError, match="must be an ACL"):
        acl.principals_allowed_by_permission(context, "x")


def test_async_acl_needs_the_async_check(resource: type) -> None:
    async def load_acl() -> Any:
        await asyncio.sleep(0)
        return [(Deny, "g", {"x"})]

    root = resource("root", None, [(Allow, "g", {"x"})])
    leaf = resource("leaf", root, load_acl)
    with pytest.raises(TypeError, match="use permits_async"):
        acl.permits(leaf, {"g"}, "x")
    decision = asyncio.run(acl.permits_async(leaf, {"g"}, "x"))
    assert not decision
    assert decision.source is leaf


def test_an_awaitable_that_is_not_a_coroutine_is_refused_too(resource: type) -> None:
    class Later:
        def __await__(self) -> Any:
            yield from asyncio.sleep(0).__await__()
            return [(Allow, "g", {"x"})]

    node = resource("node", None, Later)
    with pytest.raises(TypeError, match="use permits_async"):
        acl.permits(node, {"g"}, "x")
    assert asyncio.run(acl.permits_async(node, {"g"}, "x"))


def test_async_check_on_flat_acls_and_trees_without_match(resource: type) -> None:
    entries = [(Allow, "g", {"x"})]
    assert asyncio.run(acl.permits_async(entries, {"g"}, "x"))
    assert asyncio.run(acl.permits_async(acl.compile_acl(entries), {"g"}, "x"))
    node = resource("n", resource("root", None, None), entries)
    assert not asyncio.run(acl.permits_async(node, {"h"}, "x"))
    assert asyncio.run(acl.permits_async(node, None, "x")).reason is not None


def test_principals_allowed_by_permission_as_pyramid_documents(resource: type) -> None:
    root = resource("root", None, [(Allow, "a", {"view"}), (Allow, "b", ALL_PERMISSIONS)])
    child = resource("child", root, [(Deny, "a", {"view"}), (Allow, Authenticated, "view")])
    assert acl.principals_allowed_by_permission(root, "view") == {"a", "b"}
    assert acl.principals_allowed_by_permission(child, "view") == {"b", Authenticated}
    sealed = resource("sealed", root, [(Allow, "c", {"view"}), DENY_ALL, (Allow, "d", {"view"})])
    assert acl.principals_allowed_by_permission(sealed, "view") == {"c"}
    again = resource("again", root, [(Deny, "a", {"view"}), (Allow, "a", {"view"})])
    assert acl.principals_allowed_by_permission(again, "view") == {"b"}
