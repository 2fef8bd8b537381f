"""Authorization: ask a policy whether the request's identity holds a permission.

Skeleton: the public names exist so the package imports; the bodies land next.
"""

from .autz import autz_middleware, explain, permit, require, setup
from .decorators import autz_required

__all__ = ["autz_middleware", "autz_required", "explain", "permit", "require", "setup"]
