"""``GET /api/stats`` on the real web server (``python -m bot.web``), over HTTP.

One server reads a SQLite tracker store that Rasa had not written yet when the
server started (the fixture saves the conversations once it answers); another
is configured with ``TRACKER_STORE_URL=memory``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.web.sales.openapi import openapi_document
from tests.bot.conversations.conftest import (
    EXPECTED,
    fixture_conversations,
    save_conversations,
    seed_leads,
)
from tests.bot.web.sales.conftest import (
    API_TOKEN,
    error_of,
    server_environment,
    start_server,
    stop_server,
    wait_for_health,
)
from tests.bot.web.sales.test_openapi import validator
from tests.conftest import free_port

PERIOD = {"since": "2024-05-01", "until": "2024-05-07"}
AUTHORIZED = {"Authorization": f"Bearer {API_TOKEN}"}


@contextmanager
def web_server(lead_url: str, tracker_url: str, log: Path) -> Iterator[str]:
    """A real web server on a free port with these stores; yields its base URL."""
    port = free_port()
    environment = server_environment(
        lead_url, port, SALES_API_TOKEN=API_TOKEN, TRACKER_STORE_URL=tracker_url
    )
    process = start_server(environment, log)
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


@dataclass(frozen=True)
class StatsServer:
    """A running server, a client sending the token, and what the server answered first."""

    url: str
    client: httpx.Client
    first_answer: httpx.Response


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StatsServer]:
    folder = tmp_path_factory.mktemp("stats")
    lead_url, tracker_url = (f"sqlite:///{folder / name}" for name in ("leads.db", "tracker.db"))
    seed_leads(lead_url)
    with (
        web_server(lead_url, tracker_url, folder / "server.log") as url,
        httpx.Client(base_url=url, headers=AUTHORIZED, timeout=10) as client,
    ):
        before_rasa_wrote = client.get("/api/stats", params=PERIOD)
        save_conversations(tracker_url, fixture_conversations())
        yield StatsServer(url, client, before_rasa_wrote)


@pytest.fixture(scope="module")
def memory_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StatsServer]:
    folder = tmp_path_factory.mktemp("stats-memory")
    lead_url = f"sqlite:///{folder / 'leads.db'}"
    with (
        web_server(lead_url, "memory", folder / "server.log") as url,
        httpx.Client(base_url=url, headers=AUTHORIZED, timeout=10) as client,
    ):
        yield StatsServer(url, client, client.get("/api/stats", params=PERIOD))


def test_the_counts_of_the_period(server: StatsServer) -> None:
    response = server.client.get("/api/stats", params=PERIOD)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == EXPECTED


def test_the_counts_match_their_schema(server: StatsServer) -> None:
    document: dict[str, Any] = server.client.get("/api/stats", params=PERIOD).json()

    validator(openapi_document(), "ConversationStats").validate(document)
    schema = openapi_document()["components"]["schemas"]["ConversationStats"]
    assert set(document) == set(schema["properties"])


def test_the_default_period_is_the_last_30_days(server: StatsServer) -> None:
    document = server.client.get("/api/stats").json()

    today = datetime.now(timezone.utc).date()
    assert (document["since"], document["until"]) == (
        (today - timedelta(days=29)).isoformat(),
        today.isoformat(),
    )
    assert len(document["leads_per_day"]) == 30


def test_the_api_token_is_required(server: StatsServer) -> None:
    anonymous = httpx.get(f"{server.url}/api/stats", params=PERIOD, timeout=10)
    wrong = httpx.get(
        f"{server.url}/api/stats", headers={"Authorization": "Bearer wrong"}, timeout=10
    )

    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert error_of(anonymous)["code"] == "unauthorized"
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"since": "2024-02-30"}, "since must be a date such as 2024-05-02, got '2024-02-30'"),
        ({"until": "May 7"}, "until must be a date such as 2024-05-02"),
        ({"since": "2024-05-08", "until": "2024-05-07"}, "must not be before since"),
        ({"since": "2020-01-01", "until": "2024-05-07"}, "the period must be at most 366 days"),
        ({"since": ""}, "since must not be empty"),
        ({"from": "2024-05-01"}, "unknown query parameter 'from' (known: since, until)"),
        ([("since", "2024-05-01"), ("since", "2024-05-02")], "give since once"),
    ],
)
def test_a_bad_period_is_refused_with_the_reason(
    server: StatsServer, query: Any, reason: str
) -> None:
    response = server.client.get("/api/stats", params=query)

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert reason in error["message"]
    validator(openapi_document(), "Error").validate(response.json())


def test_before_rasa_wrote_its_store_the_answer_is_503_with_the_reason(
    server: StatsServer,
) -> None:
    response = server.first_answer

    assert response.status_code == 503
    error = error_of(response)
    assert error["code"] == "tracker_store_unavailable"
    assert "no conversation has been kept yet" in error["message"]


def test_a_memory_tracker_store_answers_503_with_the_reason(memory_server: StatsServer) -> None:
    response = memory_server.client.get("/api/stats", params=PERIOD)

    assert response.status_code == 503
    assert error_of(response) == {
        "code": "tracker_store_unavailable",
        "message": "TRACKER_STORE_URL is 'memory': no conversation is kept",
    }


def test_a_memory_tracker_store_still_wants_the_token(memory_server: StatsServer) -> None:
    response = httpx.get(f"{memory_server.url}/api/stats", timeout=10)

    assert response.status_code == 401


def test_the_rest_of_the_api_works_without_a_tracker_store(memory_server: StatsServer) -> None:
    assert memory_server.client.get("/api/leads").status_code == 200
    assert memory_server.client.get("/health").status_code == 200
    assert memory_server.client.get("/api/stats").status_code == 503  # again, still JSON
