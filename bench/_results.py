"""Where a benchmark's results go besides the terminal: a JSON file and a chart.

One place for the three benchmark scripts' ``--json PATH`` and ``--chart
DIR`` options.  matplotlib is imported only when a chart is asked for, so
the benchmarks run without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def save(
    data: dict[str, Any],
    chart: str,
    json_path: str | Path | None,
    chart_dir: Path | None,
    *,
    indent: int | None = 2,
) -> None:
    """Write ``data`` as JSON to ``json_path`` and draw chart ``chart`` into ``chart_dir``."""
    if json_path:
        Path(json_path).write_text(json.dumps(data, indent=indent), encoding="utf-8")
    if chart_dir:
        import charts

        print(f"chart: {charts.CHARTS[chart](data, chart_dir)}")
