"""The seed's ``Permission`` and ``Group`` enums, and the ACL vocabulary, re-exported.

They are the very objects of ``acl_permissions`` (not copies), so an ACL
written with ``aiohttp_auth.permissions.Permission.Allow`` and one written
with ``acl_permissions.Permission.Allow`` mean the same thing, and enum
identity checks keep working across both imports.

Beside the seed's two enums, the Pyramid-style names (``Allow``, ``Deny``,
``Everyone``, ``Authenticated``, ``ALL_PERMISSIONS``, ``DENY_ALL``) are here
too, so an aiohttp application can write resource ACLs with one import.
"""

from acl_permissions import (
    ALL_PERMISSIONS,
    DENY_ALL,
    Allow,
    Authenticated,
    Deny,
    Everyone,
    Group,
    Permission,
)

__all__ = [
    "ALL_PERMISSIONS",
    "DENY_ALL",
    "Allow",
    "Authenticated",
    "Deny",
    "Everyone",
    "Group",
    "Permission",
]
