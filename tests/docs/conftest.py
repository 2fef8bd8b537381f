"""Shared pieces of the docs sample test: the block extractor and the run report.

Test modules do not import each other (``--import-mode=importlib``), so the
extractor lives here and reaches the test as the ``docs_samples`` fixture and
through ``pytest_generate_tests``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PYTHON_INFO = {"python", "py", "python3", "pycon"}
#: The only markers a block may carry: an HTML comment on the line right above the fence.
MARKER = re.compile(r"^<!--\s*(not-run|run|continues)\s*(?::\s*(.*?))?\s*-->$")
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")


@dataclass(frozen=True)
class Block:
    """One fenced Python block of a docs page, with the marker above it (if any)."""

    page: str  # path relative to docs/
    line: int  # 1-based line of the opening fence
    code: str
    marker: str | None  # "not-run", "run" or "continues"
    argument: str  # the reason (not-run) or the runner (run: original)
    previous: Block | None  # the block a "continues" block extends

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def runner(self) -> str:
        """How the block runs: "" (in this process) or the ``run:`` of its chain's first block."""
        root = self.chain()[0]
        return root.argument if root.marker == "run" else ""

    def chain(self) -> list[Block]:
        """This block and the blocks it continues, oldest first."""
        blocks: list[Block] = [self]
        while blocks[0].marker == "continues":
            previous = blocks[0].previous
            if previous is None:
                raise ValueError(f"{self.id}: 'continues' with no block before it")
            blocks.insert(0, previous)
        return blocks


def extract(path: Path) -> list[Block]:
    """Every fenced block in ``path`` whose info string names Python."""
    lines = path.read_text(encoding="utf-8").splitlines()
    page = path.relative_to(DOCS).as_posix()
    blocks: list[Block] = []
    previous: Block | None = None
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match["indent"], match["fence"], match["info"].lower()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1  # the closing fence
        if info.lstrip("{.").rstrip("}") not in PYTHON_INFO:
            continue
        above = lines[start - 1].strip() if start > 0 else ""
        marker = MARKER.match(above)
        block = Block(
            page=page,
            line=start + 1,
            code="\n".join(body) + "\n",
            marker=marker[1] if marker else None,
            argument=(marker[2] or "") if marker else "",
            previous=previous,
        )
        blocks.append(block)
        previous = block
    return blocks


def all_blocks() -> list[Block]:
    return [block for path in sorted(DOCS.rglob("*.md")) for block in extract(path)]


_REPORT: dict[str, list[Block]] = {"run": [], "not-run": []}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "block" in metafunc.fixturenames:
        blocks = [b for b in all_blocks() if b.marker != "not-run"]
        _REPORT["run"] = blocks
        _REPORT["not-run"] = [b for b in all_blocks() if b.marker == "not-run"]
        original = [pytest.mark.needs_original]
        params = [
            pytest.param(b, id=b.id, marks=original if b.runner == "original" else [])
            for b in blocks
        ]
        metafunc.parametrize("block", params)


@pytest.fixture(scope="session")
def docs_samples() -> list[Block]:
    return all_blocks()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _REPORT["run"] and not _REPORT["not-run"]:
        return
    opted_out = _REPORT["not-run"]
    terminalreporter.write_line(
        f"docs samples: {len(_REPORT['run'])} executed, {len(opted_out)} opted out"
    )
    for block in opted_out:
        terminalreporter.write_line(f"  not run: {block.id}: {block.argument}")
