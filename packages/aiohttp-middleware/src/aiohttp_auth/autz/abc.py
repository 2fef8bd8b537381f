"""The one interface an authorization policy implements.

The middleware knows nothing about ACLs, roles or scopes: it hands the
identity from ``aiohttp_auth.auth.get_auth`` to a policy and trusts its
answer.  Keeping that contract to a single coroutine is what lets
applications plug in their own model (the ACL policy in
``aiohttp_auth.autz.policy.acl`` is just one implementation).
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Hashable

__all__ = ["AbstractAutzPolicy"]


class AbstractAutzPolicy(abc.ABC):
    """Base class of every policy accepted by ``autz.setup`` / ``autz_middleware``.

    It is a real ABC so that a subclass that forgets ``permit`` fails when it
    is instantiated, at application start, rather than on the first request.
    """

    @abc.abstractmethod
    async def permit(self, user_identity: Any, permission: Hashable, context: Any) -> object:
        """Answer whether ``user_identity`` holds ``permission`` in ``context``.

        Args:
            user_identity: what ``get_auth`` returned, ``None`` for anonymous.
            permission: the permission asked for.
            context: the policy-specific context (for ACL policies a sequence
                of ``(action, group, permissions)`` entries), or ``None`` for
                the policy's own default.

        Returns:
            A truthy value to allow, a falsy one to deny.  The middleware
            converts it with ``bool()``; returning an object that explains
            itself (like ``acl_permissions.Decision``) lets
            ``aiohttp_auth.autz.explain`` show the reason in logs.
        """
