"""Charts for the docs from the JSON the benchmark scripts write.

Each benchmark script draws its own chart when given ``--chart DIR``
(``python bench/bench_acl.py --chart docs/img``); this script redraws them
from saved JSON, without measuring again:

    python bench/bench_tickets.py --json /tmp/tickets.json
    python bench/bench_acl.py --json /tmp/acl.json
    python bench/http_bench.py --json /tmp/http.json
    python bench/charts.py --tickets /tmp/tickets.json --acl /tmp/acl.json \\
        --http /tmp/http.json --out docs/img

Writes ``tickets.png`` (verify and issue cost per implementation as a
multiple of the bare-HMAC floor), ``acl.png`` (microseconds per check
against ACL size, log-log: flat for compiled lookups, linear for scans) and
``http.png`` (requests/s and server CPU per request relative to bare
aiohttp).  Each chart carries the machine and versions under it: the ones
the benchmark recorded, or for the HTTP benchmark (whose JSON has none) the
environment this script runs in, labelled as such.  Any input may be left
out; only its chart is skipped.  Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # after the backend is chosen

REPO = Path(__file__).resolve().parents[1]
OURS, PEER, FLOOR = "#3b5bdb", "#adb5bd", "#2b8a3e"

# (label, verify case, issue case, ours?) in the order drawn, top to bottom
TICKET_ROWS = [
    ("auth-tickets HmacCodec (default)", "HmacCodec verify", "HmacCodec issue", True),
    ("auth-tickets TicketAuthCodec", "TicketAuthCodec verify", "TicketAuthCodec issue", True),
    ("auth-tickets ModAuthTktCodec", "ModAuthTktCodec verify", "ModAuthTktCodec issue", True),
    ("ticket-auth 0.1.4", "ticket-auth 0.1.4 validate", "ticket-auth 0.1.4 new", False),
    ("pyramid AuthTicket", "pyramid parse_ticket", "pyramid AuthTicket().cookie_value", False),
    (
        "itsdangerous TimestampSigner",
        "itsdangerous TimestampSigner.unsign",
        "itsdangerous TimestampSigner.sign",
        False,
    ),
]
ACL_LINES = [  # (column, label, colour, style)
    ("check", "acl-permissions CompiledACL.check", OURS, "-"),
    ("permits", "acl-permissions permits(compiled)", OURS, "--"),
    ("row floor", "floor: hand-precompiled dict lookup (row floor)", FLOOR, ":"),
    ("original", "aiohttp_auth_autz 0.2.2", "#e8590c", "-"),
    ("pyramid", "pyramid ACLHelper", "#862e9c", "-"),
    ("casbin", "casbin enforcer", "#868e96", "-"),
]
HTTP_LABELS = {
    "bare": "bare aiohttp (no auth)",
    "floor": "floor: bare HMAC + dict lookup",
    "ours": "aiohttp_auth (this project)",
    "original": "aiohttp_auth_autz 0.2.2",
    "security-session": "aiohttp-security + encrypted session",
    "security-jwt": "aiohttp-security + JWT",
}


def _case(results: dict[str, float], suffix: str) -> float:
    """The timing whose case name ends with ``suffix`` (names carry a package prefix)."""
    (value,) = [v for name, v in results.items() if name.endswith(suffix)]
    return value


def _micros(value: float) -> str:
    return f"{value:,.0f} µs" if value >= 100 else f"{value:.3g} µs"


def _footer(fig: Any, *lines: str) -> None:
    """Machine, versions and method under the chart, wrapped to the figure's width."""
    width = int(fig.get_figwidth() * 17)  # characters of 8-point text per inch, roughly
    wrapped = [part for line in lines for part in textwrap.wrap(line, width)]
    fig.text(0.01, 0.01, "\n".join(wrapped), fontsize=8, color="#495057", va="bottom")


def tickets_chart(data: dict[str, Any], out: Path) -> Path:
    results = data["us_per_op"]
    floor = results[data["floor"]]
    labels = [row[0] for row in TICKET_ROWS]
    verify = [_case(results, row[1]) / floor for row in TICKET_ROWS]
    issue = [_case(results, row[2]) / floor for row in TICKET_ROWS]
    fig, ax = plt.subplots(figsize=(9, 5.2))
    y = range(len(labels))
    height = 0.38
    for i, row in enumerate(TICKET_ROWS):
        colour = OURS if row[3] else PEER
        ax.barh(i - height / 2, verify[i], height, color=colour)
        ax.barh(i + height / 2, issue[i], height, color=colour, alpha=0.45)
        ax.text(
            verify[i] + 0.05, i - height / 2, f"verify {verify[i]:.2f}x", va="center", fontsize=8
        )
        ax.text(issue[i] + 0.05, i + height / 2, f"issue {issue[i]:.2f}x", va="center", fontsize=8)
    ax.axvline(1.0, color=FLOOR, linewidth=1.5, label=f"HMAC floor = 1 ({floor:.2f} µs)")
    ax.axvline(1.5, color=FLOOR, linewidth=1, linestyle="--", label="target: 1.5x the floor")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(verify + issue) * 1.25)
    ax.set_xlabel("cost per call as a multiple of hmac.new() + compare_digest (lower is better)")
    ax.set_title("Tickets: verify (solid) and issue (light) cost relative to the HMAC floor")
    fig.subplots_adjust(left=0.3, bottom=0.2, right=0.97)
    _footer(
        fig,
        data["environment"],
        f"bench/bench_tickets.py: median of {data['rounds']} interleaved rounds "
        f"x {data['number']} calls per case",
    )
    return _save(fig, out / "tickets.png")


