"""The ``auth-tickets`` command line: issue, inspect (UNVERIFIED) and verify."""

from __future__ import annotations

import base64
import datetime
import io
import json
import os
import subprocess
import sys

import pytest

from auth_tickets import TicketSigner, generate_secret
from auth_tickets.cli import main


@pytest.fixture
def key():
    return generate_secret()


def run(argv, environ, capsys=None):
    out = io.StringIO()
    status = main(argv, stdout=out, environ=environ)
    return status, out.getvalue()


def test_issue_then_verify_with_the_secret_in_the_environment(key):
    env = {"AUTH_TICKETS_SECRET": key.hex()}
    status, ticket = run(["issue", "alice", "--token", "editor", "--user-data", "x y"], env)
    assert status == 0
    assert TicketSigner(key).verify(ticket.strip()).tokens == ("editor",)
    status, out = run(["verify", ticket.strip()], env)
    assert status == 0
    result = json.loads(out)
    assert result["verified"] is True
    assert (result["user_id"], result["user_data"]) == ("alice", "x y")


def test_secret_file_with_rotation_and_base64(tmp_path, key):
    old = generate_secret()
    path = tmp_path / "secrets.txt"
    path.write_text(f"{key.hex()}\n\nbase64:{base64.b64encode(old).decode()}\n")
    ticket = TicketSigner(old).issue("bob")
    status, out = run(["verify", "--secret-file", str(path), ticket], {})
    assert status == 0
    assert json.loads(out)["needs_reissue"] is True


def test_named_environment_variable_and_other_formats(key):
    env = {"MY_KEY": key.hex()}
    for fmt in ("ticket_auth", "mod_auth_tkt", "hmac"):
        status, ticket = run(
            ["issue", "--secret-env", "MY_KEY", "--format", fmt, "--client-ip", "::1", "carol"], env
        )
        assert status == 0
        status, out = run(
            [
                "verify",
                "--secret-env",
                "MY_KEY",
                "--format",
                fmt,
                "--client-ip",
                "::1",
                ticket.strip(),
            ],
            env,
        )
        assert (status, json.loads(out)["codec"]) == (0, fmt)


def test_rejected_ticket_exits_1_without_echoing_it(key):
    env = {"AUTH_TICKETS_SECRET": key.hex()}
    forged = TicketSigner(generate_secret()).issue("alice")
    status, out = run(["verify", forged], env)
    assert status == 1
    assert out.startswith("REJECTED")
    assert forged not in out


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        (["issue", "alice"], {}, "no secret"),
        (["issue", "alice"], {"AUTH_TICKETS_SECRET": "not hex"}, "neither hex"),
        (["issue", "alice"], {"AUTH_TICKETS_SECRET": "base64:@@@"}, "neither hex"),
        (["issue", "alice"], {"AUTH_TICKETS_SECRET": "\n \n"}, "empty"),
        (["issue", "alice"], {"AUTH_TICKETS_SECRET": "00" * 8}, "at least 32"),
        (["issue", "--secret-file", "/nonexistent/x", "alice"], {}, "cannot read"),
        (["issue", ""], {"AUTH_TICKETS_SECRET": generate_secret().hex()}, "empty"),
    ],
)
def test_usage_errors_exit_2_with_a_message(capsys, argv, environ, message):
    status, _ = run(argv, environ)
    assert status == 2
    assert message in capsys.readouterr().err


def test_the_secret_is_never_an_argument():
    with pytest.raises(SystemExit):
        main(["issue", "--secret", "00" * 32, "alice"], stdout=io.StringIO(), environ={})


def test_inspect_is_labelled_unverified(key):
    ticket = TicketSigner(key).issue("alice", tokens=("editor",), client_ip="10.0.0.1")
    status, out = run(["inspect", ticket], {})
    result = json.loads(out)
    assert status == 0
    assert result["verified"] is False
    assert "UNVERIFIED" in result["warning"]
    assert (result["format"], result["user_id"], result["tokens"]) == ("hmac", "alice", ["editor"])
    assert result["client_ip"] == "10.0.0.1"
    assert result["login_id"] == TicketSigner(key).verify(ticket, client_ip="10.0.0.1").login_id


