"""``python -m aiohttp_auth_examples``: run one of the example apps.

python -m aiohttp_auth_examples                       # getting-started, 127.0.0.1:8080
python -m aiohttp_auth_examples --app session --port 8081
python -m aiohttp_auth_examples --app tree --host ::1
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from . import getting_started, resource_tree, session_app
from .secret import SECRET_ENV, load_secret

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["APPS", "build_parser", "main"]

APPS: dict[str, Callable[[bytes], web.Application]] = {
    "getting-started": getting_started.create_app,
    "session": session_app.create_app,
    "tree": resource_tree.create_app,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aiohttp-auth-examples",
        description=f"Run an aiohttp_auth example app. The secret comes from ${SECRET_ENV} (hex).",
    )
    parser.add_argument("--app", choices=sorted(APPS), default="getting-started")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = APPS[args.app](load_secret())
    print(f"{args.app} example on http://{args.host}:{args.port}/  (Ctrl-C stops it)", flush=True)
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