def acl_chart(data: dict[str, Any], out: Path, groups: int = 3, decider: str = "late") -> Path:
    rows = sorted(
        (r for r in data["rows"] if r["groups"] == groups and r["decider"] == decider),
        key=lambda r: r["entries"],
    )
    sizes = [r["entries"] for r in rows]
    fig, ax = plt.subplots(figsize=(9, 5.6))
    for column, name, colour, style in ACL_LINES:
        values = [r[column] for r in rows]
        label = f"{name}: {_micros(values[-1])} at {sizes[-1]:,}"
        ax.plot(sizes, values, style, marker="o", color=colour, label=label, linewidth=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [f"{s:,}" for s in sizes])
    ax.set_xlim(sizes[0] / 1.5, sizes[-1] * 1.5)
    ax.set_xlabel("entries in the ACL (the deciding entry is the last one)")
    ax.set_ylabel("µs per check (log scale, lower is better)")
    ax.set_title(
        f"ACL checks: a compiled ACL stays flat, scans grow linearly ({groups} groups per user)"
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.subplots_adjust(bottom=0.2, right=0.97)
    _footer(
        fig,
        data["environment"] + f"; original: {data.get('original', '?')}",
        "bench/bench_acl.py: best of 5 repeats per cell",
    )
    return _save(fig, out / "acl.png")


def _http_environment() -> str:
    dists = ["aiohttp", "aiohttp-auth-middleware", "aiohttp-security", "aiohttp-session", "pyjwt"]
    versions = []
    for dist in dists:
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    original = REPO / ".hatch" / "original"
    versions += [
        p.name.removesuffix(".dist-info").replace("_", "-").replace("-0", " 0", 1)
        for p in original.glob("aiohttp_auth_autz-*.dist-info")
    ]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"CPython {platform.python_version()}; " + ", ".join(versions)
    )


def http_chart(data: dict[str, Any], out: Path) -> Path:
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    kinds = [k for k in HTTP_LABELS if k in data]
    bare_rps, bare_cpu = median(data["bare"]["rps"]), median(data["bare"]["cpu_us"])
    rps = [median(data[k]["rps"]) / bare_rps for k in kinds]
    cpu = [median(data[k]["cpu_us"]) / bare_cpu for k in kinds]
    colours = [FLOOR if k in ("bare", "floor") else OURS if k == "ours" else PEER for k in kinds]
    labels = [HTTP_LABELS[k] for k in kinds]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
    left.barh(labels, rps, color=colours)
    right.barh(labels, cpu, color=colours)
    for i, (r, c) in enumerate(zip(rps, cpu, strict=True)):
        left.text(r + 0.01, i, f"{r:.2f}", va="center", fontsize=8)
        right.text(c + 0.03, i, f"{c:.2f}", va="center", fontsize=8)
    left.set_xlim(0, 1.15)
    right.set_xlim(0, max(cpu) * 1.2)
    left.set_title("requests/s relative to bare aiohttp\n(higher is better)", fontsize=10)
    right.set_title("server CPU per request relative to bare\n(lower is better)", fontsize=10)
    left.invert_yaxis()
    fig.suptitle("HTTP: the getting-started request path (GET /view, logged in) under wrk")
    fig.subplots_adjust(left=0.3, bottom=0.25, top=0.82, right=0.97, wspace=0.08)
    rounds = len(data["bare"]["rps"])
    _footer(
        fig,
        _http_environment() + " (as installed where the chart was drawn)",
        f"bench/http_bench.py: medians of {rounds} round(s); server pinned to one core, "
        "wrk to the other; bare aiohttp = "
        f"{bare_rps:,.0f} req/s, {bare_cpu:.0f} µs CPU per request",
    )
    return _save(fig, out / "http.png")


def _save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


CHARTS = {"tickets": tickets_chart, "acl": acl_chart, "http": http_chart}
"""Chart name (as in ``--tickets`` / ``--acl`` / ``--http``) -> drawing function."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=Path, help="JSON of bench_tickets.py --json")
    parser.add_argument("--acl", type=Path, help="JSON of bench_acl.py --json")
    parser.add_argument("--http", type=Path, help="JSON of http_bench.py --json")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = parser.parse_args()
    for name, draw in CHARTS.items():
        source = getattr(args, name)
        if source is not None:
            print(draw(json.loads(source.read_text(encoding="utf-8")), args.out))


if __name__ == "__main__":
    main()
