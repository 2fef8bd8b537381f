"""ACL check speed: acl-permissions beside its peers and the precompiled-lookup floor.

Run from the repository root with the dev environment:

    /work/devenv/bin/python bench/bench_acl.py            # full table (about a minute)
    /work/devenv/bin/python bench/bench_acl.py --quick    # sizes 10 and 1,000 only

For every ACL size (10, 100, 1,000, 10,000 entries), user size (3 and 50
groups) and position of the deciding entry (early = first entry, late = last
entry, absent = no entry matches) it times, in one process:

* floor     - a dict precompiled by hand, ``table.get((principal, permission))``
              over the user's principals, smallest index wins;
* row floor - the same table split per permission (``rows[permission].get(principal)``),
              no tuple per lookup: the fastest hand-written form we know;
* check     - ``CompiledACL.check`` (ours);
* permits   - ``permits(compiled, ...)`` (ours, through the public dispatcher);
* original  - ``get_groups_permitted`` of the REAL aiohttp_auth_autz 0.2.2,
              loaded from .hatch/original under another package name (its
              import name is also ours); a re-stated loop if it is missing;
* pyramid   - ``pyramid.authorization.ACLHelper().permits``;
* casbin    - an in-memory casbin enforcer with an equivalent model
              (roles for groups, ``priority(p.eft) || deny`` for first match).

All implementations must agree on every answer; the script stops otherwise.
Times are the best of 5 repeats, in microseconds per check; ratios are to the
floor of the same row.  Not a test: nothing here gates CI.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
import timeit
import warnings
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _results import save

import acl_permissions as acl

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL = ROOT / ".hatch" / "original" / "aiohttp_auth"
PERMISSION = "read"
CASBIN_MODEL = """
[request_definition]
r = sub, act

[policy_definition]
p = sub, act, eft

[role_definition]
g = _, _

[policy_effect]
e = priority(p.eft) || deny

