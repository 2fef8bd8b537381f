"""acl-permissions is pure: importing it loads only the standard library."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
before = set(sys.modules)
import acl_permissions
loaded = sorted(set(sys.modules) - before)
print(json.dumps({"loaded": loaded, "stdlib": sorted(sys.stdlib_module_names)}))
"""


def test_importing_loads_no_third_party_module() -> None:
    out = subprocess.run(
        [sys.executable, "-I", "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    report = json.loads(out.stdout)
    tops = {name.split(".")[0] for name in report["loaded"]}
    assert "acl_permissions" in tops
    foreign = tops - set(report["stdlib"]) - {"acl_permissions"}
    assert foreign == set(), foreign
