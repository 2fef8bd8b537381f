"""The words an ACL is written in: actions, group sentinels, "all permissions".

`Permission` and `Group` keep the exact member values of the original
`aiohttp_auth.permissions` module, so pickled or logged values and code that
compares `.value` keep working.  The Pyramid-style aliases (`Allow`, `Deny`,
`Everyone`, `Authenticated`) are the *same objects*, not copies, so an ACL may
mix both spellings.

Group sentinels are enum members on purpose: a user id or group name that is
the *string* ``'aiohttp_auth.acl.group.Everyone'`` never equals
`Group.Everyone` (enum members compare by identity), so nobody gains a group
by choosing a clever name (SECURITY I6).
"""

from __future__ import annotations

from enum import Enum, unique
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ALL_PERMISSIONS",
    "DENY_ALL",
    "AllPermissions",
    "Allow",
    "Authenticated",
    "Deny",
    "Everyone",
    "Group",
    "Permission",
]


@unique
class Permission(Enum):
    """The action of an ACL entry: grant (`Allow`) or refuse (`Deny`)."""

    Allow = True
    Deny = False


@unique
class Group(Enum):
    """Principals every identity may hold without the application naming them."""

    Everyone = "aiohttp_auth.acl.group.Everyone"
    AuthenticatedUser = "aiohttp_auth.acl.group.AuthenticatedUser"


class AllPermissions:
    """A permissions "collection" that contains every permission.

    There is one instance, `ALL_PERMISSIONS`.  It iterates as empty so that
    code listing permissions does not loop forever, while ``x in`` answers
    True for anything, which is what first-match evaluation asks.
    """

    __slots__ = ()
    _instance: AllPermissions | None = None

    def __new__(cls) -> AllPermissions:
        # A singleton, so `is ALL_PERMISSIONS` is a valid test everywhere.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __contains__(self, permission: object) -> bool:
        return True

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __repr__(self) -> str:
        return "ALL_PERMISSIONS"

    def __reduce__(self) -> str:
        # Unpickling must give back the singleton, not a second instance.
        return "ALL_PERMISSIONS"


Allow: Final = Permission.Allow
Deny: Final = Permission.Deny
Everyone: Final = Group.Everyone
Authenticated: Final = Group.AuthenticatedUser
ALL_PERMISSIONS: Final = AllPermissions()
DENY_ALL: Final = (Deny, Everyone, ALL_PERMISSIONS)
