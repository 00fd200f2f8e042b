"""Skips (or, in CI, fails) a test whose service is not running on this machine."""

from __future__ import annotations

import os

import pytest

from bot.ops.ports import accepts_connections

CONNECT_TIMEOUT_SECONDS = 1.0


def require_service(name: str, host: str, port: int) -> None:
    """Skips the test when nothing listens on ``host:port``; fails it instead when ``CI=true``.

    Args:
        name: the service, for the message ("postgresql").
        host: where it should listen.
        port: the TCP port it should listen on.
    """
    if accepts_connections(host, port, CONNECT_TIMEOUT_SECONDS):
        return
    message = f"{name} is not running on {host}:{port}"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message} (CI=true: every service must run)")
    pytest.skip(message)
