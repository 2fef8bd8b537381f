"""Skeleton of the older ACL middleware."""

from __future__ import annotations

from typing import Any

from aiohttp import web

__all__ = ["acl_middleware", "get_permitted", "get_user_groups", "setup"]


def acl_middleware(callback: Any) -> Any:
    """Not implemented yet."""
    raise NotImplementedError


def setup(app: web.Application, groups_callback: Any) -> None:
    """Not implemented yet."""
    raise NotImplementedError


async def get_user_groups(request: web.Request) -> Any:
    """Not implemented yet."""
    raise NotImplementedError


async def get_permitted(request: web.Request, permission: Any, context: Any) -> bool:
    """Not implemented yet."""
    raise NotImplementedError