@pytest.mark.parametrize(
    ("ticket", "fmt"),
    [
        ("0" * 128 + "69290e10" + "alice!editor,x!data", "ticket_auth or mod_auth_tkt"),
        ("0" * 32 + "69290e10" + "alice!data", "ticket_auth or mod_auth_tkt"),
        ("v1!1!2!!a!b", "unrecognised"),
        ("v1!x!2!L0g1n-1d_AbC!!a!!!mac", "unrecognised"),
        ("v1!99999999999999999999!1!!a!!!m", "unrecognised"),  # eight parts: the old layout
        ("\udcff", "unrecognised"),
        ("v1!99999999999999999999!1!L0g1n-1d_AbC!!a!!!m", "hmac"),
    ],
)
def test_inspect_guesses_formats_and_never_raises(ticket, fmt):
    from auth_tickets.inspection import inspect_ticket

    result = inspect_ticket(ticket)
    assert result["verified"] is False
    assert str(result["format"]).startswith(fmt)


def test_inspect_shows_legacy_fields():
    from auth_tickets.inspection import inspect_ticket

    result = inspect_ticket("0" * 128 + "69290e10" + "bob%20b!a,b!x%2Fy")
    assert (result["user_id"], result["tokens"], result["user_data"]) == (
        "bob b",
        ["a", "b"],
        "x/y",
    )
    stamp = datetime.datetime.fromtimestamp(0x69290E10, tz=datetime.timezone.utc)
    assert (result["timestamp"], result["timestamp_utc"]) == (0x69290E10, stamp.isoformat())
    hmac_ticket = "v1!99999999999999999999!1!L0g1n-1d_AbC!!a!!!m"
    assert inspect_ticket(hmac_ticket)["valid_until_utc"] == "out of range"


