"""The product's three Sanic servers, each started as ``bot run`` starts it, for
raw-socket tests: the Rasa server, the action server and the web app.

A test module takes the ones it needs as module-scoped fixtures::

    rasa_server = module_server("rasa")
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.bot.web.sales.conftest import server_environment, start_server, wait_for_health
from tests.conftest import free_port
from tests.system.server.rasa_process import local_environment, start_actions, start_rasa, stop

ACTION_TOKEN = "framing-test-action-token"
SALES_TOKEN = "framing-test-sales-token"
# What Python's logging writes for an exception with its stack.
TRACEBACK = re.compile(r"^Traceback \(most recent call last\):", re.MULTILINE)


@dataclass(frozen=True)
class Server:
    """A started server: where it listens, its health route, its log."""

    kind: str
    port: int
    health_path: str
    log: Path

    def tracebacks(self) -> list[str]:
        """The log's lines around each traceback it holds."""
        text = self.log.read_text(errors="replace")
        return [
            text[max(0, match.start() - 300) : match.start() + 1500]
            for match in TRACEBACK.finditer(text)
        ]


@contextlib.contextmanager
def served(kind: str, folder: Path, **overrides: str) -> Iterator[Server]:
    """Starts the server of ``kind`` (``rasa``, ``actions`` or ``web``) until the block ends,
    with ``overrides`` in its environment."""
    log = folder / f"{kind}.log"
    if kind == "web":
        port = free_port()
        environment = server_environment(
            f"sqlite:///{folder / 'leads.db'}", port, SALES_API_TOKEN=SALES_TOKEN, **overrides
        )
        process = start_server(environment, log)
        try:
            wait_for_health(f"http://127.0.0.1:{port}", process, log)
            yield Server(kind, port, "/health", log)
        finally:
            stop(process)
        return
    # Every row comes from this machine: no per-address limit, or later rows get 429s.
    environment = local_environment(
        folder, ACTION_SERVER_TOKEN=ACTION_TOKEN, RATE_LIMIT_PER_IP="0", **overrides
    )
    if kind == "actions":
        process = start_actions(environment, log)
        port, health_path = int(environment["ACTIONS_PORT"]), "/health"
    else:
        process = start_rasa(environment, log)
        port, health_path = int(environment["RASA_PORT"]), "/"
    try:
        yield Server(kind, port, health_path, log)
    finally:
        stop(process)


def module_server(kind: str, **overrides: str) -> Any:
    """A module-scoped fixture: the server of ``kind``, started once for the module, with
    ``overrides`` in its environment."""

    @pytest.fixture(scope="module")
    def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
        folder = tmp_path_factory.mktemp(f"{kind}-server")
        with served(kind, folder, **overrides) as started:
            yield started

    return server
