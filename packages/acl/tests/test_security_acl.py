"""SECURITY.md section I, the items that belong to the pure layer: I1-I4, I6, I7.

Each test is named by its catalogue ID so the promise table can point at it.
(I5, a raising groups callback, is in test_policy.py; I8/I9 are HTTP matters
of aiohttp_auth.)
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import acl_permissions as acl
from acl_permissions import Allow, Authenticated, Deny, Everyone, Group, Permission

# -- I1: a permission given as a plain string is ONE permission ---------------------------------


@pytest.mark.parametrize("asked", ["edit", "e", "dit", "editor ", "EDITOR", ""])
def test_I1_string_permission_does_not_match_substrings(asked: str) -> None:
    entries = [(Allow, "editors", "editor")]
    assert not acl.permits(entries, {"editors"}, asked)
    assert not acl.compile_acl(entries).check({"editors"}, asked)


def test_I1_string_permission_matches_itself_exactly() -> None:
    decision = acl.compile_acl([(Allow, "editors", "editor")]).check({"editors"}, "editor")
    assert decision
    assert decision.index == 0


def test_I1_bytes_permission_is_one_permission_too() -> None:
    compiled = acl.compile_acl([(Allow, "g", b"edit")])
    assert compiled.check({"g"}, b"edit")
    assert not compiled.check({"g"}, ord("e"))  # not a container of its byte values


@given(st.text(min_size=1, max_size=6), st.text(min_size=0, max_size=6), st.text(max_size=6))
def test_I1_no_substring_ever_matches(core: str, before: str, after: str) -> None:
    granted = before + core + after
    entries = [(Allow, "g", granted)]
    assert bool(acl.permits(entries, {"g"}, core)) is (core == granted)
    assert bool(acl.compile_acl(entries).check({"g"}, core)) is (core == granted)


@pytest.mark.parametrize("permission", [["edit"], {"edit"}, {"edit": 1}])
def test_I1_unhashable_requested_permission_is_a_type_error(permission: Any) -> None:
    entries = [(Allow, "g", {"edit"})]
    with pytest.raises(TypeError, match="permission"):
        acl.compile_acl(entries).check({"g"}, permission)
    with pytest.raises(TypeError):
        acl.permits(entries, {"g"}, permission)


# -- I2: groups returned as a string ------------------------------------------------------------


@pytest.mark.parametrize("groups", ["admin", b"admin", bytearray(b"admin"), ""])
def test_I2_groups_as_a_string_is_a_type_error_saying_what_to_return(groups: Any) -> None:
    with pytest.raises(TypeError, match=r"return a collection of group names"):
        acl.principals_for("alice", groups)


def test_I2_characters_are_never_groups_through_the_policy() -> None:
    class StringGroups(acl.ACLPolicy):
        def acl_groups(self, identity: object) -> Any:
            return "admin"

    policy = StringGroups([(Allow, "a", {"delete"})])
    with pytest.raises(TypeError, match="string 'admin'"):
        asyncio.run(policy.permit("alice", "delete"))


def test_I2_principals_as_a_string_are_refused_by_checks() -> None:
    entries = [(Allow, "a", {"delete"})]
    for check in (acl.compile_acl(entries).check, lambda p, q: acl.permits(entries, p, q)):
        with pytest.raises(TypeError, match="not the string"):
            check("admin", "delete")


# -- I3: None versus empty groups ---------------------------------------------------------------


def test_I3_none_denies_everything_even_what_everyone_may_do() -> None:
    entries = [(Allow, Everyone, {"view_home"})]
    assert acl.principals_for("alice", None) is None
    assert acl.principals_for(None, None) is None
    decision = acl.permits(entries, None, "view_home")
    assert not decision
    assert "groups callback returned None" in str(decision)
    assert not acl.compile_acl(entries).check(None, "view_home")


@pytest.mark.parametrize("empty", [(), [], set(), frozenset(), {}])
def test_I3_empty_collections_are_not_none(empty: Any) -> None:
    assert acl.principals_for("alice", empty) == {Everyone, Authenticated}
    assert acl.principals_for(None, empty) == {Everyone}
    assert acl.permits(
        [(Allow, Everyone, {"view_home"})], acl.principals_for("a", empty), "view_home"
    )


@pytest.mark.parametrize("falsy", [0, False, "", 0.0])
def test_I3_falsy_scalars_are_rejected_not_taken_for_none(falsy: Any) -> None:
    with pytest.raises(TypeError, match="return a collection"):
        acl.principals_for("alice", falsy)


# -- I4: deny precedence, pinned in both orders ------------------------------------------------


def test_I4_first_match_allow_first_lets_the_banned_user_in() -> None:
    entries = [(Allow, Everyone, "view"), (Deny, "banned", "view")]
    decision = acl.permits(entries, acl.principals_for("mallory", ["banned"]), "view")
    assert decision
    assert decision.index == 0


def test_I4_first_match_deny_first_keeps_the_banned_user_out() -> None:
    entries = [(Deny, "banned", "view"), (Allow, Everyone, "view")]
    principals = acl.principals_for("mallory", ["banned"])
    decision = acl.compile_acl(entries).check(principals, "view")
    assert not decision
    assert decision.index == 0
    assert acl.permits(entries, acl.principals_for("alice", []), "view")


def test_I4_lint_reports_the_deny_that_comes_too_late() -> None:
    findings = acl.lint([(Allow, Everyone, "view"), (Deny, "banned", "view")])
    assert [(f.index, f.code) for f in findings if f.code == "shadowed"] == [(1, "shadowed")]


# -- I6: principal spoofing by user id ---------------------------------------------------------


@pytest.mark.parametrize(
    "user_id",
    [
        "admin",
        "aiohttp_auth.acl.group.Everyone",
        "aiohttp_auth.acl.group.AuthenticatedUser",
        "system.Authenticated",
        "system.Everyone",
        "Everyone",  # the enum member's name: same hash as the member, never equal
        "AuthenticatedUser",
    ],
)
def test_I6_user_id_is_never_a_group(user_id: str) -> None:
    principals = acl.principals_for(user_id, ())
    assert principals == {Everyone, Authenticated}
    assert user_id not in principals
    entries = [(Allow, user_id, {"x"}), (Allow, "admin", {"x"})]
    assert not acl.permits(entries, principals, "x")


def test_I6_string_values_of_the_sentinels_are_not_the_sentinels() -> None:
    assert Group.Everyone.value != Group.Everyone
    groups = ["aiohttp_auth.acl.group.AuthenticatedUser"]
    entries = [(Allow, Authenticated, {"x"}), (Allow, Everyone, {"y"})]
    anonymous = acl.principals_for(None, groups)
    assert not acl.permits(entries, anonymous, "x")  # a string cannot make you authenticated
    assert not acl.permits([(Allow, "system.Everyone", {"y"})], anonymous, "y")


def test_I6_lint_points_at_lookalike_principals() -> None:
    findings = acl.lint([(Allow, "aiohttp_auth.acl.group.Everyone", {"x"})])
    assert [f.code for f in findings] == ["lookalike-principal"]


# -- I7: malformed entries fail when the ACL is compiled ---------------------------------------

MALFORMED = [
    ((Allow, "g"), ValueError, "has 2 elements"),
    ((Allow, "g", {"x"}, "extra"), ValueError, "has 4 elements"),
    ((True, "g", {"x"}), TypeError, "Permission.Allow, not the bool"),
    (("Allow", "g", {"x"}), TypeError, "Pyramid's spelling"),
    ((None, "g", {"x"}), TypeError, "action must be"),
    ((1, "g", {"x"}), TypeError, "action must be"),
    ((Allow, ["g"], {"x"}), TypeError, "principal .* not hashable"),
    ((Allow, "g", [["x"]]), TypeError, "permission .* not hashable"),
    ((Allow, "g", ({"x": 1},)), TypeError, "not hashable"),
    ((Allow, {"g": 1}, {"x"}), TypeError, "principal"),
    ((Allow, ("g", ["h"]), {"x"}), TypeError, r"principal \('g', \['h'\]\) is not hashable"),
    ("Allow g x", TypeError, "got the string"),
    (42, TypeError, "expected an"),
]


@pytest.mark.parametrize(("entry", "error", "text"), MALFORMED)
def test_I7_malformed_entry_raises_naming_its_index(
    entry: Any, error: type, text: str | None
) -> None:
    entries = [(Allow, "ok", {"x"}), entry]
    for build in (acl.compile_acl, _policy_with):
        with pytest.raises(error, match=r"#1") as caught:
            build(entries)
        if text is not None:
            assert caught.match(text)


def _policy_with(entries: Any) -> Any:
    class Policy(acl.ACLPolicy):
        def acl_groups(self, identity: object) -> Any:
            return ()

    return Policy(entries)


@pytest.mark.parametrize(("entry", "error", "text"), MALFORMED)
def test_I7_plain_lists_are_validated_on_every_check_not_silently_denied(
    entry: Any, error: type, text: str | None
) -> None:
    # the bad entry sits AFTER the matching one: it must still be reported
    entries = [(Allow, "ok", {"x"}), entry]
    with pytest.raises(error, match=r"#1"):
        acl.permits(entries, {"ok"}, "x")


def test_I7_policy_context_assigned_later_is_validated_at_assignment() -> None:
    policy = _policy_with(None)
    with pytest.raises(TypeError, match="#0"):
        policy.context = [(True, "g", {"x"})]


def test_I7_a_single_entry_passed_as_the_acl_is_refused() -> None:
    with pytest.raises(TypeError, match="#0"):
        acl.compile_acl(acl.DENY_ALL)


def test_I7_permission_enum_is_required_not_an_equal_looking_value() -> None:
    assert Permission.Allow != True  # noqa: E712 - the original compared action == Allow
    with pytest.raises(TypeError):
        acl.compile_acl([(Permission.Allow.value, "g", {"x"})])


def test_I7_a_permission_enum_from_another_library_is_named_as_such() -> None:
    import enum

    class Permission(enum.Enum):  # e.g. the original package's own enum
        Allow = True
        Deny = False

    with pytest.raises(TypeError, match=r"#0: .*a Permission enum from .*not ours"):
        acl.compile_acl([(Permission.Allow, "g", {"x"})])
