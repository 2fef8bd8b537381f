"""The seed app, run unchanged on our package, replays ``expected_transcript.md``.

The transcript is parsed from the shared file (not copied here), so the test
follows the document.  The app runs as a subprocess on a free 127.0.0.1 port,
exactly as a user would start it (``PORT`` environment variable).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(GET|POST)\s+(\S+)\s*\|\s*(\d{3})\s*\|([^|]*)\|([^|]*)\|\s*$")


def parse_transcript(path: Path) -> list[tuple[str, str, int, str | None, bool]]:
    """Rows as ``(method, path, status, body or None, auth cookie in the jar after)``."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        _, method, target, status, body, cookie = match.groups()
        body_match = re.search(r"`([^`]*)`", body)
        has_cookie = cookie.strip().startswith("AUTH_TKT")
        rows.append(
            (method, target, int(status), body_match.group(1) if body_match else None, has_cookie)
        )
    return rows


async def test_seed_app_replays_the_expected_transcript(
    shared_dir: Path, app_runner: Any, replay: Any
) -> None:
    rows = parse_transcript(shared_dir / "seed" / "expected_transcript.md")
    assert len(rows) == 20
    app = app_runner.start(shared_dir / "seed" / "getting_started_app.py")
    results = await replay(app.base_url, [(method, target) for method, target, *_ in rows])
    for number, (row, result) in enumerate(zip(rows, results, strict=True), start=1):
        method, target, status, body, has_cookie = row
        got_status, got_body, got_cookie = result
        where = f"#{number} {method} {target}"
        assert got_status == status, where
        if body is not None:
            assert got_body == body, where
        assert got_cookie is has_cookie, where
