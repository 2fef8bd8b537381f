"""The README's examples run: the WSGI example and the usage snippets."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_wsgi_example_runs_and_its_assertions_hold() -> None:
    text = README.read_text(encoding="utf-8")
    marker = text.index("<!-- example: wsgi -->")
    code = BLOCK.search(text, marker)
    assert code is not None
    namespace: dict[str, object] = {"__name__": "readme_wsgi"}
    exec(compile(code.group(1), "README.md:wsgi", "exec"), namespace)
    call = namespace["call"]
    assert callable(call)
    assert call("POST", "bob")[0] == "403 Forbidden"  # the example really ran


def test_every_python_block_of_the_readme_runs() -> None:
    found = blocks()
    assert len(found) >= 4
    for index, code in enumerate(found):
        exec(compile(code, f"README.md:block{index}", "exec"), {"__name__": f"readme{index}"})
