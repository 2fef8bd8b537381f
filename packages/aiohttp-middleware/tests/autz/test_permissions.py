"""``aiohttp_auth.permissions`` re-exports the acl_permissions enums themselves."""

from __future__ import annotations

import acl_permissions
from aiohttp_auth import permissions


def test_permission_and_group_are_the_same_objects_not_copies() -> None:
    assert permissions.Permission is acl_permissions.Permission
    assert permissions.Group is acl_permissions.Group
    assert permissions.Group.Everyone is acl_permissions.Everyone
    assert permissions.Group.AuthenticatedUser is acl_permissions.Authenticated


def test_member_values_are_the_originals() -> None:
    assert permissions.Permission.Allow.value is True
    assert permissions.Permission.Deny.value is False
    assert permissions.Group.Everyone.value == "aiohttp_auth.acl.group.Everyone"
    assert permissions.Group.AuthenticatedUser.value == "aiohttp_auth.acl.group.AuthenticatedUser"
    assert sorted(permissions.__all__) == ["Group", "Permission"]
