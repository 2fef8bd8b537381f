"""Skeleton of autz_required (body lands in the next commit)."""

from __future__ import annotations

from typing import Any

__all__ = ["autz_required"]


def autz_required(permission: Any, context: Any = None) -> Any:
    """Not implemented yet."""
    raise NotImplementedError
