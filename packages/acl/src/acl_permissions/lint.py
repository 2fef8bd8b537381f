"""Static checks for ACLs: entries that can never decide, and likely mistakes.

First-match ACLs fail quietly: an entry placed after one that already
decides for the same principal and permission is dead code, and nothing at
run time says so.  `lint` reads an ACL the way the evaluator does and reports
each such entry by index, with the reason and the entries responsible.

Shadowing through ``Everyone`` assumes the principals come from
`principals_for`, which always adds Everyone: every user holds it, so an
earlier Everyone entry decides first for everybody.

Near misses of the special values are reported too (`load_acl` refuses them
in data): a string that looks like a group sentinel, the string
``"ALL_PERMISSIONS"`` used as a permission, names with leading or trailing
whitespace, and integer principals.  Each would match only itself, so a Deny
written with one silently matches nobody.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .entries import describe, describe_entry, normalize_entry
from .spellings import has_outer_whitespace, is_all_permissions_lookalike, principal_lookalike
from .vocabulary import ALL_PERMISSIONS, Everyone, Permission

__all__ = ["Finding", "lint"]


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


def _principal_near_miss(index: int, principal: Hashable) -> Finding | None:
    if isinstance(principal, int):
        return Finding(
            index,
            "integer-principal",
            f"the principal {principal!r} is a number: it matches only an equal number, never "
            f"the string {str(principal)!r} that group names usually are",
        )
    if not isinstance(principal, str):
        return None
    # (SECURITY I6) a string is never a sentinel, however it is spelled
    lookalike = principal_lookalike(principal)
    if lookalike is not None:
        return Finding(
            index,
            "lookalike-principal",
            f"the string {principal!r} is not a group sentinel and matches only a group "
            f"with that exact name; use {lookalike[1]} (written {lookalike[0]!r} in data)",
        )
    if has_outer_whitespace(principal):
        return Finding(
            index,
            "whitespace",
            f"the principal {principal!r} has leading or trailing whitespace and matches "
            f"only that exact string, never {principal.strip()!r}",
        )
    return None


def _near_misses(index: int, principal: Hashable, permissions: Iterable[Hashable]) -> list[Finding]:
    """Findings for names that look like what the author meant but match something else."""
    found = [_principal_near_miss(index, principal)]
    strings = sorted(item for item in permissions if isinstance(item, str))
    lookalikes = [item for item in strings if is_all_permissions_lookalike(item)]
    if lookalikes:
        found.append(
            Finding(
                index,
                "lookalike-permission",
                f"the permission {describe(lookalikes[0])} is one literal permission that no "
                "request asks for, not all permissions; use ALL_PERMISSIONS (the object) "
                "instead of the permission set",
            )
        )
    spaced = [item for item in strings if has_outer_whitespace(item) and item not in lookalikes]
    if spaced:
        found.append(
            Finding(
                index,
                "whitespace",
                "permissions with leading or trailing whitespace match only that exact "
                f"string: {', '.join(repr(item) for item in spaced)}",
            )
        )
    return [finding for finding in found if finding is not None]


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
        findings.extend(_near_misses(index, principal, permissions))
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
