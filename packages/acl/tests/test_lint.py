"""lint: dead entries and likely mistakes, each named by index with a reason."""

from __future__ import annotations

from typing import Any

import pytest

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, DENY_ALL, Allow, Authenticated, Deny, Everyone


def codes(entries: Any) -> list[tuple[int, str]]:
    return [(f.index, f.code) for f in acl.lint(entries)]


def test_a_clean_acl_has_no_findings() -> None:
    entries = [
        (Allow, "guest", {"view"}),
        (Deny, "guest", {"edit"}),
        (Allow, "staff", {"view", "edit", "admin_view"}),
        (Allow, Everyone, {"view_home"}),
        DENY_ALL,
    ]
    assert acl.lint(entries) == []
    assert acl.lint(acl.compile_acl(entries)) == []


def test_everything_after_deny_all_is_unreachable() -> None:
    findings = acl.lint([DENY_ALL, (Allow, "admin", ALL_PERMISSIONS), (Allow, "g", {"x"})])
    assert [(f.index, f.code) for f in findings] == [(1, "unreachable"), (2, "unreachable")]
    assert "entry #0" in findings[0].message


def test_an_entry_covered_by_earlier_ones_for_the_same_principal_is_shadowed() -> None:
    findings = acl.lint(
        [(Allow, "g", {"x"}), (Deny, "g", {"y"}), (Deny, "g", {"x", "y"}), (Allow, "g", {"x", "z"})]
    )
    assert [(f.index, f.code) for f in findings] == [(2, "shadowed")]
    assert "#0, #1" in findings[0].message
    assert str(findings[0]).startswith("entry #2 [shadowed] warning: never decides")


def test_everyone_entries_shadow_everybody() -> None:
    assert codes([(Allow, Everyone, {"view"}), (Deny, "banned", {"view"})]) == [(1, "shadowed")]
    assert codes([(Deny, "g", ALL_PERMISSIONS), (Allow, "g", ALL_PERMISSIONS)]) == [(1, "shadowed")]
    assert codes([(Deny, "g", ALL_PERMISSIONS), (Allow, "g", {"x"})]) == [(1, "shadowed")]
    # other principals are not shadowed by g's entries, nor Authenticated by Everyone's subset
    assert codes([(Deny, "g", ALL_PERMISSIONS), (Allow, "h", {"x"})]) == []
    assert codes([(Allow, Everyone, {"x"}), (Allow, Authenticated, ALL_PERMISSIONS)]) == []


def test_duplicates_are_reported_as_such() -> None:
    findings = acl.lint([(Allow, "g", {"x"}), (Allow, "g", ["x"]), (Allow, "g", "x")])
    assert [(f.index, f.code) for f in findings] == [
        (1, "duplicate"),
        (2, "bare-string"),
        (2, "duplicate"),
    ]
    assert "repeats entry #0" in findings[0].message


def test_bare_strings_and_empty_permission_sets_are_pointed_out() -> None:
    findings = acl.lint([(Allow, "editors", "editor"), (Allow, "g", set())])
    assert [(f.index, f.code) for f in findings] == [(0, "bare-string"), (1, "empty")]
    assert "ONE permission" in findings[0].message
    assert "{'editor'}" in findings[0].message


@pytest.mark.parametrize("action", [True, "Allow", "allow", None, 1])
def test_unknown_actions_are_errors(action: Any) -> None:
    findings = acl.lint([(action, "g", {"x"}), (Allow, "g", {"y"})])
    assert [(f.index, f.code, f.severity) for f in findings] == [(0, "unknown-action", "error")]


@pytest.mark.parametrize("entry", [(Allow, "g"), (Allow, ["g"], {"x"}), "Allow g x"])
def test_malformed_entries_are_errors_not_exceptions(entry: Any) -> None:
    findings = acl.lint([entry])
    assert [(f.index, f.code, f.severity) for f in findings] == [(0, "malformed", "error")]
    assert "#0" in findings[0].message


def test_lint_refuses_something_that_is_not_a_list_of_entries() -> None:
    with pytest.raises(TypeError, match="sequence of entries"):
        acl.lint("Allow g x")


# -- near misses of the special values in ACLs built in Python (load_acl refuses them in data) --


@pytest.mark.parametrize(
    ("principal", "name"),
    [
        ("system.Everyone", "Everyone"),
        ("system.everyone", "Everyone"),
        ("Everyone", "Everyone"),
        ("everyone ", "Everyone"),
        ("Group.Everyone", "Everyone"),
        ("system.Authenticated ", "Authenticated"),
        ("system.authenticated", "Authenticated"),
        ("Authenticated", "Authenticated"),
        ("authenticated_user", "Authenticated"),
        ("aiohttp_auth.acl.group.AuthenticatedUser", "Authenticated"),
    ],
)
def test_near_misses_of_the_group_sentinels_are_pointed_out(principal: str, name: str) -> None:
    findings = acl.lint([(Deny, principal, {"post"}), (Allow, Everyone, {"post"})])
    assert [(f.index, f.code, f.severity) for f in findings] == [
        (0, "lookalike-principal", "warning")
    ]
    assert f"use {name} " in findings[0].message


@pytest.mark.parametrize(
    "permissions",
    [{"ALL_PERMISSIONS"}, ["all_permissions"], {"view", "AllPermissions"}, {" ALL_PERMISSIONS"}],
)
def test_the_string_all_permissions_as_a_permission_is_pointed_out(permissions: Any) -> None:
    findings = acl.lint([(Deny, "mallory", permissions), (Allow, Everyone, {"view"})])
    assert [(f.index, f.code) for f in findings] == [(0, "lookalike-permission")]
    assert "use ALL_PERMISSIONS (the object)" in findings[0].message


def test_the_bare_string_all_permissions_is_both_a_bare_string_and_a_lookalike() -> None:
    assert codes([(Deny, "mallory", "ALL_PERMISSIONS")]) == [
        (0, "bare-string"),
        (0, "lookalike-permission"),
    ]


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ((Deny, "mallory ", {"post"}), "'mallory '"),
        ((Deny, "\tmallory", {"post"}), "'\\tmallory'"),
        ((Deny, "mallory", {" post", "view"}), "' post'"),
        ((Deny, "mallory", ["view\n", "post "]), "'post ', 'view\\n'"),
        ((Deny, "mallory", "post "), "'post '"),
    ],
)
def test_names_with_leading_or_trailing_whitespace_are_pointed_out(entry: Any, shown: str) -> None:
    findings = [f for f in acl.lint([entry]) if f.code != "bare-string"]
    assert [(f.index, f.code, f.severity) for f in findings] == [(0, "whitespace", "warning")]
    assert findings[0].message.endswith(shown) or f"{shown} has" in findings[0].message


@pytest.mark.parametrize("principal", [1001, 0, -7, True])
def test_integer_principals_are_pointed_out(principal: Any) -> None:
    findings = acl.lint([(Deny, principal, {"post"}), (Allow, Everyone, {"post"})])
    assert [(f.index, f.code, f.severity) for f in findings] == [
        (0, "integer-principal", "warning")
    ]
    assert f"never the string {str(principal)!r}" in findings[0].message


def test_other_principals_and_permissions_are_not_near_misses() -> None:
    entries = [
        (Deny, "everyone-else", {"view"}),
        (Deny, ("user", 7), {"view"}),
        (Allow, "team everyone", {"read all", 7, "ALL_PERMISSIONS_VIEW"}),
        (Allow, Authenticated, ALL_PERMISSIONS),
    ]
    assert acl.lint(entries) == []
