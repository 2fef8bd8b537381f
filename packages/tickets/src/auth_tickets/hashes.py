"""Hash algorithm names a codec may be configured with, and the ones it may not.

Why a separate module: the algorithm is a *configuration* decision, resolved
once when a codec is built and never read from a ticket (SECURITY B4). MD5
and SHA-1 exist only because deployed Apache ``mod_auth_tkt`` and
``ticket_auth`` cookies use them; the default format refuses them outright and
the legacy formats accept them only by explicit name, with a warning.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from typing import Any

from .errors import InsecureHashWarning

__all__ = ["WEAK_HASHES", "HashFactory", "resolve_hash"]

HashFactory = Callable[..., Any]
"""A ``hashlib`` constructor: ``factory(data=b"") -> hash object``."""

WEAK_HASHES = frozenset({"md5", "sha1"})
_VARIABLE_LENGTH = frozenset({"shake_128", "shake_256"})


def resolve_hash(name: str, *, allow_weak: bool, stacklevel: int = 3) -> tuple[str, HashFactory]:
    """Return ``(canonical name, constructor)`` for a fixed-length hashlib algorithm.

    Raises ``TypeError``/``ValueError`` for anything that is not a usable name;
    MD5/SHA-1 raise unless ``allow_weak`` (then an `InsecureHashWarning`).
    """
    if not isinstance(name, str):
        raise TypeError(f"hashalg must be a str name, not {type(name).__name__}")
    canonical = name.lower().replace("-", "_")
    if canonical in _VARIABLE_LENGTH or canonical not in hashlib.algorithms_available:
        raise ValueError(f"unsupported hash algorithm {name!r}")
    if canonical in WEAK_HASHES:
        if not allow_weak:
            raise ValueError(f"{canonical} is not accepted by this format; use sha256 or sha512")
        warnings.warn(
            f"{canonical} is cryptographically weak; use it only to interoperate with "
            "existing deployments",
            InsecureHashWarning,
            stacklevel=stacklevel,
        )
    factory: HashFactory = getattr(hashlib, canonical, None) or (
        lambda data=b"": hashlib.new(canonical, data)
    )
    return canonical, factory
