"""Skeleton of the authorization middleware (bodies land in the next commit)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

__all__ = ["autz_middleware", "explain", "permit", "require", "setup"]


def autz_middleware(autz_policy: Any) -> Any:
    """Not implemented yet."""
    raise NotImplementedError


def setup(app: web.Application, autz_policy: Any) -> None:
    """Not implemented yet."""
    raise NotImplementedError


async def permit(request: web.Request, permission: Any, context: Any = None) -> bool:
    """Not implemented yet."""
    raise NotImplementedError


async def explain(request: web.Request, permission: Any, context: Any = None) -> Any:
    """Not implemented yet."""
    raise NotImplementedError


async def require(request: web.Request, permission: Any, context: Any = None) -> Any:
    """Not implemented yet."""
    raise NotImplementedError
