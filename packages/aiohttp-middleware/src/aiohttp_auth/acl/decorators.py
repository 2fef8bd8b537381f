"""Skeleton of acl_required."""

from __future__ import annotations

from typing import Any

__all__ = ["acl_required"]


def acl_required(permission: Any, context: Any) -> Any:
    """Not implemented yet."""
    raise NotImplementedError
