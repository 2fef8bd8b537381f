"""The framework-free authorization policy base: groups callback + ACL.

`aiohttp_auth`'s `AbstractACLAutzPolicy` subclasses `ACLPolicy` together with
its own ABC; any other framework can do the same.  The subclass answers one
question, `acl_groups(identity)` (sync or async), and `permit` does the rest.

The global context is a property: assigning it (in ``__init__``, as the
original did with ``self.context = context``, or later) validates and
compiles it immediately, so a malformed ACL fails at setup rather than on the
first request.  Reading it back gives the `CompiledACL`, an immutable
snapshot: mutating the list you assigned afterwards has no effect, and the
snapshot has no ``append`` to call by mistake; assign a new list instead.
A per-call ``context`` given as a plain list is re-read (and re-validated) on
every call, as the original did.
"""

from __future__ import annotations

import abc
import inspect
from types import CoroutineType
from typing import TYPE_CHECKING

from .compiled import CompiledACL, compile_acl
from .evaluate import permits_async
from .principals import principals_for

if TYPE_CHECKING:
    from collections.abc import Awaitable, Hashable, Iterable

    from .decision import Decision

__all__ = ["ACLPolicy"]

#: What ``acl_groups`` usually returns: skip the (ABC-based) awaitable test for these.
_NEVER_AWAITABLE: frozenset[type] = frozenset({list, tuple, set, frozenset, type(None)})

_NO_CONTEXT = (
    "no ACL context: pass context= to permit() (or to the decorator), or give the policy "
    "a global one: super().__init__(context) in your subclass, or policy.context = [...]"
)


class ACLPolicy(abc.ABC):
    """Authorize an identity against an ACL, with groups from `acl_groups`."""

    def __init__(self, context: Iterable[object] | None = None) -> None:
        self._context: CompiledACL | None = None
        self.context = context  # the setter compiles

    @property
    def context(self) -> CompiledACL | None:
        """The global ACL, compiled; None when there is none."""
        return self._context

    @context.setter
    def context(self, value: Iterable[object] | None) -> None:
        self._context = None if value is None else compile_acl(value)

    @abc.abstractmethod
    def acl_groups(
        self, identity: object
    ) -> Iterable[Hashable] | Awaitable[Iterable[Hashable] | None] | None:
        """The groups of ``identity`` (None = denied everything; ``()`` = Everyone only).

        May be a plain method or ``async def``.  ``identity`` is None for an
        anonymous request.  Return a collection, never a bare string.
        """

    async def permit(
        self, identity: object, permission: Hashable, context: object = None
    ) -> Decision:
        """Decide ``permission`` for ``identity`` against ``context`` or the global ACL.

        Raises RuntimeError when neither is set.  Exceptions from
        `acl_groups` propagate: a failing lookup never grants.
        """
        acl = self._context if context is None else context
        if acl is None:
            raise RuntimeError(_NO_CONTEXT)
        groups = self.acl_groups(identity)
        kind = type(groups)
        if kind is CoroutineType or (kind not in _NEVER_AWAITABLE and inspect.isawaitable(groups)):
            groups = await groups  # type: ignore[misc]
        principals = principals_for(identity, groups)
        if type(acl) is CompiledACL:  # the global context: no dispatch needed
            return acl.check(principals, permission)
        return await permits_async(acl, principals, permission)
