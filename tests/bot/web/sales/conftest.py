"""The sales inbox under test: one real server (``python -m bot.web``) for the whole package.

Its SQLite lead store is migrated and seeded through ``LeadRepository`` before
the server starts; tests talk to it over HTTP with httpx. The seeded leads sit
in May 2024; leads that tests create themselves are dated 2023, so they never
change what a query over May 2024 returns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
from sanic import Sanic
from sqlalchemy.engine import Engine

from bot.leads.model import LeadStatus, StoredLead, TranscriptTurn
from bot.leads.store import LeadRepository, Outbox, create_engine_for, upgrade_database
from bot.settings import Settings
from bot.web.app import create_app
from tests.bot.leads.conftest import Clock, default_submission
from tests.conftest import ROOT, free_port

API_TOKEN = "sales-test-token-3f9c1d7e5b2a"
STARTUP_TIMEOUT_SECONDS = 30.0
# The seeded leads' window: ?created_from=...&created_to=... selects exactly them.
SEEDED_WINDOW = {"created_from": "2024-05-01", "created_to": "2024-05-31"}

HTML_NAME = '<img src=x onerror="alert(1)"><script>alert("lead")</script>'
SQL_COMPANY = "Robert'); DROP TABLE leads;--"
FORMULA_NAME = '=HYPERLINK("http://evil.example","click me")'


@dataclass(frozen=True)
class SeededLead:
    """A lead stored before the server started, and what the tests expect of it."""

    key: str
    lead: StoredLead


def at(text: str) -> datetime:
    """A UTC time from ``2024-05-02T10:00`` notation."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


# (key, created at, final status, fields of the submission): oldest first.
SEED: tuple[tuple[str, str, LeadStatus, dict[str, Any]], ...] = (
    ("ada", "2024-05-01T09:00", LeadStatus.NEW, {}),
    (
        "html_sql",
        "2024-05-02T10:00",
        LeadStatus.CONTACTED,
        {"name": HTML_NAME, "company": SQL_COMPANY, "roles": ("<b>QA</b>", "1 OR 1=1")},
    ),
    (
        "formulas",
        "2024-05-02T23:30",
        LeadStatus.NEW,
        {
            "name": FORMULA_NAME,
            "company": "+cmd|' /C calc'!A0",
            "roles": ("=1+1", "Python developer"),
            "budget": "-2+3",
            "duration": "@SUM(A1:A9)",
            "start_text": "\tin a month",
            "page_url": "\rhttps://agency.example/",
            "phone": "+44 20 7946 0000",
        },
    ),
    ("grace", "2024-05-03T08:00", LeadStatus.QUALIFIED, {"name": "Grace Hopper"}),
    ("linus", "2024-05-04T12:00", LeadStatus.CLOSED, {"name": "Linus Torvalds"}),
    ("margaret", "2024-05-05T16:45", LeadStatus.NEW, {"name": "Margaret Hamilton"}),
)


def seed_leads(engine: Engine) -> dict[str, SeededLead]:
    """Stores :data:`SEED` (with deliveries for ``ada``); returns the leads by key."""
    seeded = {}
    for number, (key, created, status, fields) in enumerate(SEED):
        moment = at(created)
        repository = LeadRepository(engine, channels=("webhook", "email"), clock=Clock(moment))
        submission = default_submission(
            conversation_id=f"seed-conversation-{number}",
            request_key=f"seed-request-{number}",
            email=f"seed{number}@example.com",
            consent_given_at=moment - timedelta(minutes=1),
            transcript=(
                TranscriptTurn("visitor", f"Hello from <{key}>", moment - timedelta(minutes=3)),
                TranscriptTurn("bot", "Happy to help!", moment - timedelta(minutes=2)),
            ),
            **fields,
        )
        lead_id = repository.submit(submission).lead_id
        if status is not LeadStatus.NEW:
            repository.update(lead_id, status=status)
        seeded[key] = SeededLead(key, repository.get(lead_id))
    _deliver_first_lead(engine, seeded["ada"].lead.id)
    return seeded


