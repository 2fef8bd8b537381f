"""ACLs from plain data, as JSON or TOML parsers return it.

Configuration files cannot hold enum members, so the special values have
fixed spellings (chosen to be Pyramid's own strings where one exists):

* principal ``"system.Everyone"`` -> `Everyone`; ``"system.Authenticated"``
  -> `Authenticated`;
* permissions ``"ALL_PERMISSIONS"`` -> `ALL_PERMISSIONS`;
* a whole entry ``"DENY_ALL"`` -> `DENY_ALL`;
* action ``"allow"`` / ``"deny"`` (any letter case).

Permissions must be a list even for one permission (``["view"]``): in data a
bare string is refused instead of being guessed at, so the substring pitfall
cannot even be written.  Unknown keys (typos such as ``"permision"``) are
errors, never ignored: an ignored key could silently drop a Deny.

For the same reason a near miss of a special spelling is an error, not a
literal name nobody holds (see `spellings`): ``"system.everyone"``,
``"Everyone"``, ``"system.Authenticated "``, and ``"ALL_PERMISSIONS"`` (or
``"all_permissions"``) written *inside* a permission list.  Principals and
permissions with leading or trailing whitespace are refused, and principals
must be strings: the integer ``1001`` (TOML's ``principal = 1001``) would
never equal the group name ``"1001"``.  Permissions may still be
integers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from .compiled import CompiledACL, compile_acl
from .entries import describe
from .spellings import (
    ALL_PERMISSIONS_SPELLING,
    DENY_ALL_SPELLING,
    PRINCIPAL_SPELLINGS,
    has_outer_whitespace,
    is_all_permissions_lookalike,
    principal_lookalike,
)
from .vocabulary import ALL_PERMISSIONS, DENY_ALL, Allow, Deny

__all__ = ["load_acl"]

_ACTIONS = {"allow": Allow, "deny": Deny}
_KEYS = ("action", "principal", "permissions")


def _scalar(index: int, what: str, value: object) -> Hashable:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(
            f"ACL entry #{index}: {what} must be a string or integer, got {describe(value)}"
        )
    return value


def _action(index: int, value: object) -> object:
    action = _ACTIONS.get(value.lower()) if isinstance(value, str) else None
    if action is None:
        raise ValueError(
            f'ACL entry #{index}: action must be "allow" or "deny", got {describe(value)}'
        )
    return action


def _whitespace(index: int, what: str, value: str) -> ValueError:
    return ValueError(
        f"ACL entry #{index}: {what} {value!r} has leading or trailing whitespace, which "
        f"would be part of the name and match nothing; write {value.strip()!r}"
    )


def _principal(index: int, value: object) -> Hashable:
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, int) and not isinstance(value, bool):
            hint = (
                f' (write "{value}": principals match by equality, and the integer {value} '
                f'never equals the group name "{value}")'
            )
        raise TypeError(
            f"ACL entry #{index}: principal must be a string, got {describe(value)}{hint}"
        )
    special = PRINCIPAL_SPELLINGS.get(value)
    if special is not None:
        return special
    lookalike = principal_lookalike(value)
    if lookalike is not None:
        spelling, name = lookalike
        raise ValueError(
            f"ACL entry #{index}: principal {value!r} is not a special principal; write "
            f'exactly "{spelling}" for {name} (any other spelling would be a group '
            "nobody holds, so the entry would silently match nobody)"
        )
    if has_outer_whitespace(value):
        raise _whitespace(index, "principal", value)
    return value


def _permission(index: int, value: object) -> Hashable:
    permission = _scalar(index, "a permission", value)
    if isinstance(permission, str):
        if is_all_permissions_lookalike(permission):
            raise ValueError(
                f"ACL entry #{index}: the permission {permission!r} in a list would be one "
                "literal permission that no request asks for, not all permissions; for all "
                f'permissions write the permissions as the string "{ALL_PERMISSIONS_SPELLING}" '
                "itself, not inside a list"
            )
        if has_outer_whitespace(permission):
            raise _whitespace(index, "permission", permission)
    return permission


def _permissions(index: int, value: object) -> object:
    if value == ALL_PERMISSIONS_SPELLING:
        return ALL_PERMISSIONS
    if isinstance(value, str):
        if is_all_permissions_lookalike(value):
            raise ValueError(
                f"ACL entry #{index}: permissions {value!r} is not the all-permissions "
                f'spelling; write exactly "{ALL_PERMISSIONS_SPELLING}"'
            )
        raise ValueError(
            f"ACL entry #{index}: permissions must be a list (write [{value.strip()!r}] for one "
            f'permission) or "{ALL_PERMISSIONS_SPELLING}"'
        )
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"ACL entry #{index}: permissions must be a list, got {describe(value)}")
    return frozenset(_permission(index, item) for item in value)


def _entry(index: int, item: object) -> tuple[object, Hashable, object]:
    if item == DENY_ALL_SPELLING:
        return DENY_ALL
    if isinstance(item, Mapping):
        unknown = sorted(str(key) for key in item if key not in _KEYS)
        missing = [key for key in _KEYS if key not in item]
        if unknown or missing:
            raise ValueError(
                f"ACL entry #{index}: expected exactly the keys {', '.join(_KEYS)}"
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                + (f"; missing: {', '.join(missing)}" if missing else "")
            )
        action, principal, permissions = (item[key] for key in _KEYS)
    elif isinstance(item, (list, tuple)):
        if len(item) != 3:
            raise ValueError(
                f"ACL entry #{index} has {len(item)} elements, expected 3: "
                "[action, principal, permissions]"
            )
        action, principal, permissions = item
    else:
        raise TypeError(
            f'ACL entry #{index}: expected an object, a 3-element list or "DENY_ALL", '
            f"got {describe(item)}"
        )
    return (_action(index, action), _principal(index, principal), _permissions(index, permissions))


def load_acl(data: object) -> CompiledACL:
    """A CompiledACL from a list of entries in the data spelling described above."""
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"ACL data must be a list of entries, got {describe(data)}")
    return compile_acl([_entry(index, item) for index, item in enumerate(data)])
