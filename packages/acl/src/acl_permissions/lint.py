"""Static checks for ACLs: entries that can never decide, and likely mistakes.

First-match ACLs fail quietly: an entry placed after one that already
decides for the same principal and permission is dead code, and nothing at
run time says so.  `lint` reads an ACL the way the evaluator does and reports
each such entry by index, with the reason and the entries responsible.

Shadowing through ``Everyone`` assumes the principals come from
`principals_for`, which always adds Everyone: every user holds it, so an
earlier Everyone entry decides first for everybody.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .entries import describe, describe_entry, normalize_entry
from .vocabulary import ALL_PERMISSIONS, Everyone, Group, Permission

__all__ = ["Finding", "lint"]

#: Strings that look like group sentinels but are not (SECURITY I6).
_LOOKALIKES = frozenset(
    {member.value for member in Group} | {"system.Everyone", "system.Authenticated"}
)


@dataclass(frozen=True)
class Finding:
    """One problem in an ACL: which entry, what kind (``code``), why, and how bad."""

    index: int
    code: str
    message: str
    severity: str = "warning"

    def __str__(self) -> str:
        return f"entry #{self.index} [{self.code}] {self.severity}: {self.message}"


class _Coverage:
    """Which (principal, permission) pairs earlier entries already decide, and where."""

    def __init__(self) -> None:
        self.all_first: dict[Hashable, int] = {}
        self.pairs: dict[tuple[Hashable, Hashable], int] = {}

    def decider(self, principal: Hashable, permission: Hashable) -> int | None:
        candidates = [
            self.all_first.get(principal),
            self.all_first.get(Everyone),
            self.pairs.get((principal, permission)),
            self.pairs.get((Everyone, permission)),
        ]
        found = [index for index in candidates if index is not None]
        return min(found) if found else None

    def add(self, index: int, principal: Hashable, permissions: Iterable[Hashable]) -> None:
        if permissions is ALL_PERMISSIONS:
            self.all_first.setdefault(principal, index)
        for permission in permissions:
            self.pairs.setdefault((principal, permission), index)


def _reachability(
    index: int, principal: Hashable, permissions: Iterable[Hashable], seen: _Coverage
) -> Finding | None:
    everyone_all = seen.all_first.get(Everyone)
    if everyone_all is not None:
        return Finding(
            index,
            "unreachable",
            f"entry #{everyone_all} applies ALL_PERMISSIONS to Everyone and decides every "
            "request first",
        )
    if permissions is ALL_PERMISSIONS:
        earlier = seen.all_first.get(principal)
        if earlier is None:
            return None
        deciders = [earlier]
    else:
        found = [seen.decider(principal, permission) for permission in permissions]
        if not found or None in found:
            return None
        deciders = sorted({index for index in found if index is not None})
    listed = ", ".join(f"#{number}" for number in deciders)
    return Finding(
        index,
        "shadowed",
        f"never decides: every permission it names is decided first for "
        f"{describe(principal)} (or Everyone) by entry {listed}",
    )


def lint(acl: Iterable[object]) -> list[Finding]:
    """Findings for ``acl`` (a list of entries or a CompiledACL), in entry order."""
    if isinstance(acl, (str, bytes, Mapping)):
        raise TypeError(f"lint() takes a sequence of entries, got {describe(acl)}")
    findings: list[Finding] = []
    seen = _Coverage()
    exact: dict[tuple[object, ...], int] = {}
    for index, entry in enumerate(acl):
        if (
            isinstance(entry, (tuple, list))
            and len(entry) == 3
            and not isinstance(entry[0], Permission)
        ):
            findings.append(
                Finding(
                    index,
                    "unknown-action",
                    f"action {describe(entry[0])} is not Allow or Deny; compile_acl refuses it",
                    "error",
                )
            )
            continue
        try:
            (action, principal, permissions), parts = normalize_entry(index, entry)
        except (TypeError, ValueError) as exc:
            findings.append(Finding(index, "malformed", str(exc), "error"))
            continue
        if isinstance(parts[2], (str, bytes)):
            findings.append(
                Finding(
                    index,
                    "bare-string",
                    f"permissions {describe(parts[2])} is a bare string: it is ONE permission, "
                    f"never a substring match; write {{{describe(parts[2])}}} to say so",
                )
            )
        if isinstance(principal, str) and principal in _LOOKALIKES:
            findings.append(
                Finding(
                    index,
                    "lookalike-principal",
                    f"the string {principal!r} is not a group sentinel and matches only a group "
                    "with that exact name; use Everyone or Authenticated",
                )
            )
        if not permissions and permissions is not ALL_PERMISSIONS:
            findings.append(Finding(index, "empty", "names no permission, so it never matches"))
        key = (action, principal, permissions)
        if key in exact:
            findings.append(
                Finding(index, "duplicate", f"repeats entry #{exact[key]} {describe_entry(parts)}")
            )
        else:
            exact[key] = index
            problem = _reachability(index, principal, permissions, seen)
            if problem is not None:
                findings.append(problem)
        seen.add(index, principal, permissions)
    return findings
