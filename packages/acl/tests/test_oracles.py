"""Semantics proven against the references: Pyramid's ACLHelper and the original loop.

Random ACLs, principals, permissions and resource trees; our Everyone /
Authenticated / Allow / Deny / ALL_PERMISSIONS are translated to Pyramid's
(conftest.Pyramid).  Permission names deliberately include substrings of
each other ('e', 'ed', 'edit', 'editor') so that any substring matching
(SECURITY I1) shows up as a disagreement.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import acl_permissions as acl
from acl_permissions import compiled as compiled_module

PRINCIPALS = ["a", "b", "ab", 1, acl.Everyone, acl.Authenticated]
PERMISSIONS = ["e", "ed", "edit", "editor", "view", 7]
ASKED = [*PERMISSIONS, "absent"]

actions = st.sampled_from([acl.Allow, acl.Deny])
permission_sets = st.one_of(
    st.sampled_from(PERMISSIONS),  # a bare string (or a bare number): ONE permission
    st.frozensets(st.sampled_from(PERMISSIONS), max_size=3),
    st.lists(st.sampled_from(PERMISSIONS), max_size=3).map(tuple),
    st.lists(st.sampled_from(PERMISSIONS), max_size=3),
    st.just(acl.ALL_PERMISSIONS),
)
entries = st.tuples(actions, st.sampled_from(PRINCIPALS), permission_sets)
acls = st.lists(entries, max_size=8)
held = st.frozensets(st.sampled_from(PRINCIPALS), max_size=4)
asked = st.sampled_from(ASKED)


def reference_first_match(entries: list[Any], principals: Any, permission: Any) -> int | None:
    """The index of the first entry that matches, by the definition (a plain loop)."""
    for index, (_action, principal, permissions) in enumerate(entries):
        if permissions is acl.ALL_PERMISSIONS:
            contains = True
        elif isinstance(permissions, (str, int)):
            contains = permission == permissions
        else:
            contains = permission in permissions
        if principal in principals and contains:
            return index
    return None


@given(acls, held, asked)
def test_flat_check_agrees_with_pyramid(
    pyramid: Any, entries: Any, principals: Any, permission: Any
) -> None:
    expected = pyramid.permits(pyramid.entries(entries), principals, permission)
    compiled = acl.compile_acl(entries)
    assert bool(compiled.check(principals, permission)) is expected
    assert bool(acl.permits(compiled, principals, permission)) is expected
    assert bool(acl.permits(entries, principals, permission)) is expected


@given(acls, held, asked)
def test_decision_names_the_first_matching_entry(
    entries: Any, principals: Any, permission: Any
) -> None:
    index = reference_first_match(entries, principals, permission)
    for decision in (
        acl.compile_acl(entries).check(principals, permission),
        acl.permits(list(entries), principals, permission),
    ):
        assert decision.index == index
        if index is None:
            assert decision.entry is None
            assert not decision
        else:
            assert decision.entry == tuple(entries[index])
            assert decision.allowed is (entries[index][0] is acl.Allow)


@given(acls, held, asked)
def test_unfolded_compiled_acl_agrees_with_folded(
    entries: Any, principals: Any, permission: Any
) -> None:
    folded = acl.compile_acl(entries)
    saved = compiled_module.FOLD_LIMIT
    compiled_module.FOLD_LIMIT = -1  # force the separate ALL_PERMISSIONS map
    try:
        unfolded = acl.compile_acl(entries)
    finally:
        compiled_module.FOLD_LIMIT = saved
    a = folded.check(principals, permission)
    b = unfolded.check(principals, permission)
    c = unfolded.check(iter(principals), permission)  # an iterator, read once
    d = folded.check(iter(principals), permission)
    assert (a.allowed, a.index) == (b.allowed, b.index) == (c.allowed, c.index)
    assert (d.allowed, d.index) == (a.allowed, a.index)


# -- the original algorithm ------------------------------------------------------------------


def original_get_groups_permitted(groups: Any, permission: Any, context: Any) -> bool:
    """The loop of aiohttp_auth_autz 0.2.2 `get_groups_permitted`, re-stated as the reference.

    Only valid for non-string permission collections: with a bare string the
    original matched substrings (SECURITY I1), which is the bug we fix.
    """
    if groups is None:
        return False
    for action, group, permissions in context:
        if group in groups and permission in permissions:
            return bool(action == acl.Permission.Allow)
    return False


collection_acls = st.lists(
    st.tuples(
        actions,
        st.sampled_from(PRINCIPALS),
        st.one_of(
            st.frozensets(st.sampled_from(PERMISSIONS), max_size=3),
            st.lists(st.sampled_from(PERMISSIONS), max_size=3).map(tuple),
        ),
    ),
    max_size=8,
)
group_lists = st.one_of(st.none(), st.lists(st.sampled_from(["a", "b", "ab", 1]), max_size=3))


@given(collection_acls, st.sampled_from([None, "alice"]), group_lists, asked)
def test_agrees_with_the_original_loop_on_collections(
    entries: Any, identity: Any, groups: Any, permission: Any
) -> None:
    principals = acl.principals_for(identity, groups)
    expected = original_get_groups_permitted(principals, permission, entries)
    assert bool(acl.permits(acl.compile_acl(entries), principals, permission)) is expected
    assert bool(acl.permits(entries, principals, permission)) is expected


# -- resource trees --------------------------------------------------------------------------

node_acls = st.one_of(st.none(), acls)
chains = st.lists(node_acls, min_size=1, max_size=4)


def returning(value: Any) -> Any:
    """A zero-argument callable returning ``value`` (a callable ``__acl__``)."""
    return lambda: value


def build_ours(chain: list[Any], resource: Any, bare: Any, shapes: list[int]) -> Any:
    """Our copy of a chain root..leaf, with the ACL of each node in a varying shape."""
    node = None
    for index, (entries, shape) in enumerate(zip(chain, shapes, strict=False)):
        if entries is None:
            node = bare(node) if shape % 2 else resource(f"n{index}", node, None)
            continue
        value: Any = entries
        if shape == 1:
            value = acl.compile_acl(entries)
        elif shape == 2:
            value = returning(entries)  # a callable returning the ACL
        elif shape == 3:
            value = returning(acl.compile_acl(entries))
        node = resource(f"n{index}", node, value)
    return node


def build_pyramid(chain: list[Any], pyramid: Any, resource: Any, bare: Any) -> Any:
    node = None
    for index, entries in enumerate(chain):
        if entries is None:
            node = bare(node)  # Pyramid wants no attribute, not None
        else:
            node = resource(f"p{index}", node, pyramid.entries(entries))
    return node


@given(chains, st.lists(st.integers(0, 3), min_size=4, max_size=4), held, asked)
def test_tree_check_agrees_with_pyramid(
    pyramid: Any,
    resource: Any,
    bare: Any,
    chain: Any,
    shapes: Any,
    principals: Any,
    permission: Any,
) -> None:
    ours = build_ours(chain, resource, bare, shapes)
    theirs = build_pyramid(chain, pyramid, resource, bare)
    expected = pyramid.permits(theirs, principals, permission)
    decision = acl.permits(ours, principals, permission)
    assert bool(decision) is expected
    assert bool(asyncio.run(acl.permits_async(ours, principals, permission))) is expected
    if decision.index is not None:
        assert decision.source is not None
        assert decision.entry in [tuple(e) for e in acl.compile_acl(_acl_of(decision.source))]


def _acl_of(node: Any) -> Any:
    value = node.__acl__
    return value() if callable(value) else value


@given(chains, st.lists(st.integers(0, 3), min_size=4, max_size=4), asked)
def test_principals_allowed_by_permission_agrees_with_pyramid(
    pyramid: Any, resource: Any, bare: Any, chain: Any, shapes: Any, permission: Any
) -> None:
    ours = build_ours(chain, resource, bare, shapes)
    theirs = build_pyramid(chain, pyramid, resource, bare)
    assert acl.principals_allowed_by_permission(ours, permission) == pyramid.allowed(
        theirs, permission
    )


@given(acls, asked)
def test_principals_allowed_on_a_flat_acl_agrees_with_pyramid(
    pyramid: Any, resource: Any, entries: Any, permission: Any
) -> None:
    theirs = resource("root", None, pyramid.entries(entries))
    expected = pyramid.allowed(theirs, permission)
    assert acl.principals_allowed_by_permission(entries, permission) == expected
    assert acl.principals_allowed_by_permission(acl.compile_acl(entries), permission) == expected


# -- SECURITY I4: deny precedence --------------------------------------------------------------


@given(acls, st.sampled_from(PRINCIPALS), permission_sets)
def test_I4_inserting_a_deny_first_never_increases_what_is_permitted(
    entries: Any, group: Any, permissions: Any
) -> None:
    before = acl.compile_acl(entries)
    after = acl.compile_acl([(acl.Deny, group, permissions), *entries])
    for subset in _principal_sets():
        for permission in ASKED:
            if after.check(subset, permission):
                assert before.check(subset, permission), (subset, permission)


def _principal_sets() -> list[frozenset[Any]]:
    out = [frozenset()]
    for principal in PRINCIPALS:
        out += [s | {principal} for s in out]
    return out


# -- lint is sound: what it calls dead really is dead ------------------------------------------


@given(acls)
def test_removing_entries_lint_calls_dead_changes_no_decision(entries: Any) -> None:
    dead = {
        f.index for f in acl.lint(entries) if f.code in ("shadowed", "unreachable", "duplicate")
    }
    kept = acl.compile_acl([e for i, e in enumerate(entries) if i not in dead])
    full = acl.compile_acl(entries)
    for subset in _principal_sets():
        users = subset | {acl.Everyone}  # principals_for always adds Everyone
        for permission in ASKED:
            assert bool(full.check(users, permission)) is bool(kept.check(users, permission))


@pytest.mark.parametrize("permission", ["edit", "e", "ed", "di", "editors"])
def test_I1_bare_string_permission_never_matches_a_substring_vs_pyramid(
    pyramid: Any, permission: str
) -> None:
    entries = [(acl.Allow, "editors", "editor")]
    assert not acl.permits(entries, {"editors"}, permission)
    assert pyramid.permits(pyramid.entries(entries), {"editors"}, permission) is False


@given(acls, st.sampled_from([None, "alice"]), group_lists, asked)
def test_policy_permit_is_permits_on_principals_for(
    entries: Any, identity: Any, groups: Any, permission: Any
) -> None:
    class Policy(acl.ACLPolicy):
        async def acl_groups(self, identity: object) -> Any:
            return groups

    decision = asyncio.run(Policy(entries).permit(identity, permission))
    expected = acl.permits(entries, acl.principals_for(identity, groups), permission)
    assert (decision.allowed, decision.index) == (expected.allowed, expected.index)
