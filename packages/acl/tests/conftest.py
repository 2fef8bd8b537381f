"""Shared fixtures for the acl-permissions tests.

Hypothesis runs under a modest profile: the machine is shared, and the
properties here are cheap enough that 80 examples each find the classic
mistakes (order, substring, shadowing) quickly.  Set HYPOTHESIS_PROFILE=deep
for a longer local run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "acl", max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "acl"))


@dataclass
class Resource:
    """A node of a resource tree, in Pyramid's shape (``__acl__``, ``__parent__``)."""

    name: str
    __parent__: Any = None
    __acl__: Any = None

    def __repr__(self) -> str:
        return f"<Resource {self.name}>"


class Bare:
    """A resource without an ``__acl__`` attribute at all (only a parent)."""

    def __init__(self, parent: Any) -> None:
        self.__parent__ = parent


@pytest.fixture(scope="session")
def resource() -> type[Resource]:
    """The Resource class, to build trees in tests."""
    return Resource


@pytest.fixture(scope="session")
def bare() -> type[Bare]:
    """A resource class without ``__acl__``."""
    return Bare


class Pyramid:
    """Translate our vocabulary to Pyramid's and ask `pyramid.authorization.ACLHelper`."""

    def __init__(self) -> None:
        from pyramid import authorization as pa

        import acl_permissions as ours

        self.pa = pa
        self.helper = pa.ACLHelper()
        self.names: dict[object, object] = {
            ours.Allow: pa.Allow,
            ours.Deny: pa.Deny,
            ours.Everyone: pa.Everyone,
            ours.Authenticated: pa.Authenticated,
        }
        self.all_ours = ours.ALL_PERMISSIONS

    def name(self, value: object) -> object:
        if isinstance(value, Hashable) and value in self.names:
            return self.names[value]
        return value

    def entries(self, acl: Iterable[tuple[object, object, object]]) -> list[tuple[object, ...]]:
        out = []
        for action, principal, permissions in acl:
            perms = self.pa.ALL_PERMISSIONS if permissions is self.all_ours else permissions
            out.append((self.name(action), self.name(principal), perms))
        return out

    def principals(self, principals: Iterable[object]) -> set[object]:
        return {self.name(p) for p in principals}

    def back(self, principals: Iterable[object]) -> set[object]:
        reverse = {v: k for k, v in self.names.items()}
        return {reverse.get(p, p) for p in principals}

    def tree(self, acls: list[Any], make: Callable[..., Any]) -> Any:
        """A Pyramid-vocabulary copy of a chain root..leaf; returns the leaf."""
        node = None
        for index, acl in enumerate(acls):
            node = make(f"p{index}", node, None if acl is None else self.entries(acl))
        return node

    def permits(self, context: Any, principals: Iterable[object], permission: object) -> bool:
        """Pyramid's answer; a bare list is wrapped as the ACL of a root resource."""
        if isinstance(context, list):
            context = Resource("root", None, context)
        return bool(self.helper.permits(context, self.principals(principals), permission))

    def allowed(self, context: Any, permission: object) -> set[object]:
        return self.back(self.helper.principals_allowed_by_permission(context, permission))


@pytest.fixture(scope="session")
def pyramid() -> Pyramid:
    """Pyramid's ACLHelper behind our vocabulary: the semantic oracle."""
    return Pyramid()
