"""Near misses of the special spellings: strings that look like a sentinel but are not.

Principals and permissions match by equality.  A string that is *almost* the
spelling of a special value (``"system.everyone"``, ``"Everyone"``,
``"system.Authenticated "``, ``"ALL_PERMISSIONS"`` inside a permission list)
is a literal name that nobody holds and no request asks for: a Deny written
with it silently matches nobody and the request falls through to a later
Allow.  `load_acl` refuses these near misses in data; `lint` reports them in
ACLs built in Python, where the special values are objects, not strings.

Two strings are near each other when they are equal once letter case and
everything but letters and digits (dots, underscores, dashes, spaces, other
whitespace) are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .vocabulary import Authenticated, Everyone, Group

if TYPE_CHECKING:
    from collections.abc import Hashable

__all__ = [
    "ALL_PERMISSIONS_SPELLING",
    "DENY_ALL_SPELLING",
    "PRINCIPAL_SPELLINGS",
    "has_outer_whitespace",
    "is_all_permissions_lookalike",
    "principal_lookalike",
]

#: The exact data spellings of the special principals (Pyramid's strings).
PRINCIPAL_SPELLINGS: dict[str, Hashable] = {
    "system.Everyone": Everyone,
    "system.Authenticated": Authenticated,
}
#: The exact data spelling of "all permissions": the whole permissions value.
ALL_PERMISSIONS_SPELLING = "ALL_PERMISSIONS"
#: The exact data spelling of the whole `DENY_ALL` entry.
DENY_ALL_SPELLING = "DENY_ALL"

_NAMES = {"system.Everyone": "Everyone", "system.Authenticated": "Authenticated"}


def _key(text: str) -> str:
    return "".join(character for character in text.casefold() if character.isalnum())


_PRINCIPAL_VARIANTS: dict[str, tuple[str, ...]] = {
    "system.Everyone": ("Everyone", "Group.Everyone", Group.Everyone.value),
    "system.Authenticated": (
        "Authenticated",
        "AuthenticatedUser",
        "system.AuthenticatedUser",
        "Group.AuthenticatedUser",
        Group.AuthenticatedUser.value,
    ),
}
_PRINCIPAL_LOOKALIKES: dict[str, str] = {
    _key(variant): spelling
    for spelling, variants in _PRINCIPAL_VARIANTS.items()
    for variant in (spelling, *variants)
}
_ALL_PERMISSIONS_KEY = _key(ALL_PERMISSIONS_SPELLING)


def principal_lookalike(value: str) -> tuple[str, str] | None:
    """``(data spelling, Python name)`` of the special principal ``value`` looks like, or None.

    The exact data spelling counts as a look-alike too: the caller decides
    whether it is exact (in data) or still only a string (in Python).
    """
    spelling = _PRINCIPAL_LOOKALIKES.get(_key(value))
    if spelling is None:
        return None
    return spelling, _NAMES[spelling]


def is_all_permissions_lookalike(value: str) -> bool:
    """Whether ``value`` is ``"ALL_PERMISSIONS"`` or a near miss of it."""
    return _key(value) == _ALL_PERMISSIONS_KEY


def has_outer_whitespace(value: str) -> bool:
    """Whether ``value`` starts or ends with whitespace (part of the name, never trimmed)."""
    return value != value.strip()
