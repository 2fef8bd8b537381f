"""``auth-tickets`` / ``python -m auth_tickets``: issue, inspect and verify tickets by hand.

Why the secret never comes from argv: command lines are visible to every user
of the machine (``ps``) and end up in shell history. The secret is read from a
file (``--secret-file``) or an environment variable (``--secret-env``,
default ``AUTH_TICKETS_SECRET``), as text: hex, or base64 prefixed with
``base64:``. Several secrets (newest first) go on separate lines. A regular
secret file open to group or others (``mode & 0o077``) is read with a warning
on stderr, like ssh's for keys, but not refused: containers often mount
secrets 0644 (no check on Windows, which has no such modes).

``inspect`` decodes a ticket WITHOUT checking its signature and says so in
its output: it is for reading a cookie during debugging, never for trusting it.

Why all output is ASCII (``json.dumps(..., ensure_ascii=True)``): ``inspect``
prints fields of a pasted, untrusted cookie (any character at all), and
``verify`` prints user ids and user data, which may hold format characters
and line separators (only Cc controls and lone surrogates are refused by
``issue``). Printed raw, C1 controls (U+009B is CSI) can drive the
terminal, format characters (U+202E bidi override, zero-width spaces) can make
a value read as something else, and U+2028/U+2029 break lines. Escaping only
those categories (Cc, Cf, Zl, Zp, Cs) would keep ``zoë`` readable but depends
on the Unicode tables of the running Python and on every terminal agreeing;
``\\uXXXX`` for everything outside ASCII is simple, lossless (``json.loads``
gives back the exact value) and also means the output can always be encoded,
whatever ``PYTHONIOENCODING`` or locale says, so a valid ticket never exits
1 like a rejected one. Issued tickets are percent-encoded ASCII already; error
messages never quote a ticket and show the operator's own arguments only as
``repr()``, which escapes the same characters, or (a ``--secret-env`` name)
when they are plain ASCII identifiers.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import re
import stat
import sys
from typing import TYPE_CHECKING, TextIO

from .codecs.hmac import HmacCodec
from .codecs.mod_auth_tkt import ModAuthTktCodec
from .codecs.ticket_auth import TicketAuthCodec
from .errors import TicketError
from .inspection import inspect_ticket
from .signer import TicketSigner

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from .codecs.base import Codec

__all__ = ["main"]

DEFAULT_SECRET_ENV = "AUTH_TICKETS_SECRET"  # noqa: S105 - a variable name
_FORMATS: dict[str, Callable[[str], Codec]] = {
    "hmac": HmacCodec,
    "ticket_auth": TicketAuthCodec,
    "mod_auth_tkt": ModAuthTktCodec,
}
_DEFAULT_HASH = {"hmac": "sha256", "ticket_auth": "sha512", "mod_auth_tkt": "sha512"}


# A name the error message may repeat. Shorter than the 64 hex digits of the
# shortest accepted secret, and no base64: secret fits the pattern, so a secret
# pasted by mistake into --secret-env is never echoed to the terminal or a log.
_PRINTABLE_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,47}")

# Windows has no POSIX permission bits (os.fstat reports 0o666 or 0o444), so no check there.
_CHECK_FILE_MODE = os.name != "nt"


class UsageError(Exception):
    """A problem with the command line or the secret source; printed without a traceback."""


def decode_secret(line: str) -> bytes:
    """One secret from its text form: hex, or ``base64:`` followed by standard base64."""
    text = line.strip()
    try:
        if text.startswith("base64:"):
            return base64.b64decode(text[len("base64:") :], validate=True)
        return bytes.fromhex(text)
    except (ValueError, binascii.Error):
        raise UsageError("a secret is neither hex nor base64:<base64>") from None


def _warn_if_exposed(path: str, fd: int) -> None:
    """Warn (like ssh for keys) when a regular secret file is open to group or others.

    A warning, not a refusal: containers often mount secrets 0644. Only the
    path is printed, as ``repr()``; never the content. Terminals and
    ``/dev/null`` are not regular files and have modes like 0620 and 0666.
    """
    if not _CHECK_FILE_MODE:
        return
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode) and mode & 0o077:
        print(
            f"auth-tickets: warning: the secret file {path!r} is accessible by group or others"
            f" (mode {stat.S_IMODE(mode):04o}); make it private (chmod 600)",
            file=sys.stderr,
        )


def _no_secret_message(name: str) -> str:
    """The error for an unset ``--secret-env``, naming the variable only if it looks like one."""
    if _PRINTABLE_ENV_NAME.fullmatch(name):
        return f"no secret: set ${name} or pass --secret-file"
    return (
        "no secret: --secret-env takes the NAME of an environment variable; the value given"
        " is not a plain name (letters, digits, _; at most 48) and is not shown, in case it"
        " is the secret itself (if it is, it has been on the command line: replace it)"
    )


def read_secrets(args: argparse.Namespace, environ: Mapping[str, str]) -> list[bytes]:
    """The secrets named by ``--secret-file`` or ``--secret-env``, newest first."""
    if args.secret_file:
        try:
            with open(args.secret_file, encoding="ascii") as handle:
                _warn_if_exposed(args.secret_file, handle.fileno())
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the secret file: {type(exc).__name__}") from None
    else:
        text = environ.get(args.secret_env, "")
        if not text:
            raise UsageError(_no_secret_message(args.secret_env))
    secrets = [decode_secret(line) for line in text.splitlines() if line.strip()]
    if not secrets:
        raise UsageError("the secret source is empty")
    return secrets


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auth-tickets", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--format", choices=sorted(_FORMATS), default="hmac")
    common.add_argument("--hashalg", help="hash name (default: the format's default)")
    common.add_argument("--max-age", type=int, default=3600)
    common.add_argument("--client-ip")
    keyed = argparse.ArgumentParser(add_help=False)
    source = keyed.add_mutually_exclusive_group()
    source.add_argument("--secret-file", help="file with one hex (or base64:...) secret a line")
    source.add_argument("--secret-env", default=DEFAULT_SECRET_ENV, help="environment variable")
    issue = sub.add_parser("issue", parents=[common, keyed], help="print a new ticket")
    issue.add_argument("user_id")
    issue.add_argument("--token", action="append", default=[], dest="tokens")
    issue.add_argument("--user-data", default="")
    verify = sub.add_parser("verify", parents=[common, keyed], help="verify a ticket")
    verify.add_argument("ticket")
    inspect = sub.add_parser("inspect", help="decode a ticket WITHOUT verifying it")
    inspect.add_argument("ticket")
    return parser


def _signer(args: argparse.Namespace, environ: Mapping[str, str]) -> TicketSigner:
    codec = _FORMATS[args.format](args.hashalg or _DEFAULT_HASH[args.format])
    return TicketSigner(read_secrets(args, environ), max_age=args.max_age, codec=codec)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run the command line; returns the exit status (0 ok, 1 rejected ticket, 2 usage)."""
    out = sys.stdout if stdout is None else stdout
    env = os.environ if environ is None else environ
    args = _build_parser().parse_args(argv)
    try:
        if args.command == "inspect":
            print(json.dumps(inspect_ticket(args.ticket), indent=2, ensure_ascii=True), file=out)
            return 0
        signer = _signer(args, env)
        if args.command == "issue":
            print(signer.issue(args.user_id, args.tokens, args.user_data, args.client_ip), file=out)
            return 0
        info = signer.verify(args.ticket, client_ip=args.client_ip)
    except TicketError as exc:
        print(f"REJECTED: {exc}", file=out)
        return 1
    except (UsageError, TypeError, ValueError) as exc:
        print(f"auth-tickets: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"verified": True, **info._asdict()}, indent=2, ensure_ascii=True), file=out)
    return 0
