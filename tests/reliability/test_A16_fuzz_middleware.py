"""SECURITY A16 at the HTTP level: the middleware's atheris harness runs clean for a bounded run.

A smoke run of ``packages/aiohttp-middleware/fuzz/fuzz_middleware.py`` (whole
requests with fuzzed Cookie, Authorization and X-Forwarded-For bytes through
aiohttp's parser and our middleware), not the campaign: CI runs that with
``-max_total_time=60``.  The harness fails on any 5xx, any exception in a
request, a record of ours above INFO, or a ticket in a log line; this test
proves it runs, ends by itself and exits 0.  Deselected by ``needs_atheris``
where atheris has no wheel.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = (
    Path(__file__).parents[2] / "packages" / "aiohttp-middleware" / "fuzz" / "fuzz_middleware.py"
)


@pytest.mark.needs_atheris
def test_A16_middleware_fuzz_harness_smoke_run(tmp_path):
    done = subprocess.run(
        [sys.executable, str(HARNESS), "-runs=2000", "-seed=1", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 2000 runs" in done.stderr
