"""Decisions: truthiness, what they carry, how they print, and that they cannot be altered."""

from __future__ import annotations

import pytest

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, Allow, Deny, Everyone


def test_denied_by_an_entry_reads_as_the_entry() -> None:
    entries = [(Allow, "guest", {"view"}), (Deny, "guest", {"edit"})]
    decision = acl.compile_acl(entries).check({"guest"}, "edit")
    assert not decision
    assert decision.allowed is False
    assert (decision.index, decision.entry, decision.permission) == (1, entries[1], "edit")
    assert decision.source is None
    assert str(decision) == "denied 'edit': entry #1 (Deny, 'guest', {'edit'})"
    assert repr(decision) == f"<Decision {decision}>"


def test_no_match_reads_as_no_match() -> None:
    decision = acl.compile_acl([(Allow, "staff", {"view"})]).check({"guest"}, "view")
    assert not decision
    assert decision.entry is None
    assert decision.index is None
    assert str(decision) == "denied 'view': no entry matched"


def test_allowed_names_sentinels_by_name() -> None:
    decision = acl.permits([(Allow, Everyone, ALL_PERMISSIONS)], {Everyone}, 3)
    assert decision
    assert str(decision) == "allowed 3: entry #0 (Allow, Everyone, ALL_PERMISSIONS)"


def test_tree_decision_names_the_resource(resource: type) -> None:
    root = resource("root", None, [(Allow, "g", ["x"])])
    decision = acl.permits(resource("leaf", root), {"g"}, "x")
    assert decision.source is root
    assert (
        str(decision) == "allowed 'x': entry #0 (Allow, 'g', ['x']) in the ACL of <Resource root>"
    )


def test_long_values_are_shortened_in_messages() -> None:
    long_name = "p" * 500
    decision = acl.permits([(Allow, "g", {long_name})], {"g"}, long_name)
    assert len(str(decision)) < 300
    assert "..." in str(decision)


def test_decisions_are_immutable_because_they_are_shared() -> None:
    compiled = acl.compile_acl([(Deny, "g", {"x"})])
    first = compiled.check({"g"}, "x")
    with pytest.raises(AttributeError, match="immutable"):
        first.allowed = True  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del first.entry
    assert compiled.check({"g"}, "x") is first  # built once, handed out again
    assert not compiled.check({"g"}, "x")


def test_with_source_copies_everything_else() -> None:
    base = acl.permits([], None, "x")
    moved = base.with_source("somewhere")
    assert (moved.allowed, moved.entry, moved.index, moved.permission, moved.reason) == (
        base.allowed,
        base.entry,
        base.index,
        base.permission,
        base.reason,
    )
    assert moved.source == "somewhere"
    assert base.source is None
