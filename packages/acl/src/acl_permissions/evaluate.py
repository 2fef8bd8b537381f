"""Checks against a flat ACL or a resource tree, sync and async.

`permits` accepts what users already have: a `CompiledACL` (fast path), a
plain list or tuple of entries, or a resource whose ``__acl__`` (a list, a
CompiledACL, or a callable returning one) is consulted child first, then up
through ``__parent__``, as Pyramid's ACLHelper does.  A deny on a child
therefore beats an allow on a parent.

A plain list is re-read and fully validated on every call, exactly because
it may have changed since the last call (the original library re-read its
context each time); that costs time proportional to its length, which is what
`compile_acl` is for.  Every entry is validated, not only those before the
match, so a malformed ACL fails on every call rather than only for some users.
"""

from __future__ import annotations

import inspect
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import TypeGuard

from .compiled import NO_PRINCIPALS, CompiledACL, principal_set
from .decision import Decision
from .entries import NormalEntry, describe, normalize_entry
from .vocabulary import Everyone, Permission

__all__ = ["lineage", "permits", "permits_async", "principals_allowed_by_permission", "scan_acl"]

FlatACL = CompiledACL | Sequence[object]


def scan_acl(
    entries: Sequence[object], principals: Iterable[Hashable] | None, permission: Hashable
) -> Decision:
    """First match over a plain list of entries, validating all of them."""
    held = None if principals is None else principal_set(principals)
    hash(permission)  # an unhashable permission is a TypeError, as with a CompiledACL
    decision: Decision | None = None
    for index, entry in enumerate(entries):
        (action, principal, permissions), parts = normalize_entry(index, entry)
        if (
            decision is None
            and held is not None
            and principal in held
            and permission in permissions
        ):
            decision = Decision(action is Permission.Allow, parts, index, permission)
    if decision is not None:
        return decision
    return Decision(
        False, None, None, permission, reason=None if held is not None else NO_PRINCIPALS
    )


def _check_flat(
    acl: FlatACL, principals: Iterable[Hashable] | None, permission: Hashable
) -> Decision:
    if isinstance(acl, CompiledACL):
        return acl.check(principals, permission)
    return scan_acl(acl, principals, permission)


def _is_flat(context: object) -> TypeGuard[FlatACL]:
    return isinstance(context, (CompiledACL, list, tuple))


def lineage(context: object) -> Iterator[object]:
    """The resource, its ``__parent__``, and so on up to the root (refusing cycles)."""
    seen: set[int] = set()
    location: object = context
    while location is not None:
        if id(location) in seen:
            raise ValueError(f"the resource tree has a __parent__ cycle at {describe(location)}")
        seen.add(id(location))
        yield location
        location = getattr(location, "__parent__", None)


def _require_resource(context: object) -> None:
    if not (hasattr(context, "__acl__") or hasattr(context, "__parent__")):
        raise TypeError(
            "context must be an ACL (list, tuple or CompiledACL) or a resource with "
            f"__acl__ / __parent__, got {describe(context)}"
        )


def _read_acl(location: object) -> object:
    acl = getattr(location, "__acl__", None)
    if callable(acl):
        acl = acl()
    return acl


def _usable_acl(location: object, acl: object) -> FlatACL | None:
    if acl is None or _is_flat(acl):
        return acl
    if inspect.isawaitable(acl):
        if inspect.iscoroutine(acl):
            acl.close()  # never awaited by design: silence the warning
        raise TypeError(f"the __acl__ of {describe(location)} is awaitable: use permits_async")
    raise TypeError(
        f"the __acl__ of {describe(location)} must be a list, tuple or CompiledACL "
        f"(or a callable returning one), got {describe(acl)}"
    )


def _held(principals: Iterable[Hashable] | None) -> frozenset[Hashable] | None:
    return None if principals is None else principal_set(principals)


def permits(
    context: object, principals: Iterable[Hashable] | None, permission: Hashable
) -> Decision:
    """First-match decision for ``permission`` given ``principals`` (None denies everything).

    ``context`` is a CompiledACL, a list/tuple of entries, or a resource.
    """
    if context.__class__ is CompiledACL:  # the hot path: one test, one call
        return context.check(principals, permission)
    if _is_flat(context):
        return _check_flat(context, principals, permission)
    _require_resource(context)
    held = _held(principals)
    for location in lineage(context):
        acl = _usable_acl(location, _read_acl(location))
        if acl is not None:
            decision = _check_flat(acl, held, permission)
            if decision.index is not None:
                return decision.with_source(location)
    return Decision(
        False, None, None, permission, reason=None if held is not None else NO_PRINCIPALS
    )


async def permits_async(
    context: object, principals: Iterable[Hashable] | None, permission: Hashable
) -> Decision:
    """`permits`, awaiting ``__acl__`` callables that return awaitables (async resource trees)."""
    if type(context) is CompiledACL:  # the hot path, as in `permits`
        return context.check(principals, permission)
    if _is_flat(context):
        return _check_flat(context, principals, permission)
    _require_resource(context)
    held = _held(principals)
    for location in lineage(context):
        raw = _read_acl(location)
        if inspect.isawaitable(raw):
            raw = await raw
        acl = _usable_acl(location, raw)
        if acl is not None:
            decision = _check_flat(acl, held, permission)
            if decision.index is not None:
                return decision.with_source(location)
    return Decision(
        False, None, None, permission, reason=None if held is not None else NO_PRINCIPALS
    )


def _normalized(acl: FlatACL) -> Iterable[NormalEntry]:
    if isinstance(acl, CompiledACL):
        return acl.normalized
    return [normalize_entry(index, entry)[0] for index, entry in enumerate(acl)]


def principals_allowed_by_permission(context: object, permission: Hashable) -> set[Hashable]:
    """Principals explicitly granted ``permission`` on ``context``, as Pyramid computes it.

    Walks from the root down to ``context``: an Allow adds a principal, a later
    Deny for it (further down, or earlier in the same ACL) removes it, and a
    Deny of Everyone forgets everything granted above.
    """
    if _is_flat(context):
        acls: list[FlatACL] = [context]
    else:
        _require_resource(context)
        acls = []
        for location in lineage(context):
            acl = _usable_acl(location, _read_acl(location))
            if acl is not None:
                acls.append(acl)
    allowed: set[Hashable] = set()
    for acl in reversed(acls):
        allowed_here: set[Hashable] = set()
        denied_here: set[Hashable] = set()
        for action, principal, permissions in _normalized(acl):
            if permission not in permissions:
                continue
            if action is Permission.Allow:
                if principal not in denied_here:
                    allowed_here.add(principal)
                continue
            denied_here.add(principal)
            if principal is Everyone:
                allowed = set()
                break
            allowed.discard(principal)
        allowed |= allowed_here
    return allowed
