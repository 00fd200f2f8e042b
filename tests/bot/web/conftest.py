"""The web app under test: one real server (``python -m bot.web``) on an empty lead store."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.bot.web.sales.conftest import (
    server_environment,
    start_server,
    stop_server,
    wait_for_health,
)
from tests.conftest import free_port

SITE_ORIGIN = "https://www.agency.example"
CHAT_SERVER = "https://chat.agency.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """An HTTP client of a web app whose widget talks to ``CHAT_SERVER``."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("web")
    environment = server_environment(
        f"sqlite:///{folder / 'leads.db'}",
        port,
        SALES_API_TOKEN="web-test-token",
        SITE_ORIGINS=SITE_ORIGIN,
        CHAT_SERVER_URL=CHAT_SERVER,
    )
    process = start_server(environment, folder / "server.log")
    try:
        wait_for_health(base_url, process, folder / "server.log")
        with httpx.Client(base_url=base_url, timeout=10) as client:
            yield client
    finally:
        stop_server(process)
