"""The original getting-started app, run unchanged, behaves as the transcript says.

These are the strongest compatibility tests we have: the seed file is code
written for the original ``aiohttp_auth_autz``; it runs here as a separate
process against our package, over TCP, and a cookie-keeping client replays
the 20 requests that were recorded against the original library.  The same
transcript is then replayed against the examples package's module, started
the two ways the README documents.
"""

from __future__ import annotations

import secrets
import shutil
import sys
from pathlib import Path


async def test_seed_file_runs_unchanged_and_follows_the_transcript(
    run_server, replayer, transcript, seed_app
):
    server = run_server([str(seed_app)])
    await replayer(server.base_url, transcript)


async def test_example_module_follows_the_transcript(run_server, replayer, transcript):
    server = run_server(
        ["-m", "aiohttp_auth_examples", "--port", "{port}"],
        env={"AIOHTTP_AUTH_SECRET": secrets.token_hex(32)},
    )
    await replayer(server.base_url, transcript)


async def test_console_script_follows_the_transcript(run_server, replayer, transcript):
    script = shutil.which("aiohttp-auth-examples", path=str(Path(sys.executable).parent))
    assert script is not None, "the aiohttp-auth-examples console script is not installed"
    # run the script's own file with this interpreter: it is a Python launcher
    server = run_server([script, "--port", "{port}"])
    await replayer(server.base_url, transcript)
