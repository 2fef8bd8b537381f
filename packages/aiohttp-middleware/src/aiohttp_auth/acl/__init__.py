"""The older ACL middleware of aiohttp_auth (skeleton)."""

from .acl import acl_middleware, get_permitted, get_user_groups, setup
from .decorators import acl_required

__all__ = ["acl_middleware", "acl_required", "get_permitted", "get_user_groups", "setup"]
