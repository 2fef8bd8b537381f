"""principals_for: what every identity holds, and what it never gets for free."""

from __future__ import annotations

from typing import Any

import pytest

import acl_permissions as acl
from acl_permissions import Authenticated, Everyone


@pytest.mark.parametrize(
    ("identity", "groups", "expected"),
    [
        (None, (), {Everyone}),
        ("alice", (), {Everyone, Authenticated}),
        ("alice", ["guest", "staff"], {Everyone, Authenticated, "guest", "staff"}),
        (None, ["guest"], {Everyone, "guest"}),
        ("", (), {Everyone, Authenticated}),  # any non-None identity is authenticated here
        (0, {"g": 1}, {Everyone, Authenticated, "g"}),
        ("bob", iter(["g"]), {Everyone, Authenticated, "g"}),
    ],
)
def test_principals_add_the_implicit_groups(identity: Any, groups: Any, expected: set[Any]) -> None:
    principals = acl.principals_for(identity, groups)
    assert principals == expected
    assert isinstance(principals, frozenset)


def test_groups_the_application_returns_are_kept_as_given() -> None:
    # an anonymous user the application explicitly places in AuthenticatedUser keeps it:
    # the library adds groups, it never removes what the callback decided
    assert acl.principals_for(None, [Authenticated]) == {Everyone, Authenticated}


@pytest.mark.parametrize("groups", [5, True, 1.5, object()])
def test_non_iterable_groups_are_a_type_error(groups: Any) -> None:
    with pytest.raises(TypeError, match="return a collection of group names"):
        acl.principals_for("alice", groups)


def test_unhashable_groups_are_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"group \['x'\] is not hashable"):
        acl.principals_for("alice", [["x"]])
