"""load_acl: ACLs from JSON / TOML data, with errors that name the bad entry."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import pytest

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, DENY_ALL, Allow, Authenticated, Deny, Everyone


def test_objects_lists_and_the_special_spellings() -> None:
    data = json.loads(
        """[
          {"action": "allow", "principal": "staff", "permissions": ["view", "edit"]},
          ["Deny", "system.Authenticated", ["delete"]],
          ["ALLOW", "system.Everyone", ["view_home"]],
          {"action": "allow", "principal": "admin", "permissions": "ALL_PERMISSIONS"},
          ["allow", "42", [7]],
          "DENY_ALL"
        ]"""
    )
    compiled = acl.load_acl(data)
    assert list(compiled) == [
        (Allow, "staff", frozenset({"view", "edit"})),
        (Deny, Authenticated, frozenset({"delete"})),
        (Allow, Everyone, frozenset({"view_home"})),
        (Allow, "admin", ALL_PERMISSIONS),
        (Allow, "42", frozenset({7})),
        DENY_ALL,
    ]
    assert compiled.check({"staff", Everyone}, "edit")


def test_toml_array_of_tables() -> None:
    # tomllib is new in Python 3.11; tomli (tox's 3.10 cell installs it) is its original
    toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")

    data = toml.loads(
        """
        [[acl]]
        action = "allow"
        principal = "staff"
        permissions = ["view"]

        [[acl]]
        action = "deny"
        principal = "system.Everyone"
        permissions = "ALL_PERMISSIONS"
        """
    )
    compiled = acl.load_acl(data["acl"])
    assert compiled.check({"staff", Everyone}, "view")
    assert not compiled.check({"staff", Everyone}, "edit")


@pytest.mark.parametrize(
    ("entry", "error", "text"),
    [
        (
            {"action": "allow", "principal": "g", "permission": ["x"]},
            ValueError,
            "unknown: permission; missing: permissions",
        ),
        ({"action": "allow", "principal": "g"}, ValueError, "missing: permissions"),
        (["allow", "g"], ValueError, "has 2 elements"),
        (["permit", "g", ["x"]], ValueError, "action must be"),
        ([True, "g", ["x"]], ValueError, "action must be"),
        (["allow", "g", "view"], ValueError, r"write \['view'\] for one permission"),
        (["allow", "g", {"x": 1}], TypeError, "permissions must be a list"),
        (["allow", ["g"], ["x"]], TypeError, "principal must be a string, got"),
        (["allow", True, ["x"]], TypeError, "principal must be a string, got True$"),
        (["allow", "g", [["x"]]], TypeError, "a permission must be a string or integer"),
        (42, TypeError, "expected an object"),
    ],
)
def test_bad_entries_are_named(entry: Any, error: type, text: str) -> None:
    with pytest.raises(error, match=r"entry #1") as caught:
        acl.load_acl([["allow", "ok", ["x"]], entry])
    assert caught.match(text)


@pytest.mark.parametrize("data", [{"acl": []}, "DENY_ALL", None])
def test_data_must_be_a_list(data: Any) -> None:
    with pytest.raises(TypeError, match="must be a list of entries"):
        acl.load_acl(data)


# -- near misses of the special spellings are refused, never loaded as literal names ----------
# Each would load as a name nobody holds or no request asks for, so a Deny written with it
# would silently match nobody and a later Allow would grant.


@pytest.mark.parametrize(
    ("principal", "spelling"),
    [
        ("system.everyone", "system.Everyone"),
        ("SYSTEM.EVERYONE", "system.Everyone"),
        ("Everyone", "system.Everyone"),
        ("everyone", "system.Everyone"),
        (" system.Everyone", "system.Everyone"),
        ("system.Everyone\n", "system.Everyone"),
        ("system_everyone", "system.Everyone"),
        ("aiohttp_auth.acl.group.Everyone", "system.Everyone"),
        ("system.authenticated", "system.Authenticated"),
        ("Authenticated", "system.Authenticated"),
        ("system.Authenticated ", "system.Authenticated"),
        ("AuthenticatedUser", "system.Authenticated"),
        ("aiohttp_auth.acl.group.AuthenticatedUser", "system.Authenticated"),
    ],
)
def test_near_misses_of_the_special_principals_are_refused(principal: str, spelling: str) -> None:
    for entry in (
        {"action": "deny", "principal": principal, "permissions": ["post"]},
        ["deny", principal, ["post"]],
    ):
        with pytest.raises(ValueError, match=r"^ACL entry #1: principal ") as caught:
            acl.load_acl([["allow", "ok", ["x"]], entry, ["allow", "system.Everyone", ["post"]]])
        assert f'write exactly "{spelling}"' in str(caught.value)
        assert repr(principal) in str(caught.value)


@pytest.mark.parametrize(
    "permissions",
    [
        ["ALL_PERMISSIONS"],
        ["all_permissions"],
        ["view", "ALL_PERMISSIONS"],
        [" ALL_PERMISSIONS"],
        ["All Permissions"],
        ["AllPermissions"],
    ],
)
def test_all_permissions_spelled_inside_a_permission_list_is_refused(permissions: Any) -> None:
    # the review's case: a Deny meant for everything that denied nothing, so mallory could view
    entries = [
        {"action": "deny", "principal": "mallory", "permissions": permissions},
        {"action": "allow", "principal": "system.Everyone", "permissions": ["view"]},
    ]
    with pytest.raises(ValueError, match=r"^ACL entry #0: the permission ") as caught:
        acl.load_acl(entries)
    assert 'the string "ALL_PERMISSIONS" itself, not inside a list' in str(caught.value)


@pytest.mark.parametrize(
    "permissions", ["all_permissions", "All_Permissions", " ALL_PERMISSIONS", "ALL_PERMISSIONS\t"]
)
def test_near_misses_of_the_all_permissions_spelling_name_the_exact_one(permissions: str) -> None:
    # refused before too, but the message advised [permissions], itself a near miss
    with pytest.raises(ValueError, match=r"^ACL entry #0: permissions ") as caught:
        acl.load_acl([["deny", "mallory", permissions]])
    assert str(caught.value).endswith('write exactly "ALL_PERMISSIONS"')


@pytest.mark.parametrize(
    ("entry", "what", "stripped"),
    [
        (["deny", "mallory ", ["post"]], "principal 'mallory '", "'mallory'"),
        (["deny", "\tmallory", ["post"]], "principal '\\tmallory'", "'mallory'"),
        (["deny", " ", ["post"]], "principal ' '", "''"),
        (["deny", "mallory", [" post"]], "permission ' post'", "'post'"),
        (["deny", "mallory", ["view", "post\n"]], "permission 'post\\n'", "'post'"),
        ({"action": "deny", "principal": "g", "permissions": ["post "]}, "permission", "'post'"),
    ],
)
def test_names_with_leading_or_trailing_whitespace_are_refused(
    entry: Any, what: str, stripped: str
) -> None:
    with pytest.raises(ValueError, match=r"^ACL entry #0: ") as caught:
        acl.load_acl([entry])
    message = str(caught.value)
    assert what in message
    assert "leading or trailing whitespace" in message
    assert message.endswith(f"write {stripped}")


def test_a_bare_string_with_whitespace_is_told_the_list_without_it() -> None:
    with pytest.raises(ValueError, match=r"write \['post'\] for one permission"):
        acl.load_acl([["deny", "mallory", " post"]])


@pytest.mark.parametrize("principal", [1001, 0, -7, 2**40])
def test_integer_principals_are_refused(principal: int) -> None:
    for entry in (
        {"action": "deny", "principal": principal, "permissions": ["post"]},
        ["deny", principal, ["post"]],
    ):
        with pytest.raises(TypeError, match=r"^ACL entry #0: principal must be a string") as caught:
            acl.load_acl([entry, ["allow", "system.Everyone", ["post"]]])
        assert f'write "{principal}"' in str(caught.value)


def test_an_integer_principal_from_toml_is_refused() -> None:
    toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    data = toml.loads('acl = [["deny", 1001, ["post"]], ["allow", "system.Everyone", ["post"]]]')
    with pytest.raises(TypeError, match='write "1001"'):
        acl.load_acl(data["acl"])
    data = toml.loads('acl = [["deny", "1001", ["post"]], ["allow", "system.Everyone", ["post"]]]')
    assert not acl.load_acl(data["acl"]).check(acl.principals_for("u", ["1001"]), "post")


def test_exact_spellings_and_inner_spaces_still_load() -> None:
    compiled = acl.load_acl(
        [
            ["deny", "system.Authenticated", ["post"]],
            ["deny", "everyone-else", ["view"]],
            ["allow", "team everyone", ["read all"]],
            ["allow", "system.Everyone", [7, "ALL_PERMISSIONS_VIEW"]],
            ["deny", "mallory", "ALL_PERMISSIONS"],
        ]
    )
    assert list(compiled)[:2] == [
        (Deny, Authenticated, frozenset({"post"})),
        (Deny, "everyone-else", frozenset({"view"})),
    ]
    assert list(compiled)[4] == (Deny, "mallory", ALL_PERMISSIONS)
    assert acl.lint(compiled) == []
