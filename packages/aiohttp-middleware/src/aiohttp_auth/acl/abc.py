"""An object form of the groups callback for the older ACL middleware.

Applications often need state (a database pool, a cache) to find a user's
groups; a class with a method is a tidier home for it than a closure.  The
middleware only ever *calls* the callback, so ``__call__`` delegates to
``acl_groups`` and instances drop in wherever a plain function would.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Hashable, Iterable
from typing import Any

__all__ = ["AbstractACLGroupsCallback"]

#: What a groups callback may return: groups, ``None`` (deny everything), or an
#: awaitable of either.  A bare ``str`` is rejected at request time (TypeError).
GroupsResult = Iterable[Hashable] | None


class AbstractACLGroupsCallback(abc.ABC):
    """Subclass and implement ``acl_groups``; pass the instance to ``acl.setup``."""

    @abc.abstractmethod
    def acl_groups(self, user_id: Any) -> GroupsResult | Awaitable[GroupsResult]:
        """Return the groups of ``user_id`` (``None`` for anonymous requests).

        May be a coroutine function or a plain function.  Return a collection
        of groups (an empty one still leaves ``Group.Everyone`` and, for a
        logged-in user, ``Group.AuthenticatedUser``), or ``None`` to deny this
        user everything.  Never a bare string: that is a ``TypeError``.
        """

    def __call__(self, user_id: Any) -> GroupsResult | Awaitable[GroupsResult]:
        """Delegate to ``acl_groups`` so the instance is itself the callback."""
        return self.acl_groups(user_id)