def test_module_entry_point_runs_in_a_subprocess(key):
    env = {**os.environ, "AUTH_TICKETS_SECRET": key.hex()}
    done = subprocess.run(
        [sys.executable, "-m", "auth_tickets", "issue", "dave"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert TicketSigner(key).verify(done.stdout.strip()).user_id == "dave"
    assert key.hex() not in done.stdout + done.stderr


# Characters a terminal may act on or that change how text reads: C0/C1 controls
# (ESC, CSI U+009B, OSC U+009D, ST U+009C), format characters (bidi override
# U+202E, zero-width space U+200B), line/paragraph separators and a lone surrogate
# (an undecodable argv byte).
_HOSTILE = "\x1b[31m\x9b2J\x9d0;PWNED\x9c\u202egpj.exe\u200b\u2028\u2029\udcff"


def _terminal_safe(out):
    return out.isascii() and all(ch == "\n" or ch.isprintable() for ch in out)


def test_inspect_escapes_control_format_and_separator_characters():
    from urllib.parse import quote

    field = quote(_HOSTILE[:-1], safe="") + "%FF"  # %FF decodes to U+FFFD, not a surrogate
    for ticket in (f"v1!1!1!A!!{field}!!{field}!x", f"v1!1!1!A!!{_HOSTILE}!!!x"):
        status, out = run(["inspect", ticket], {})
        assert status == 0
        assert _terminal_safe(out), ascii(out)
        result = json.loads(out)
        assert result["verified"] is False
        assert result["user_id"].startswith(_HOSTILE[:-1])  # escaped, not lost


def test_verify_output_escapes_format_and_non_ascii_characters(key):
    env = {"AUTH_TICKETS_SECRET": key.hex()}
    user_id = "zo\u00eb\u202egpj.exe\u200b\u2028x"  # issue refuses only Cc and Cs
    ticket = TicketSigner(key).issue(user_id, user_data="\u2029\u00e9")
    status, out = run(["verify", ticket], env)
    assert status == 0
    assert _terminal_safe(out), ascii(out)
    assert (json.loads(out)["user_id"], json.loads(out)["user_data"]) == (user_id, "\u2029\u00e9")


@pytest.mark.parametrize("fmt", ["hmac", "ticket_auth", "mod_auth_tkt"])
def test_issue_prints_only_printable_ascii(key, fmt):
    env = {"AUTH_TICKETS_SECRET": key.hex()}
    status, out = run(["issue", "--format", fmt, "zo\u00eb\u202egpj.exe\u2028"], env)
    assert status == 0
    assert _terminal_safe(out), ascii(out)


def test_verified_non_ascii_user_id_exits_0_on_an_ascii_only_stdout(key):
    ticket = TicketSigner(key).issue("zo\u00eb")
    stream = io.BytesIO()
    stdout = io.TextIOWrapper(stream, encoding="ascii", errors="strict")
    status = main(["verify", ticket], stdout=stdout, environ={"AUTH_TICKETS_SECRET": key.hex()})
    stdout.flush()
    assert status == 0
    assert json.loads(stream.getvalue().decode("ascii"))["user_id"] == "zo\u00eb"
    env = {**os.environ, "AUTH_TICKETS_SECRET": key.hex(), "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "auth_tickets", "verify", ticket],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout.decode("ascii"))["user_id"] == "zo\u00eb"


@pytest.mark.skipif(os.name == "nt", reason="no POSIX permission bits")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o660])
def test_secret_file_open_to_group_or_others_is_read_with_a_warning(tmp_path, key, capsys, mode):
    path = tmp_path / "se\x1b[31mcret.txt"
    path.write_text(key.hex() + "\n")
    path.chmod(mode)
    status, ticket = run(["issue", "--secret-file", str(path), "alice"], {})
    err = capsys.readouterr().err
    assert status == 0  # a warning, not a refusal: containers mount secrets 0644
    assert TicketSigner(key).verify(ticket.strip()).user_id == "alice"
    assert "warning" in err
    assert repr(str(path)) in err  # named, with its control character escaped
    assert f"{mode:04o}" in err
    assert "\x1b" not in err
    assert key.hex() not in err


@pytest.mark.skipif(os.name == "nt", reason="no POSIX permission bits")
def test_private_secret_file_and_non_regular_files_read_without_a_warning(tmp_path, key, capsys):
    path = tmp_path / "secret.txt"
    path.write_text(key.hex() + "\n")
    path.chmod(0o600)
    status, _ = run(["issue", "--secret-file", str(path), "alice"], {})
    assert (status, capsys.readouterr().err) == (0, "")
    path.chmod(0o400)
    status, _ = run(["issue", "--secret-file", str(path), "alice"], {})
    assert (status, capsys.readouterr().err) == (0, "")
    # /dev/null is crw-rw-rw-; a terminal (/dev/tty) is crw--w----: not files a secret sits in
    status, _ = run(["issue", "--secret-file", os.devnull, "alice"], {})
    err = capsys.readouterr().err
    assert status == 2
    assert "empty" in err
    assert "warning" not in err


def test_no_mode_check_where_there_are_no_posix_modes(tmp_path, key, capsys, monkeypatch):
    import auth_tickets.cli

    monkeypatch.setattr(auth_tickets.cli, "_CHECK_FILE_MODE", False)
    path = tmp_path / "secret.txt"
    path.write_text(key.hex() + "\n")
    path.chmod(0o644)
    status, _ = run(["issue", "--secret-file", str(path), "alice"], {})
    assert (status, capsys.readouterr().err) == (0, "")


@pytest.mark.parametrize(
    "pasted",
    [
        "ab" * 32,  # a hex secret that happens to look like an identifier
        "0f" * 32,
        "base64:" + base64.b64encode(b"k" * 32).decode(),
        "A" * 49,
        "MY-KEY",
        "MY_KEY\n\x1b[31m",
        "",
    ],
)
def test_secret_env_value_that_is_no_variable_name_is_not_echoed(key, capsys, pasted):
    status, _ = run(["issue", "--secret-env", pasted, "alice"], {"AUTH_TICKETS_SECRET": key.hex()})
    err = capsys.readouterr().err
    assert status == 2
    assert "no secret" in err
    assert "not shown" in err
    if pasted:
        assert pasted not in err
    assert "\x1b" not in err


@pytest.mark.parametrize("name", ["MY_KEY", "_k2", "A" * 48])
def test_secret_env_unset_variable_is_named(capsys, name):
    status, _ = run(["issue", "--secret-env", name, "alice"], {})
    assert status == 2
    assert f"${name} " in capsys.readouterr().err


def test_secret_env_with_an_unusual_name_still_works(key):
    status, ticket = run(["issue", "--secret-env", "MY-KEY", "alice"], {"MY-KEY": key.hex()})
    assert status == 0
    assert TicketSigner(key).verify(ticket.strip()).user_id == "alice"
