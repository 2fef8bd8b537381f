"""Put the original aiohttp_auth_autz 0.2.2 in .hatch/original, once.

It shares our import name, so it cannot live in the same environment as
ours: the differential tests and the benchmark run it in a subprocess with
``PYTHONPATH=.hatch/original``.  Installing it is a pip download, so it is
done here (by hatch's scripts and tox's commands_pre), never by a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / ".hatch" / "original"
REQUIREMENT = "aiohttp-auth-autz==0.2.2"


def main() -> None:
    if (TARGET / "aiohttp_auth" / "__init__.py").is_file():
        return
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--upgrade"]
    subprocess.run([*pip, "--target", str(TARGET), REQUIREMENT], check=True)


if __name__ == "__main__":
    main()
