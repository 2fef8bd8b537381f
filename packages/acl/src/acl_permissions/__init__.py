"""`acl-permissions`: an ACL permission model with no dependencies.

Entries ``(action, principal, permissions)`` are evaluated first match wins,
default deny.  Compile an ACL once (`compile_acl`) for checks whose cost does
not grow with its length; every check returns a `Decision` that is truthy
when allowed and says which entry decided.  See README.md for the guide.
"""

from .__about__ import __version__
from .compiled import CompiledACL, compile_acl
from .decision import Decision
from .evaluate import lineage, permits, permits_async, principals_allowed_by_permission
from .lint import Finding, lint
from .loading import load_acl
from .policy import ACLPolicy
from .principals import principals_for
from .vocabulary import (
    ALL_PERMISSIONS,
    DENY_ALL,
    Allow,
    AllPermissions,
    Authenticated,
    Deny,
    Everyone,
    Group,
    Permission,
)

__all__ = [
    "ALL_PERMISSIONS",
    "DENY_ALL",
    "ACLPolicy",
    "AllPermissions",
    "Allow",
    "Authenticated",
    "CompiledACL",
    "Decision",
    "Deny",
    "Everyone",
    "Finding",
    "Group",
    "Permission",
    "__version__",
    "compile_acl",
    "lineage",
    "lint",
    "load_acl",
    "permits",
    "permits_async",
    "principals_allowed_by_permission",
    "principals_for",
]
