"""Every fenced Python block in docs/**/*.md runs, so the docs cannot drift from the code.

A block runs in a fresh namespace in this process (warnings are errors, as in
every test) unless the HTML comment on the line right above its fence says
otherwise:

* ``<!-- continues -->``: run after the block before it on the same page, in
  one namespace (a page that builds an example up step by step);
* ``<!-- run: subprocess -->``: in a fresh interpreter of this environment,
  still with warnings as errors (for code that must own its process);
* ``<!-- run: peer -->``: in a fresh interpreter with warnings as errors
  except ``DeprecationWarning`` and aiohttp's typed-key advice: for "before"
  code on a peer library (Pyramid imports the ``cgi`` module, deprecated
  since Python 3.11; aiohttp-session and aiohttp-security use string keys);
* ``<!-- run: original -->``: in a fresh interpreter against the ORIGINAL
  ``aiohttp_auth_autz`` 0.2.2 (``PYTHONPATH=.hatch/original``, put there by
  ``scripts/ensure_original.py``): the "before" half of a migration guide.
  Its own deprecation warnings are not ours, so they are ignored there;
* ``<!-- not-run: reason -->``: not run at all. The reason is required, and
  the terminal summary lists every such block with its reason.

Only 127.0.0.1 is used by the samples (aiohttp's test server binds there).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORIGINAL = os.path.join(REPO, ".hatch", "original")
RUNNERS = {"", "subprocess", "peer", "original"}
TIMEOUT = 120

# aiohttp-session (a dependency of the session samples, not our code) stores its
# session under a plain string request key; the other session tests ignore
# exactly this message too.
pytestmark = pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)


def _source(block) -> str:
    return "\n".join(b.code for b in block.chain())


def test_sample_runs(block) -> None:
    runner = block.runner
    assert runner in RUNNERS, f"{block.id}: unknown runner {runner!r}"
    source = _source(block)
    if runner == "":
        code = compile(source, f"<docs/{block.id}>", "exec")
        exec(code, {"__name__": "__docs_sample__"})  # our own docs
        return
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONWARNINGS")}
    flags = ["-W", "error"]
    if runner == "peer":
        # and aiohttp's advice to use typed keys, which aiohttp-session/-security do not
        flags += ["-W", "ignore::DeprecationWarning", "-W", "ignore:It is recommended to use web."]
        # Pyramid imports pkg_resources, which current setuptools deprecate (as pytest.ini)
        flags += ["-W", "ignore:pkg_resources is deprecated as an API:UserWarning"]
    if runner == "original":
        if not os.path.isfile(os.path.join(ORIGINAL, "aiohttp_auth", "__init__.py")):
            pytest.fail("the original library is missing: run python scripts/ensure_original.py")
        env["PYTHONPATH"] = ORIGINAL
        flags = ["-W", "ignore"]
        # the "before" must really run against the original, not against ours
        check = f"import aiohttp_auth\nassert aiohttp_auth.__file__.startswith({ORIGINAL!r})\n"
        source = check + source
    result = subprocess.run(
        [sys.executable, *flags, "-c", source],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"docs/{block.id} failed ({runner}):\n{textwrap.indent(result.stderr[-4000:], '  ')}"
    )


def test_markers_are_well_formed(docs_samples) -> None:
    """Opt-outs say why; runners are known; a continuation has something to continue."""
    assert docs_samples, "no Python blocks found under docs/"
    for block in docs_samples:
        if block.marker == "not-run":
            assert block.argument.strip(), f"{block.id}: not-run needs a reason"
        if block.marker == "run":
            assert block.argument in RUNNERS - {""}, f"{block.id}: unknown runner"
        if block.marker == "continues":
            assert block.previous is not None, f"{block.id}: nothing to continue"
            assert block.previous.marker != "not-run", f"{block.id}: continues a skipped block"


def test_opt_outs_stay_rare(docs_samples) -> None:
    """Opting out is for what cannot run here (a real deployment); keep it under 10%."""
    skipped = [b for b in docs_samples if b.marker == "not-run"]
    assert len(skipped) * 10 <= len(docs_samples), [b.id for b in skipped]
