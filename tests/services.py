"""Skips (or, in CI, fails) a test whose service is not running on this machine."""

from __future__ import annotations

import os
import socket

import pytest

CONNECT_TIMEOUT_SECONDS = 1.0


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skips the test when nothing listens on ``host:port``; fails it instead when ``CI=true``.

    Args:
        name: the service, for the message ("postgresql").
        host: where it should listen.
        port: the TCP port it should listen on.
    """
    if _listening(host, port):
        return
    message = f"{name} is not running on {host}:{port}"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message} (CI=true: every service must run)")
    pytest.skip(message)
