"""CompiledACL: constant-time checks, a read-only snapshot, and the fold limit."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, DENY_ALL, Allow, Deny, Everyone
from acl_permissions import compiled as compiled_module
from acl_permissions.evaluate import scan_acl

SEED = [
    (Allow, "guest", {"view"}),
    (Deny, "guest", {"edit"}),
    (Allow, "staff", {"view", "edit", "admin_view"}),
    (Allow, Everyone, {"view_home"}),
]


@pytest.mark.parametrize(
    ("groups", "permission", "allowed", "index"),
    [
        (None, "view_home", True, 3),
        (None, "view", False, None),
        (["guest"], "view", True, 0),
        (["guest"], "edit", False, 1),
        (["guest"], "admin_view", False, None),
        (["guest", "staff"], "edit", False, 1),
        (["guest", "staff"], "admin_view", True, 2),
        (["staff"], "edit", True, 2),
    ],
)
def test_seed_context_decisions(groups: Any, permission: str, allowed: bool, index: Any) -> None:
    principals = acl.principals_for("user" if groups else None, groups or ())
    decision = acl.compile_acl(SEED).check(principals, permission)
    assert (decision.allowed, decision.index) == (allowed, index)


def test_all_permissions_entry_decides_unnamed_permissions() -> None:
    compiled = acl.compile_acl([(Allow, "admin", ALL_PERMISSIONS), (Allow, "g", {"x"}), DENY_ALL])
    assert compiled.check({"admin", Everyone}, "never-named").index == 0
    assert compiled.check({"g", Everyone}, "never-named").index == 2
    assert compiled.check({"g"}, "never-named").index is None
    assert compiled.check({"g", Everyone}, "x").index == 1
    assert compiled.check({"admin", "g"}, "x").index == 0


def test_entries_after_an_all_entry_for_the_same_principal_never_decide() -> None:
    compiled = acl.compile_acl([(Deny, "g", ALL_PERMISSIONS), (Allow, "g", {"x"})])
    assert compiled.check({"g"}, "x").index == 0


def test_unfolded_mode_still_consults_all_permission_entries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compiled_module, "FOLD_LIMIT", 0)
    compiled = acl.compile_acl(
        [(Allow, "g", {"x"}), (Deny, "h", ALL_PERMISSIONS), (Allow, "h", {"y"})]
    )
    assert compiled.check({"h"}, "y").index == 1
    assert compiled.check({"g", "h"}, "x").index == 0
    assert compiled.check({"h", "g"}, "x").index == 0
    assert compiled.check({"g"}, "y").index is None
    compiled = acl.compile_acl([(Deny, "h", ALL_PERMISSIONS), (Allow, "g", {"x"})])
    assert compiled.check({"g", "h"}, "x").index == 0
    # principals given as an iterator are read twice in this mode: never run dry
    assert compiled.check(iter(["g", "h"]), "x").index == 0
    assert not compiled.check(iter(["h", "g"]), "x")


def test_compiled_acl_is_a_read_only_snapshot_of_the_entries() -> None:
    entries = [(Allow, "g", {"x"}), [Deny, "h", "y"]]
    compiled = acl.compile_acl(entries)
    assert len(compiled) == 2
    assert list(compiled) == [(Allow, "g", {"x"}), (Deny, "h", "y")]
    assert compiled[1] == (Deny, "h", "y")
    assert compiled[:1] == ((Allow, "g", {"x"}),)
    assert repr(compiled) == "<CompiledACL of 2 entries>"
    assert compiled.normalized[1] == (Deny, "h", frozenset({"y"}))
    entries.append((Allow, "h", {"y"}))
    assert len(compiled) == 2
    assert not hasattr(compiled, "append")


def test_compile_accepts_any_iterable_of_entries_and_returns_compiled_as_is() -> None:
    compiled = acl.compile_acl(iter([(Allow, "g", iter(["x", "y"]))]))
    assert compiled.check({"g"}, "y")
    assert acl.compile_acl(compiled) is compiled
    assert len(acl.compile_acl([])) == 0


@pytest.mark.parametrize("bad", ["Allow g x", b"entries", {"a": 1}])
def test_an_acl_must_be_a_sequence_of_entries(bad: Any) -> None:
    with pytest.raises(TypeError, match="sequence of"):
        acl.compile_acl(bad)


def test_permissions_given_as_a_non_iterable_are_one_permission() -> None:
    class Perm:
        pass

    token = Perm()
    compiled = acl.compile_acl([(Allow, "g", 7), (Allow, "g", token), (Allow, "g", None)])
    assert compiled.check({"g"}, 7).index == 0
    assert compiled.check({"g"}, token).index == 1
    assert compiled.check({"g"}, None).index == 2


def test_an_unhashable_non_iterable_permission_is_refused() -> None:
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

    with pytest.raises(TypeError, match=r"#0: permission .* not hashable"):
        acl.compile_acl([(Allow, "g", Unhashable())])


def test_a_container_that_holds_everything_is_all_permissions() -> None:
    from pyramid.authorization import ALL_PERMISSIONS as PYRAMID_ALL

    compiled = acl.compile_acl([(Deny, Everyone, PYRAMID_ALL)])
    assert compiled.normalized[0][2] is ALL_PERMISSIONS
    assert not compiled.check({Everyone}, "anything")
    assert compiled.check({Everyone}, "anything").index == 0


def test_principals_may_be_any_iterable_including_generators() -> None:
    compiled = acl.compile_acl(SEED)
    assert compiled.check(iter(["x", "staff"]), "edit").index == 2
    assert compiled.check(["guest", "guest"], "view").index == 0


def test_an_unhashable_principal_in_a_check_is_a_type_error() -> None:
    compiled = acl.compile_acl(SEED)
    with pytest.raises(TypeError):
        compiled.check([["staff"]], "edit")
    with pytest.raises(TypeError):
        compiled.check([["staff"]], "unnamed")


def test_equal_permissions_of_different_types_match_like_python_sets() -> None:
    compiled = acl.compile_acl([(Allow, "g", {1})])
    assert compiled.check({"g"}, True)  # 1 == True, as `True in {1}` in the original
    assert not compiled.check({"g"}, "1")


def test_an_enum_class_as_permissions_means_its_members() -> None:
    import enum

    class Perm(enum.Enum):
        VIEW = "view"
        EDIT = "edit"

    compiled = acl.compile_acl([(Allow, "g", Perm)])
    assert compiled.check({"g"}, Perm.EDIT)
    assert not compiled.check({"g"}, "edit")
    assert not compiled.check({"g"}, object())


def test_a_container_that_refuses_foreign_members_holds_what_it_iterates() -> None:
    class Strict:
        def __iter__(self) -> Any:
            return iter(["view"])

        def __contains__(self, item: object) -> bool:
            if not isinstance(item, str):
                raise TypeError("strings only")
            return item == "view"

    compiled = acl.compile_acl([(Allow, "g", Strict())])
    assert compiled.check({"g"}, "view")
    assert not compiled.check({"g"}, "edit")


_PRINCIPALS = ["a", "b", "c", "d", Everyone, acl.Authenticated]
_ENTRIES = st.lists(
    st.tuples(
        st.sampled_from([Allow, Deny]),
        st.sampled_from(_PRINCIPALS),
        st.one_of(
            st.just(ALL_PERMISSIONS), st.frozensets(st.sampled_from(["x", "y", "z"]), max_size=3)
        ),
    ),
    max_size=10,
)


@given(
    entries=_ENTRIES,
    held=st.frozensets(st.sampled_from(_PRINCIPALS), max_size=6),
    permission=st.sampled_from(["x", "y", "z", "never-named"]),
)
def test_both_lookup_strategies_pick_the_first_matching_entry(
    entries: Any, held: frozenset[Any], permission: str
) -> None:
    """A frozenset of principals may walk the (shorter) row; any other iterable walks
    the principals.  Both must return the very decision of the first matching entry."""
    compiled = acl.compile_acl(entries)
    by_row = compiled.check(held, permission)
    by_principals = compiled.check(list(held), permission)
    expected = scan_acl(entries, held, permission)
    assert (by_row.allowed, by_row.index) == (expected.allowed, expected.index)
    assert (by_principals.allowed, by_principals.index) == (expected.allowed, expected.index)
    assert by_row.entry == by_principals.entry == expected.entry
