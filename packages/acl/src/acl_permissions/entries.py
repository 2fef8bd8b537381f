"""Validation of ACL entries: turn what the user wrote into one strict shape.

Every way an entry can be wrong raises here, naming the entry's index, so a
broken ACL fails when it is compiled (at import or setup time) instead of
silently denying, or worse granting, at request time (SECURITY I7).

The normalised shape is ``(action, principal, permissions)`` where
`permissions` is a `frozenset` or the `ALL_PERMISSIONS` singleton.  A bare
string is ONE permission: ``'editor'`` becomes ``frozenset({'editor'})``, so
``'edit'`` can never match it by substring (SECURITY I1, the original's
`'edit' in 'editor'` bug).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import TypeAlias, cast

from .vocabulary import ALL_PERMISSIONS, AllPermissions, Group, Permission

__all__ = [
    "NormalEntry",
    "Permissions",
    "describe",
    "describe_entry",
    "normalize_entry",
    "normalize_permissions",
]

Permissions: TypeAlias = "frozenset[Hashable] | AllPermissions"
NormalEntry: TypeAlias = "tuple[Permission, Hashable, frozenset[Hashable] | AllPermissions]"

_NAMES: dict[object, str] = {
    Group.Everyone: "Everyone",
    Group.AuthenticatedUser: "Authenticated",
    Permission.Allow: "Allow",
    Permission.Deny: "Deny",
}
_MAX_REPR = 80


def describe(value: object) -> str:
    """A short, log-friendly spelling of a principal, action or permission set."""
    if isinstance(value, Hashable):
        try:
            name = _NAMES.get(value)
        except TypeError:  # hashable by type, unhashable by content: (1, [2])
            name = None
        if name is not None:
            return name
    text = repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return text


def describe_entry(entry: Iterable[object]) -> str:
    """``(Deny, 'guest', {'edit'})``: a validated entry as it appears in logs and findings."""
    return "(" + ", ".join(describe(part) for part in entry) + ")"


def _is_hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _normalize_action(index: int, action: object) -> Permission:
    if isinstance(action, Permission):
        return action
    hint = ""
    if isinstance(action, str) and action.lower() in ("allow", "deny"):
        hint = f" (the string {action!r} is Pyramid's spelling; use Permission.{action.title()})"
    elif type(action).__name__ == "Permission":
        hint = (
            f" (a Permission enum from {type(action).__module__}, not ours: import it "
            "from acl_permissions or aiohttp_auth.permissions)"
        )
    elif isinstance(action, bool):
        hint = f" (use Permission.{'Allow' if action else 'Deny'}, not the bool {action!r})"
    raise TypeError(
        f"ACL entry #{index}: action must be Permission.Allow or Permission.Deny, "
        f"got {action!r}{hint}"
    )


def _holds_everything(permissions: object) -> bool:
    """Whether a container claims to hold a brand-new object, i.e. everything.

    One-shot iterators would be consumed by asking, and classes (an Enum of
    permissions used as "all of these") answer membership their own way, so
    neither is asked; a container whose ``in`` refuses the question holds
    what it iterates.
    """
    if isinstance(permissions, (type, Iterator)):
        return False
    try:
        return object() in cast("Iterable[object]", permissions)
    except TypeError:
        return False


def normalize_permissions(index: int, permissions: object) -> Permissions:
    """One strict spelling of an entry's permissions (see the module docstring)."""
    if permissions is ALL_PERMISSIONS:
        return ALL_PERMISSIONS
    if isinstance(permissions, (str, bytes)):
        return frozenset((permissions,))
    try:
        iterator = iter(cast("Iterable[object]", permissions))
    except TypeError:
        # Not a collection: one permission (an enum member, a number), as Pyramid.
        if not _is_hashable(permissions):
            raise TypeError(
                f"ACL entry #{index}: permission {permissions!r} is not hashable"
            ) from None
        return frozenset((permissions,))
    if _holds_everything(permissions):
        # A container that claims to hold a brand-new object holds everything,
        # e.g. Pyramid's own ALL_PERMISSIONS: treat it as ours instead of
        # iterating it (it iterates as empty and would match nothing).
        return ALL_PERMISSIONS
    items = list(iterator)
    for item in items:
        if not _is_hashable(item):
            raise TypeError(
                f"ACL entry #{index}: permission {describe(item)} in "
                f"{describe(permissions)} is not hashable"
            )
    return frozenset(items)


def normalize_entry(index: int, entry: object) -> tuple[NormalEntry, tuple[object, ...]]:
    """Validate one entry; raise TypeError/ValueError naming ``index`` if it is malformed.

    Returns the normalised entry and the entry's three parts as written (a
    tuple snapshot, kept for messages: ``{'edit'}`` reads better than a
    frozenset).
    """
    if isinstance(entry, (str, bytes)):
        raise TypeError(
            f"ACL entry #{index}: expected an (action, principal, permissions) tuple, "
            f"got the string {describe(entry)}"
        )
    try:
        parts: tuple[object, ...] = tuple(cast("Iterable[object]", entry))
    except TypeError:
        raise TypeError(
            f"ACL entry #{index}: expected an (action, principal, permissions) tuple, "
            f"got {describe(entry)}"
        ) from None
    if len(parts) != 3:
        raise ValueError(
            f"ACL entry #{index} has {len(parts)} elements, expected 3 "
            f"(action, principal, permissions): {describe(entry)}"
        )
    action, principal, permissions = parts
    checked_action = _normalize_action(index, action)
    if not _is_hashable(principal):
        raise TypeError(f"ACL entry #{index}: principal {describe(principal)} is not hashable")
    return (checked_action, principal, normalize_permissions(index, permissions)), parts
