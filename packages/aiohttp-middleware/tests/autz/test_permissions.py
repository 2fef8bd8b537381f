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
    assert {"Group", "Permission"} <= set(permissions.__all__)


def test_pyramid_style_vocabulary_is_re_exported_as_the_same_objects():
    for name in ("Allow", "Deny", "Everyone", "Authenticated", "ALL_PERMISSIONS", "DENY_ALL"):
        assert getattr(permissions, name) is getattr(acl_permissions, name), name
    assert set(permissions.__all__) >= {"Permission", "Group", "ALL_PERMISSIONS", "DENY_ALL"}
