"""The seed's ``Permission`` and ``Group`` enums, re-exported.

They are the very objects of ``acl_permissions`` (not copies), so an ACL
written with ``aiohttp_auth.permissions.Permission.Allow`` and one written
with ``acl_permissions.Permission.Allow`` mean the same thing, and enum
identity checks keep working across both imports.
"""

from acl_permissions import Group, Permission

__all__ = ["Group", "Permission"]
