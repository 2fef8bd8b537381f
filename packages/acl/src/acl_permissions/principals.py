"""From "who is this" to "which principals does this user hold".

The rules, each a past security bug of the original library or of Pyramid:

* ``groups is None`` means "this identity is denied everything": the result is
  None and every check with it is denied, *including* what Everyone may do
  (seed semantics, DESIGN decision 2).  Return ``()`` instead to leave the
  user with Everyone (and AuthenticatedUser) only.
* Falsy collections (``[]``, ``set()``, ``()``) are NOT None (SECURITY I3).
* A ``str`` or ``bytes`` is refused with a TypeError that says what to return:
  iterating ``'admin'`` would make the user a member of ``'a'``, ``'d'``...
  (SECURITY I2).  So is anything that is not iterable (``0``, ``True``).
* The identity itself is never added as a principal: a user called
  ``'admin'`` gains nothing by that name (SECURITY I6).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from .entries import describe
from .vocabulary import Group

__all__ = ["principals_for"]

_ANONYMOUS: frozenset[Hashable] = frozenset((Group.Everyone,))
_AUTHENTICATED: frozenset[Hashable] = frozenset((Group.Everyone, Group.AuthenticatedUser))
_PLAIN_COLLECTIONS: frozenset[type] = frozenset({list, tuple, set, frozenset})
_WHAT_TO_RETURN = (
    "return a collection of group names (e.g. ['admin'] or ()), or None to deny everything"
)


def principals_for(identity: object, groups: object) -> frozenset[Hashable] | None:
    """The principals of ``identity`` given the ``groups`` its callback returned.

    Adds `Group.Everyone`, and `Group.AuthenticatedUser` when ``identity`` is
    not None.  Returns None when ``groups`` is None (deny everything).
    """
    if groups is None:
        return None
    if type(groups) in _PLAIN_COLLECTIONS:
        # The usual answer, already a collection: one union, no copy.  An
        # unhashable member makes it fail; the careful path below says which.
        try:
            return (_ANONYMOUS if identity is None else _AUTHENTICATED).union(groups)  # type: ignore[arg-type]
        except TypeError:
            pass
    if isinstance(groups, (str, bytes, bytearray)):
        raise TypeError(
            f"the groups callback returned the string {describe(groups)}: {_WHAT_TO_RETURN}"
        )
    if not isinstance(groups, Iterable):
        raise TypeError(f"the groups callback returned {describe(groups)}: {_WHAT_TO_RETURN}")
    members = list(groups)
    for group in members:
        try:
            hash(group)
        except TypeError:
            raise TypeError(f"group {describe(group)} is not hashable: {_WHAT_TO_RETURN}") from None
    base = _ANONYMOUS if identity is None else _AUTHENTICATED
    return base.union(members)
