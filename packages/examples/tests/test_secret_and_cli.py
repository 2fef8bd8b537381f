"""The examples' command line and secret handling (the apps are tested in tests/)."""

from __future__ import annotations

import logging
import secrets

import pytest

from aiohttp_auth_examples.__main__ import APPS, build_parser, main
from aiohttp_auth_examples.secret import SECRET_ENV, load_secret, load_secrets


def test_secret_comes_from_the_environment_as_hex():
    secret = secrets.token_bytes(32)
    assert load_secret({SECRET_ENV: secret.hex()}) == secret


def test_missing_secret_is_generated_per_start_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="aiohttp_auth_examples"):
        first, second = load_secret({}), load_secret({})
    assert len(first) == 32
    assert first != second
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING"]
    assert SECRET_ENV in caplog.records[0].getMessage()


@pytest.mark.parametrize("value", ["not hex", "00" * 31])
def test_bad_secret_stops_the_program_with_a_message(value):
    with pytest.raises(SystemExit) as excinfo:
        load_secret({SECRET_ENV: value})
    assert SECRET_ENV in str(excinfo.value)


def test_generated_warning_never_contains_the_secret(caplog):
    with caplog.at_level(logging.DEBUG):
        secret = load_secret({})
    assert secret.hex() not in caplog.text


def test_parser_defaults_match_the_readme():
    args = build_parser().parse_args([])
    assert (args.app, args.host, args.port) == ("getting-started", "127.0.0.1", 8080)


def test_every_app_choice_builds():
    for name, factory in APPS.items():
        app = factory(secrets.token_bytes(32))
        assert app.router.routes(), name


def test_a_secret_list_is_newest_first_for_key_rotation():
    new, old = secrets.token_bytes(32), secrets.token_bytes(32)
    assert load_secrets({SECRET_ENV: f"{new.hex()}, {old.hex()}"}) == [new, old]
    assert load_secrets({SECRET_ENV: new.hex()}) == [new]
    assert len(load_secrets({})[0]) == 32  # generated, as with load_secret


@pytest.mark.parametrize(
    "value", [",".join(secrets.token_hex(32) for _ in range(5)), "00" * 32 + ",", "zz"]
)
def test_bad_secret_lists_stop_the_program(value):
    with pytest.raises(SystemExit):
        load_secrets({SECRET_ENV: value})


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "0"], "--workers must be 1 or more"),
        (["--app", "tree", "--redis", "redis://127.0.0.1:1/0"], "--redis works with"),
        (["--app", "tree", "--workers", "2"], "one worker only"),
        (["--app", "session", "--workers", "2"], "needs --redis"),
        (["--max-age", "0"], "max_age"),
    ],
)
def test_unsafe_or_impossible_combinations_are_refused_before_anything_starts(
    argv, message, capsys, monkeypatch
):
    monkeypatch.setenv(SECRET_ENV, secrets.token_hex(32))
    with pytest.raises(SystemExit) as excinfo:
        main(argv)
    assert excinfo.value.code == 2
    assert message in capsys.readouterr().err


def test_a_weak_secret_is_one_message_not_a_traceback_per_worker(capsys, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "ab" * 32)
    with pytest.raises(SystemExit):
        main(["--workers", "2"])
    assert "too little variety" in capsys.readouterr().err


def test_the_new_flags_default_to_the_old_behaviour():
    args = build_parser().parse_args([])
    assert (args.workers, args.redis, args.max_age) == (1, None, 60)
