"""SECURITY A16: the atheris harness runs cleanly for a bounded number of inputs.

A smoke run (a few seconds), not the fuzzing campaign: that is
``python packages/tickets/fuzz/fuzz_tickets.py -max_total_time=60`` in CI.
Needs atheris (hatch's ``tickets`` and ``dev`` environments have it); where
it is not installed (tox cells on Pythons atheris has no wheel for) the test
is deselected by its ``needs_atheris`` marker rather than skipped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).parents[1] / "fuzz" / "fuzz_tickets.py"


@pytest.mark.needs_atheris
def test_A16_fuzz_harness_smoke_run(tmp_path):
    done = subprocess.run(
        [sys.executable, str(HARNESS), "-runs=3000", "-seed=1", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Done 3000 runs" in done.stderr
