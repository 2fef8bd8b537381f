"""Authorization: ask a policy whether the request's identity holds a permission.

``setup(app, policy)`` installs it (next to the authentication middleware);
handlers use ``permit`` (bool), ``require`` (401/403 or the identity),
``explain`` (the policy's reasoned answer, for logs) or the
``autz_required`` decorator (403).
"""

from .autz import autz_middleware, explain, permit, require, setup
from .decorators import autz_required

__all__ = ["autz_middleware", "autz_required", "explain", "permit", "require", "setup"]