[matchers]
m = g(r.sub, p.sub) && r.act == p.act
"""


def load_original() -> tuple[Callable[..., bool], Any, str]:
    """The original get_groups_permitted and Permission enum, or a re-stated loop."""
    if ORIGINAL.is_dir():
        spec = importlib.util.spec_from_file_location(
            "original_aiohttp_auth",
            ORIGINAL / "__init__.py",
            submodule_search_locations=[str(ORIGINAL)],
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["original_aiohttp_auth"] = module
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec.loader.exec_module(module)
            from original_aiohttp_auth.acl.acl import get_groups_permitted
            from original_aiohttp_auth.permissions import Permission
        return get_groups_permitted, Permission, "aiohttp_auth_autz 0.2.2 (real)"

    def restated(groups: Any, permission: Any, context: Any) -> bool:
        if groups is None:
            return False
        for action, group, permissions in context:
            if group in groups and permission in permissions:
                return bool(action == acl.Allow)
        return False

    return restated, acl.Permission, "re-stated loop (original not installed)"


class Case:
    """One row: an ACL of ``size`` entries and a user with ``groups`` groups."""

    def __init__(self, size: int, groups: int, position: str) -> None:
        self.size, self.groups, self.position = size, groups, position
        self.entries: list[tuple[Any, Any, Any]] = [
            (acl.Allow if i % 2 else acl.Deny, f"g{i}", frozenset({PERMISSION, f"p{i % 7}"}))
            for i in range(size)
        ]
        deciding = (acl.Allow, "target", frozenset({PERMISSION}))
        if position == "early":
            self.entries[0] = deciding
        elif position == "late":
            self.entries[-1] = deciding
        held = ["target", *(f"u{j}" for j in range(groups - 1))]
        principals = acl.principals_for("alice", held)
        assert principals is not None
        self.principals = principals
        self.expected = position != "absent"


def floor_table(entries: list[tuple[Any, Any, Any]]) -> dict[tuple[Any, Any], tuple[int, bool]]:
    table: dict[tuple[Any, Any], tuple[int, bool]] = {}
    for index, (action, principal, permissions) in enumerate(entries):
        for permission in permissions:
            table.setdefault((principal, permission), (index, action is acl.Allow))
    return table


def per_op(call: Callable[[], object], budget: float) -> float:
    """Best-of-5 microseconds per call, with about ``budget`` seconds per repeat."""
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, min(200_000, int(budget / once)))
    best = min(timeit.repeat(call, number=number, repeat=5))
    return best / number * 1e6


def build(
    case: Case, original: tuple[Callable[..., bool], Any, str]
) -> dict[str, Callable[[], bool]]:
    import casbin
    from pyramid import authorization as pa

    principals = case.principals
    compiled = acl.compile_acl(case.entries)
    table = floor_table(case.entries)

    def floor() -> bool:
        best = None
        for principal in principals:
            hit = table.get((principal, PERMISSION))
            if hit is not None and (best is None or hit[0] < best[0]):
                best = hit
        return best is not None and best[1]

    rows: dict[Any, dict[Any, tuple[int, bool]]] = {}
    for (principal, permission), hit in table.items():
        rows.setdefault(permission, {})[principal] = hit

    def row_floor() -> bool:
        row = rows.get(PERMISSION, {})
        best = None
        for principal in principals:
            hit = row.get(principal)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = hit
        return best is not None and best[1]

    get_groups_permitted, OriginalPermission, _ = original
    to_original = {acl.Allow: OriginalPermission.Allow, acl.Deny: OriginalPermission.Deny}
    original_context = [(to_original[a], p, perms) for a, p, perms in case.entries]
    original_groups = set(principals)

    names = {
        acl.Allow: pa.Allow,
        acl.Deny: pa.Deny,
        acl.Everyone: pa.Everyone,
        acl.Authenticated: pa.Authenticated,
    }
    resource = type(
        "Resource", (), {"__acl__": [(names[a], p, perms) for a, p, perms in case.entries]}
    )()
    pyramid_principals = {names.get(p, p) for p in principals}
    helper = pa.ACLHelper()

    model = casbin.Model()
    model.load_model_from_text(CASBIN_MODEL)
    enforcer = casbin.Enforcer(model)
    rules = [
        [str(p), permission, "allow" if a is acl.Allow else "deny"]
        for a, p, perms in case.entries
        for permission in sorted(perms)
    ]
    enforcer.add_policies(rules)
    enforcer.add_grouping_policies([["alice", str(p)] for p in principals])

    check = compiled.check
    permits = acl.permits
    return {
        "floor": floor,
        "row floor": row_floor,
        "check": lambda: bool(check(principals, PERMISSION)),
        "permits": lambda: bool(permits(compiled, principals, PERMISSION)),
        "original": lambda: bool(
            get_groups_permitted(original_groups, PERMISSION, original_context)
        ),
        "pyramid": lambda: bool(helper.permits(resource, pyramid_principals, PERMISSION)),
        "casbin": lambda: bool(enforcer.enforce("alice", PERMISSION)),
    }


def versions() -> str:
    parts = [f"CPython {platform.python_version()}", platform.machine(), f"{_cores()} cores"]
    for dist in ("acl-permissions", "pyramid", "casbin"):
        parts.append(f"{dist} {metadata.version(dist)}")
    return ", ".join(parts)


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10 and 1,000 only")
    parser.add_argument("--budget", type=float, default=0.08, help="seconds per repeat per cell")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON here")
    parser.add_argument("--chart", metavar="DIR", type=Path, help="also draw acl.png here")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    sizes = [10, 1000] if args.quick else [10, 100, 1000, 10_000]
    original = load_original()
    print(f"# ACL checks, µs per check (ratio to floor); {versions()}")
    print(f"# original: {original[2]}")
    columns = ["floor", "row floor", "check", "permits", "original", "pyramid", "casbin"]
    print("| entries | groups | decider | " + " | ".join(columns) + " |")
    print("|---:|---:|---|" + "---:|" * len(columns))
    worst = worst_row = 0.0
    for size in sizes:
        for groups in (3, 50):
            for position in ("early", "late", "absent"):
                case = Case(size, groups, position)
                calls = build(case, original)
                answers = {name: call() for name, call in calls.items()}
                if set(answers.values()) != {case.expected}:
                    raise SystemExit(f"disagreement at {size}/{groups}/{position}: {answers}")
                times = {}
                for name, call in calls.items():
                    slow = name == "casbin" or (name in ("original", "pyramid") and size >= 10_000)
                    times[name] = per_op(call, args.budget / (4 if slow else 1))
                base = times["floor"]
                worst = max(worst, times["check"] / base)
                worst_row = max(worst_row, times["check"] / times["row floor"])
                cells = [f"{times['floor']:.3f}"] + [
                    f"{times[n]:.3f} ({times[n] / base:.2f}x)"
                    if times[n] < 1000
                    else f"{times[n]:,.0f} ({times[n] / base:,.0f}x)"
                    for n in columns[1:]
                ]
                print(f"| {size:,} | {groups} | {position} | " + " | ".join(cells) + " |")
                rows.append({"entries": size, "groups": groups, "decider": position} | times)
    big = [
        (acl.Allow if i % 2 else acl.Deny, f"g{i}", frozenset({PERMISSION, f"p{i % 7}"}))
        for i in range(10_000)
    ]
    compile_ms = min(timeit.repeat(lambda: acl.compile_acl(big), number=1, repeat=5)) * 1e3
    print(
        f"\nworst check/floor: {worst:.2f}x; worst check/row floor: {worst_row:.2f}x; "
        f"compile_acl(10,000 entries): {compile_ms:.1f} ms"
    )
    data = {
        "benchmark": "acl",
        "environment": versions(),
        "original": original[2],
        "unit": "us per check",
        "rows": rows,
        "compile_ms_10000": compile_ms,
    }
    save(data, "acl", args.json, args.chart)


if __name__ == "__main__":
    main()
