"""Skeleton of AbstractAutzPolicy."""

from __future__ import annotations

import abc
from typing import Any

__all__ = ["AbstractAutzPolicy"]


class AbstractAutzPolicy(abc.ABC):
    """Not implemented yet."""

    @abc.abstractmethod
    async def permit(self, user_identity: Any, permission: Any, context: Any) -> Any:
        """Not implemented yet."""
