"""The ACL authorization policy of the seed: groups from the app, an ACL to check.

``AbstractACLAutzPolicy`` is ``acl_permissions.ACLPolicy`` (the
framework-free base that validates and compiles the ACL, asks
``acl_groups``, extends the groups and evaluates first-match) plugged into
``aiohttp_auth``'s policy interface.  Applications subclass it and write
one method, ``acl_groups``; everything that decides is in one tested place.

Semantics worth knowing (all pinned by tests):

- the global ``context`` given to ``__init__`` is validated when the policy
  is built: a malformed entry is a ``TypeError``/``ValueError`` then;
- ``acl_groups`` may be ``async def`` or a plain method; ``None`` from it
  denies that identity everything (even what ``Group.Everyone`` may do); an
  empty collection leaves ``Group.Everyone`` (+ ``Group.AuthenticatedUser``
  when logged in); a bare ``str`` is a ``TypeError``;
- the user id itself is never treated as a group;
- no context at all (neither global nor per call) is a ``RuntimeError``
  that says where to give one.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

from acl_permissions import ACLPolicy, Decision

from ...acl._contexts import check_permission
from ..abc import AbstractAutzPolicy

if TYPE_CHECKING:
    from collections.abc import Awaitable, Hashable, Iterable

__all__ = ["AbstractACLAutzPolicy"]


class AbstractACLAutzPolicy(ACLPolicy, AbstractAutzPolicy):
    """Subclass, implement ``acl_groups(user_identity)``, pass to ``autz.setup``.

    ``permit`` returns an ``acl_permissions.Decision``: truthy when allowed,
    and ``str()`` of it says which entry decided, for logs.
    """

    def __init__(self, context: Iterable[object] | None = None) -> None:
        """Store (and validate) the global ACL ``context``; ``None`` for none."""
        super().__init__(context)

    @abc.abstractmethod
    def acl_groups(
        self, user_identity: Any
    ) -> Iterable[Hashable] | Awaitable[Iterable[Hashable] | None] | None:
        """Return the groups of ``user_identity`` (``None`` when anonymous).

        ``async def`` or plain.  A collection of hashable groups, or ``None``
        to deny this identity everything; never a bare string.
        """

    async def permit(
        self, user_identity: Any, permission: Hashable, context: Any = None
    ) -> Decision:
        """Decide ``permission`` for ``user_identity`` against ``context`` or the global ACL."""
        if type(permission) is not str:  # a str is always a valid permission
            check_permission(permission)
        return await super().permit(user_identity, permission, context)