def _deliver_first_lead(engine: Engine, lead_id: int) -> None:
    outbox = Outbox(engine, clock=Clock(at("2024-06-01T00:00")))
    for delivery in outbox.claim_due(worker_id="seed", limit=100):
        if delivery.lead_id != lead_id:
            continue  # stays pending once its lease runs out
        if delivery.channel == "webhook":
            outbox.record_success(delivery.id, detail="HTTP 200")
        else:
            outbox.record_failure(delivery.id, detail="SMTP 550 <no such user>", retry_at=None)


@pytest.fixture(scope="session")
def lead_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """The migrated SQLite lead store the server uses: its URL and an engine of the tests'."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sales') / 'leads.db'}"
    engine = create_engine_for(url)
    upgrade_database(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded(lead_store: tuple[str, Engine]) -> dict[str, SeededLead]:
    """The leads stored before the server started, by key."""
    return seed_leads(lead_store[1])


@pytest.fixture(scope="session")
def repository(lead_store: tuple[str, Engine]) -> LeadRepository:
    """A repository on the server's database, for what tests store or check themselves."""
    return LeadRepository(lead_store[1])


_numbers = count(1)


@pytest.fixture
def fresh_lead(lead_store: tuple[str, Engine]) -> StoredLead:
    """A new lead of the test's own, created in 2023 (outside the seeded window)."""
    number = next(_numbers)
    created = at("2023-01-01T00:00") + timedelta(minutes=number)
    own = LeadRepository(lead_store[1], clock=Clock(created))
    submission = default_submission(
        conversation_id=f"fresh-conversation-{number}",
        request_key=f"fresh-request-{number}",
        email=f"fresh{number}@example.com",
    )
    return own.get(own.submit(submission).lead_id)


def server_environment(database_url: str, port: int, **overrides: str) -> dict[str, str]:
    """The environment of a sales server on ``port``: no delivery, no dev mode, no token.

    Its tracker store is ``memory`` unless ``TRACKER_STORE_URL`` is overridden,
    so that no test reads the conversations of the checkout's ``var/``.
    """
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SALES_", "SMTP_", "SANIC_"))
        and name not in ("DATABASE_URL", "TRACKER_STORE_URL")
    }
    environment.update(
        DATABASE_URL=database_url,
        TRACKER_STORE_URL="memory",
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(port),
    )
    environment.update(overrides)
    return environment


def start_server(environment: dict[str, str], log: Path) -> subprocess.Popen:
    """``python -m bot.web`` in the project root, its output going to ``log``."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.web"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for_health(base_url: str, process: subprocess.Popen, log: Path) -> None:
    """Polls ``/health`` until it answers 200; fails with the server's output otherwise."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the sales server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"the sales server did not answer in {STARTUP_TIMEOUT_SECONDS}s:\n{log.read_text()}"
    )


def stop_server(process: subprocess.Popen) -> None:
    """Stops a server started by :func:`start_server`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server_url(
    lead_store: tuple[str, Engine],
    seeded: dict[str, SeededLead],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The base URL of the real sales server, up and answering ``/health``."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("sales-server") / "server.log"
    process = start_server(server_environment(lead_store[0], port, SALES_API_TOKEN=API_TOKEN), log)
    try:
        wait_for_health(base_url, process, log)
        yield base_url
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def client(server_url: str) -> Iterator[httpx.Client]:
    """An HTTP client of the server that sends the API token."""
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    with httpx.Client(base_url=server_url, headers=headers, timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def anonymous(server_url: str) -> Iterator[httpx.Client]:
    """An HTTP client of the server that sends no token."""
    with httpx.Client(base_url=server_url, timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def app() -> Sanic:
    """The app as ``create_app`` builds it (not served; Sanic registers a name once)."""
    return create_app(Settings(sales_api_token=API_TOKEN))


def error_of(response: httpx.Response) -> dict[str, str]:
    """The ``{"code", "message"}`` of a JSON error response (checks its shape)."""
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return body["error"]
