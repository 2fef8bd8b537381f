"""The vocabulary keeps the original values and offers Pyramid's names as the same objects."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, DENY_ALL, Group, Permission

ORIGINAL = Path(__file__).resolve().parents[3] / ".hatch/original/aiohttp_auth/permissions.py"


def test_permission_and_group_values_are_the_originals() -> None:
    assert [(m.name, m.value) for m in Permission] == [("Allow", True), ("Deny", False)]
    assert [(m.name, m.value) for m in Group] == [
        ("Everyone", "aiohttp_auth.acl.group.Everyone"),
        ("AuthenticatedUser", "aiohttp_auth.acl.group.AuthenticatedUser"),
    ]
    assert Permission(True) is Permission.Allow
    assert Group("aiohttp_auth.acl.group.Everyone") is Group.Everyone


@pytest.mark.needs_original
def test_values_match_the_installed_original_source() -> None:
    assert ORIGINAL.exists(), f"{ORIGINAL} is missing: run `hatch env create dev`"
    source = ORIGINAL.read_text()
    assigned = dict(re.findall(r"^\s+(\w+) = (.+)$", source, flags=re.MULTILINE))
    assert assigned == {
        "Allow": "True",
        "Deny": "False",
        "Everyone": "'aiohttp_auth.acl.group.Everyone'",
        "AuthenticatedUser": "'aiohttp_auth.acl.group.AuthenticatedUser'",
    }


def test_pyramid_style_names_are_the_same_objects() -> None:
    assert acl.Allow is Permission.Allow
    assert acl.Deny is Permission.Deny
    assert acl.Everyone is Group.Everyone
    assert acl.Authenticated is Group.AuthenticatedUser
    assert (acl.Deny, acl.Everyone, ALL_PERMISSIONS) == DENY_ALL


@pytest.mark.parametrize("anything", ["edit", 1, None, object(), ("a", "b")])
def test_all_permissions_contains_everything_and_lists_nothing(anything: object) -> None:
    assert anything in ALL_PERMISSIONS
    assert list(ALL_PERMISSIONS) == []
    assert repr(ALL_PERMISSIONS) == "ALL_PERMISSIONS"


def test_all_permissions_is_a_singleton_even_through_pickle() -> None:
    assert acl.AllPermissions() is ALL_PERMISSIONS
    assert pickle.loads(pickle.dumps(ALL_PERMISSIONS)) is ALL_PERMISSIONS
    assert pickle.loads(pickle.dumps(DENY_ALL)) == DENY_ALL


def test_everything_exported_exists() -> None:
    for name in acl.__all__:
        assert getattr(acl, name) is not None
    interface = [
        "Permission",
        "Group",
        "Allow",
        "Deny",
        "Everyone",
        "Authenticated",
        "ALL_PERMISSIONS",
        "DENY_ALL",
        "CompiledACL",
        "compile_acl",
        "Decision",
        "permits",
        "principals_for",
        "ACLPolicy",
        "lint",
        "load_acl",
        "principals_allowed_by_permission",
    ]
    assert set(interface) <= set(acl.__all__)
