"""``python -m aiohttp_auth_examples``: run one of the example apps.

python -m aiohttp_auth_examples                       # getting-started, 127.0.0.1:8080
python -m aiohttp_auth_examples --app session --port 8081
python -m aiohttp_auth_examples --app tree --host ::1
python -m aiohttp_auth_examples --workers 4 --redis redis://127.0.0.1:6379/0
python -m aiohttp_auth_examples --app session --workers 4 --redis redis://127.0.0.1:6379/0

Without ``--redis`` and ``--workers`` everything is as it always was: one
process, state in memory.  ``--redis`` moves revocation (and, for the
session app, the sessions) into Redis; ``--workers N`` runs N processes on
one shared socket (:mod:`.workers`).
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
from typing import TYPE_CHECKING

from aiohttp import web

from aiohttp_auth import auth

from . import getting_started, redis_backed, resource_tree, session_app, workers
from .secret import SECRET_ENV, load_secrets

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["APPS", "build_parser", "main"]

_log = logging.getLogger("aiohttp_auth_examples")

#: ``name -> create_app(secret, *, max_age=60, ...)``
APPS: dict[str, Callable[..., web.Application]] = {
    "getting-started": getting_started.create_app,
    "session": session_app.create_app,
    "tree": resource_tree.create_app,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aiohttp-auth-examples",
        description=(
            f"Run an aiohttp_auth example app. The secret comes from ${SECRET_ENV} "
            "(hex; during a key rotation a comma-separated list, newest first)."
        ),
    )
    parser.add_argument("--app", choices=sorted(APPS), default="getting-started")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes sharing the port (default 1)"
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="keep revocations (and sessions of --app session) in Redis, "
        "e.g. redis://127.0.0.1:6379/0",
    )
    parser.add_argument(
        "--max-age", type=int, default=60, help="seconds a login ticket is valid (default 60)"
    )
    parser.add_argument("--worker-fd", type=int, help=argparse.SUPPRESS)  # set by the supervisor
    return parser


def _check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    if args.redis and args.app not in redis_backed.REDIS_APPS:
        parser.error(f"--redis works with --app {' or '.join(redis_backed.REDIS_APPS)}")
    if args.workers > 1 and args.app == "tree":
        parser.error("--app tree keeps its documents in memory: it runs as one worker only")
    if args.workers > 1 and args.app == "session" and not args.redis:
        parser.error("--app session with --workers needs --redis: sessions must be shared")


def _build_app(args: argparse.Namespace, secrets: list[bytes]) -> web.Application:
    secret: bytes | list[bytes] = secrets[0] if len(secrets) == 1 else secrets
    if args.redis:
        return redis_backed.create_app(args.app, secret, args.redis, max_age=args.max_age)
    return APPS[args.app](secret, max_age=args.max_age)


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    _check(parser, args)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    secrets = load_secrets()
    try:  # a weak secret or a bad --max-age: one message, before any worker starts
        auth.CookieTktAuthentication(secrets, args.max_age)
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    if args.worker_fd is not None:  # a worker started by the supervisor below
        sock = socket.socket(fileno=args.worker_fd)
        # the worker's pid in every access log line: which worker served what
        access = '%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i" worker=%P'
        web.run_app(
            _build_app(args, secrets),
            sock=sock,
            access_log_format=access,
            print=lambda _: _log.info("worker %d accepting connections", os.getpid()),
        )
        return
    if args.workers == 1:
        app = _build_app(args, secrets)
        print(
            f"{args.app} example on http://{args.host}:{args.port}/  (Ctrl-C stops it)", flush=True
        )
        web.run_app(app, host=args.host, port=args.port, print=None)
        return
    # Several workers: one secret list for all of them, even a generated one.
    env = {**os.environ, SECRET_ENV: ",".join(secret.hex() for secret in secrets)}
    sock = workers.bind(args.host, args.port)
    port = sock.getsockname()[1]
    worker_argv = ["--app", args.app, "--max-age", str(args.max_age)]
    if args.redis:
        worker_argv += ["--redis", args.redis]
    print(
        f"{args.app} example on http://{args.host}:{port}/ with {args.workers} workers"
        f"{' sharing ' + args.redis if args.redis else ''}  (Ctrl-C stops it)",
        flush=True,
    )
    raise SystemExit(workers.supervise(worker_argv, sock, args.workers, env))


if __name__ == "__main__":
    main()
