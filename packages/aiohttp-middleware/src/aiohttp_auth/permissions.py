"""Skeleton: Permission and Group are re-exported from acl_permissions once it exports them."""

from __future__ import annotations

from typing import Any

__all__ = ["Group", "Permission"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import acl_permissions

        return getattr(acl_permissions, name)
    raise AttributeError(name)
