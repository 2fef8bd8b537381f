"""The older ACL middleware of ``aiohttp_auth``: a groups callback plus per-call ACLs.

``setup(app, groups_callback)`` installs it; handlers use
``get_user_groups``, ``get_permitted`` or the ``acl_required`` decorator.
For new code, the policy-based ``aiohttp_auth.autz`` is the richer API.
"""

from .acl import acl_middleware, get_permitted, get_user_groups, setup
from .decorators import acl_required

__all__ = ["acl_middleware", "acl_required", "get_permitted", "get_user_groups", "setup"]
