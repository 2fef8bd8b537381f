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
          ["allow", 42, [7]],
          "DENY_ALL"
        ]"""
    )
    compiled = acl.load_acl(data)
    assert list(compiled) == [
        (Allow, "staff", frozenset({"view", "edit"})),
        (Deny, Authenticated, frozenset({"delete"})),
        (Allow, Everyone, frozenset({"view_home"})),
        (Allow, "admin", ALL_PERMISSIONS),
        (Allow, 42, frozenset({7})),
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
        (["allow", ["g"], ["x"]], TypeError, "principal must be a string or integer"),
        (["allow", True, ["x"]], TypeError, "principal must be a string or integer"),
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
