"""Validating ACL contexts and permissions before any request arrives.

An ACL with a typo (two-element entry, ``'Allow'`` instead of
``Permission.Allow``, a set where a group should be) used to surface as a
500 on some later request, or worse as a silent deny.  Both decorators
(``acl_required`` and ``autz_required``) run their context through here when
they are applied, so the mistake is an exception at import time, and the
compiled form is reused by every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from acl_permissions import CompiledACL, compile_acl

if TYPE_CHECKING:
    from collections.abc import Hashable

__all__ = ["check_permission", "compile_context"]


def check_permission(permission: Any) -> Hashable:
    """Return ``permission`` if it can be looked up in an ACL, else raise ``TypeError``.

    Permissions are compared by hash and equality; an unhashable value (a
    set, a list) could never match and almost always means the arguments
    were swapped, so it is refused up front.
    """
    try:
        hash(permission)
    except TypeError:
        raise TypeError(
            f"a permission must be hashable (a str, an enum member, a number), "
            f"got {type(permission).__name__}: {permission!r}"
        ) from None
    return permission  # type: ignore[no-any-return]


def compile_context(context: Any) -> object:
    """Validate and compile an ACL context; pass compiled ACLs and resources through.

    Raises ``TypeError`` / ``ValueError`` naming the faulty entry (from
    ``acl_permissions.compile_acl``).  A bare string is refused here too: it
    is the classic mistake of passing one entry's permission where the
    whole list of entries belongs.  A resource (an object with ``__acl__``,
    walked through ``__parent__`` by ``acl_permissions``) is returned
    unchanged: its ACL may be computed per request.
    """
    if isinstance(context, CompiledACL) or hasattr(context, "__acl__"):
        return context
    if isinstance(context, (str, bytes)):
        raise TypeError(
            "an ACL context is a sequence of (action, group, permissions) entries, "
            f"not a {type(context).__name__}: {context!r}"
        )
    return compile_acl(context)
