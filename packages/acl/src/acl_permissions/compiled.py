"""Compiled ACLs: validate once, then answer each check without scanning.

First-match evaluation over a list costs time proportional to the list.  A
`CompiledACL` precomputes, for every permission named in the ACL, a row
``principal -> (index, decision)`` holding the FIRST entry that grants or
refuses that permission to that principal.  First match over the user's
principals is then the smallest index among the row hits, so a check costs one
dict lookup per principal the user holds, whatever the number of entries.

``ALL_PERMISSIONS`` entries are folded into every row (an ALL entry for a
principal also counts as that principal's entry for each named permission), and
kept in a separate ``principal -> index`` map for permissions that no entry
names.  Folding costs rows x ALL-principals memory, so past `FOLD_LIMIT` the
compiled ACL keeps the ALL map apart and consults it on every check instead.

A compiled ACL is an immutable snapshot: it reads its entries once.  Entries
(or permission sets inside them) mutated afterwards are not seen; compile
again.  It behaves as a read-only sequence of the entries as written.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import overload

from .decision import Decision
from .entries import NormalEntry, describe, normalize_entry
from .vocabulary import ALL_PERMISSIONS, Permission

__all__ = ["FOLD_LIMIT", "NO_PRINCIPALS", "CompiledACL", "compile_acl", "principal_set"]

#: Largest rows x ALL-principals product that is folded into the rows.
FOLD_LIMIT = 1_000_000

#: Why a check with ``principals=None`` is denied (see `principals_for`).
NO_PRINCIPALS = "no principals (the groups callback returned None: denied everything)"

_Row = dict[Hashable, tuple[int, Decision]]


def principal_set(principals: Iterable[Hashable]) -> frozenset[Hashable]:
    """The principals as a set, refusing a bare string (a set of characters, SECURITY I2)."""
    if isinstance(principals, (str, bytes)):
        raise TypeError(
            f"principals must be a collection of principals, not the string {principals!r}; "
            "did you mean [that string]?"
        )
    return frozenset(principals)


class CompiledACL(Sequence[tuple[object, ...]]):
    """A validated, immutable ACL that answers checks in time independent of its length."""

    __slots__ = ("_all_first", "_entries", "_folded", "_misses", "_normal", "_rows")

    def __init__(self, entries: Iterable[object]) -> None:
        if isinstance(entries, (str, bytes, Mapping)):
            raise TypeError(
                f"an ACL is a sequence of (action, principal, permissions) entries, "
                f"got {describe(entries)}"
            )
        normal: list[NormalEntry] = []
        written: list[tuple[object, ...]] = []
        for index, entry in enumerate(entries):
            checked, parts = normalize_entry(index, entry)
            normal.append(checked)
            written.append(parts)
        self._normal: tuple[NormalEntry, ...] = tuple(normal)
        self._entries: tuple[tuple[object, ...], ...] = tuple(written)
        self._build()

    def _build(self) -> None:
        all_first: dict[Hashable, int] = {}
        firsts: dict[Hashable, dict[Hashable, int]] = {}
        for index, (_action, principal, permissions) in enumerate(self._normal):
            if principal in all_first:
                continue  # an earlier ALL entry already decides everything for it
            if permissions is ALL_PERMISSIONS:
                all_first[principal] = index
                continue
            for permission in permissions:
                firsts.setdefault(permission, {}).setdefault(principal, index)
        self._folded = len(firsts) * len(all_first) <= FOLD_LIMIT
        if self._folded:
            for row in firsts.values():
                for principal, index in all_first.items():
                    row.setdefault(principal, index)
        self._all_first = all_first
        # Each row in index order, so that walking it finds the first match first.
        self._rows: dict[Hashable, _Row] = {
            permission: {
                p: (i, self._decide(i, permission))
                for p, i in sorted(row.items(), key=lambda item: item[1])
            }
            for permission, row in firsts.items()
        }
        self._misses = {
            permission: Decision(False, None, None, permission) for permission in firsts
        }

    def _decide(self, index: int, permission: Hashable) -> Decision:
        action = self._normal[index][0]
        return Decision(action is Permission.Allow, self._entries[index], index, permission)

    def _first_all(self, principals: Iterable[Hashable]) -> int | None:
        best: int | None = None
        for principal in principals:
            index = self._all_first.get(principal)
            if index is not None and (best is None or index < best):
                best = index
        return best

    def check(self, principals: Iterable[Hashable] | None, permission: Hashable) -> Decision:
        """First-match decision for a user holding ``principals`` (None: deny everything)."""
        if principals is None:
            return Decision(False, None, None, permission, reason=NO_PRINCIPALS)
        if isinstance(principals, (str, bytes)):
            principal_set(principals)  # raises the explanatory TypeError
        try:
            row = self._rows.get(permission)
        except TypeError as exc:
            raise TypeError(
                f"permission {describe(permission)} cannot be looked up: {exc}"
            ) from exc
        if row is None:
            index = self._first_all(principals)
            if index is None:
                return Decision(False, None, None, permission)
            return self._decide(index, permission)
        if not self._folded:
            return self._check_unfolded(tuple(principals), row, permission)
        if type(principals) is frozenset and len(row) <= len(principals):
            # The row is the shorter side (the usual case: a few principals name a
            # permission) and in index order: the first principal held decides.
            for principal, (_index, decision) in row.items():
                if principal in principals:
                    return decision
            return self._misses[permission]
        best: tuple[int, Decision] | None = None
        for principal in principals:
            found = row.get(principal)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is None:
            return self._misses[permission]
        return best[1]

    def _check_unfolded(
        self, principals: tuple[Hashable, ...], row: _Row, permission: Hashable
    ) -> Decision:
        """The check when ALL_PERMISSIONS entries were too many to fold into the rows."""
        best = min((found for p in principals if (found := row.get(p)) is not None), default=None)
        index = self._first_all(principals)
        if index is not None and (best is None or index < best[0]):
            return self._decide(index, permission)
        if best is None:
            return self._misses[permission]
        return best[1]

    @property
    def normalized(self) -> tuple[NormalEntry, ...]:
        """The entries as validated: permissions as frozensets or ALL_PERMISSIONS."""
        return self._normal

    @overload
    def __getitem__(self, index: int) -> tuple[object, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[object, ...], ...]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[object, ...] | tuple[tuple[object, ...], ...]:
        return self._entries[index]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[tuple[object, ...]]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"<CompiledACL of {len(self._entries)} entries>"


def compile_acl(entries: Iterable[object]) -> CompiledACL:
    """Validate ``entries`` and build the constant-time lookup (a CompiledACL is returned as is)."""
    if isinstance(entries, CompiledACL):
        return entries
    return CompiledACL(entries)
