"""The answer to "may these principals do this?", able to explain itself.

A `Decision` is truthy when allowed and falsy when denied, so
``if permits(...)`` reads naturally, but it also carries *why*: the deciding
entry, its index and the resource whose ACL held it, for logs and debugging.

Cost matters because a check sits on every request.  Decisions use
``__slots__`` and format nothing until ``str()`` is asked for; a compiled ACL
builds the decisions it can return once, at compile time, and hands out the
same object on every check.  That sharing is why decisions are immutable:
a caller flipping ``allowed`` on one must not change the next user's answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from .entries import describe, describe_entry

if TYPE_CHECKING:
    from collections.abc import Hashable

__all__ = ["Decision"]


class Decision:
    """The outcome of one permission check; ``bool(decision)`` is ``decision.allowed``.

    Attributes:
        allowed: True when an Allow entry decided.
        entry: the deciding entry as written in the ACL, or None (no match).
        index: that entry's position in its ACL, or None.
        source: the resource whose ``__acl__`` held the entry (tree checks), or None.
        permission: the permission that was asked for.
        reason: why nothing could match (e.g. no principals), or None.
    """

    __slots__ = ("allowed", "entry", "index", "permission", "reason", "source")

    allowed: bool
    entry: tuple[object, ...] | None
    index: int | None
    permission: Hashable
    reason: str | None
    source: object

    def __init__(
        self,
        allowed: bool,
        entry: tuple[object, ...] | None,
        index: int | None,
        permission: Hashable,
        *,
        source: object = None,
        reason: str | None = None,
    ) -> None:
        setter = object.__setattr__
        setter(self, "allowed", allowed)
        setter(self, "entry", entry)
        setter(self, "index", index)
        setter(self, "permission", permission)
        setter(self, "source", source)
        setter(self, "reason", reason)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Decision is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Decision is immutable (cannot delete {name!r})")

    def __bool__(self) -> bool:
        return self.allowed

    def with_source(self, source: object) -> Decision:
        """The same decision, recording the resource whose ACL produced it."""
        return Decision(
            self.allowed,
            self.entry,
            self.index,
            self.permission,
            source=source,
            reason=self.reason,
        )

    def __str__(self) -> str:
        verb = "allowed" if self.allowed else "denied"
        head = f"{verb} {describe(self.permission)}"
        if self.entry is None:
            return f"{head}: {self.reason or 'no entry matched'}"
        text = f"{head}: entry #{self.index} {describe_entry(self.entry)}"
        if self.source is not None:
            text += f" in the ACL of {describe(self.source)}"
        return text

    def __repr__(self) -> str:
        return f"<Decision {self}>"
