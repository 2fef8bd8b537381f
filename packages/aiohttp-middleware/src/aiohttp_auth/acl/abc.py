"""Skeleton of AbstractACLGroupsCallback."""

from __future__ import annotations

import abc
from typing import Any

__all__ = ["AbstractACLGroupsCallback"]


class AbstractACLGroupsCallback(abc.ABC):
    """Not implemented yet."""

    @abc.abstractmethod
    async def acl_groups(self, user_id: Any) -> Any:
        """Not implemented yet."""

    def __call__(self, user_id: Any) -> Any:
        return self.acl_groups(user_id)
