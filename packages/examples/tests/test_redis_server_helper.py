"""``aiohttp_auth.testing.redis_server``: the real Redis every Redis test here runs on.

The scale-out tests rely on its promises: a real server on a free
127.0.0.1 port, a restart on the same port, data surviving a restart only
when asked to, always stopped afterwards, and a failure (never a skip) on a
machine with no redis-server at all.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket

import pytest
import redis

from aiohttp_auth.testing import redis_server

pytestmark = pytest.mark.redis


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("persistent", [False, True])
def test_restart_keeps_the_port_and_the_data_only_when_persistent(tmp_path, persistent):
    with redis_server(persistent=persistent, directory=tmp_path) as server:
        client = redis.Redis(port=server.port)
        try:
            client.set("revoked", "1")
            port = server.port
            server.restart()
            assert server.port == port
            assert server.running
            assert (client.get("revoked") == b"1") is persistent
        finally:
            client.close()
    assert not server.running
    assert not answers(port)


def test_the_default_directory_is_temporary(tmp_path):
    with redis_server() as server:
        directory = server.directory
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
        assert (directory / "redis.log").is_file()
    assert not directory.exists()


def test_no_redis_server_anywhere_is_an_error_not_a_skip(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install redis-server"):
        with redis_server():
            pass  # pragma: no cover
