"""SECURITY.md's promise table cannot rot: every test it names must exist, every promise has one.

The table at the repository root maps each of the 15 promises to tests as
``path::test_name``.  This reads it the way a user would and checks that the
file exists and defines that test (a rename or a deletion fails here), that
all 15 promises are present, and that each names at least one whole-stack
test under ``tests/`` besides any unit tests, because a promise made to users
is about the stack they run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\|\s*(\d+)\s*\|(.*?)\|(.*)\|\s*$")
REF = re.compile(r"`([\w./-]+\.py)::(test_\w+)`")


def promise_rows() -> dict[int, list[tuple[str, str]]]:
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    section = text.split("## Promises and the tests that prove them", 1)[1].split("\n## ", 1)[0]
    rows: dict[int, list[tuple[str, str]]] = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows[int(match.group(1))] = REF.findall(match.group(3))
    return rows


def test_the_table_has_all_15_promises_each_with_a_whole_stack_test():
    rows = promise_rows()
    assert sorted(rows) == list(range(1, 16))
    for number, refs in rows.items():
        assert len(refs) >= 2, f"promise {number} names fewer than two tests"
        assert any(path.startswith("tests/") for path, _ in refs), (
            f"promise {number}: no stack test"
        )


@pytest.mark.parametrize(
    ("path", "name"),
    sorted({ref for refs in promise_rows().values() for ref in refs}),
    ids=lambda value: value,
)
def test_every_test_named_in_security_md_exists(path, name):
    source = REPO / path
    assert source.is_file(), f"SECURITY.md names a missing file: {path}"
    assert re.search(rf"^\s*(async\s+)?def {name}\(", source.read_text(encoding="utf-8"), re.M), (
        f"SECURITY.md names {path}::{name}, which is not defined there"
    )
