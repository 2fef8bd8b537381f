"""The examples' command line and secret handling (the apps are tested in tests/)."""

from __future__ import annotations

import logging
import secrets

import pytest

from aiohttp_auth_examples.__main__ import APPS, build_parser
from aiohttp_auth_examples.secret import SECRET_ENV, load_secret


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
