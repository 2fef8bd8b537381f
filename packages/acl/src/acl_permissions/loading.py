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
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from .compiled import CompiledACL, compile_acl
from .entries import describe
from .vocabulary import ALL_PERMISSIONS, DENY_ALL, Allow, Authenticated, Deny, Everyone

__all__ = ["load_acl"]

_ACTIONS = {"allow": Allow, "deny": Deny}
_PRINCIPALS: dict[str, Hashable] = {
    "system.Everyone": Everyone,
    "system.Authenticated": Authenticated,
}
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


def _principal(index: int, value: object) -> Hashable:
    principal = _scalar(index, "principal", value)
    if isinstance(principal, str):
        return _PRINCIPALS.get(principal, principal)
    return principal


def _permissions(index: int, value: object) -> object:
    if value == "ALL_PERMISSIONS":
        return ALL_PERMISSIONS
    if isinstance(value, str):
        raise ValueError(
            f"ACL entry #{index}: permissions must be a list (write [{value!r}] for one "
            'permission) or "ALL_PERMISSIONS"'
        )
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"ACL entry #{index}: permissions must be a list, got {describe(value)}")
    return frozenset(_scalar(index, "a permission", item) for item in value)


def _entry(index: int, item: object) -> tuple[object, Hashable, object]:
    if item == "DENY_ALL":
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
