"""Fixtures of the lead store: migrated SQLite and PostgreSQL engines, submissions, a clock."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from bot.leads.model import LeadSubmission, TranscriptTurn
from bot.leads.store import create_engine_for, upgrade_database
from tests.services import require_service

POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = 5432
POSTGRES_SERVER_URL = f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/test"
STORE_TABLES = ("delivery_attempts", "deliveries", "lead_request_keys", "leads")
BACKENDS = ("sqlite", "postgres")  # the prefixes of the engine fixtures

START = datetime(2024, 5, 2, 10, 0, tzinfo=timezone.utc)


@contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """A new, empty database on the test server (random name), dropped afterwards.

    Yields:
        Its URL.
    """
    require_service("postgresql", POSTGRES_HOST, POSTGRES_PORT)
    name = f"lead_store_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_SERVER_URL, future=True, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """The test session's own PostgreSQL database, migrated; dropped at the end."""
    with scratch_postgres_database() as url:
        engine = create_engine_for(url)
        upgrade_database(engine)
        engine.dispose()
        yield url


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated lead store in a SQLite file of the test's own."""
    engine = create_engine_for(f"sqlite:///{tmp_path / 'leads.db'}")
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_database_url: str) -> Iterator[Engine]:
    """The session's migrated PostgreSQL lead store, emptied for this test."""
    engine = create_engine_for(postgres_database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {', '.join(STORE_TABLES)} RESTART IDENTITY")
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated, empty lead store on each backend in turn."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture(params=BACKENDS)
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty (not migrated) database on each backend, the test's own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    with scratch_postgres_database() as url:
        yield url


@pytest.fixture
def scratch_engine(fresh_database_url: str) -> Iterator[Engine]:
    """A migrated lead store of the test's own on each backend, free to break."""
    engine = create_engine_for(fresh_database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


class Clock:
    """A settable clock for the store: starts at :data:`START`, moves when told."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **duration: float) -> datetime:
        """Moves the clock forward (``timedelta`` keywords) and returns the new time."""
        self.now += timedelta(**duration)
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A clock standing at :data:`START`."""
    return Clock()


def default_submission(**overrides: Any) -> LeadSubmission:
    """A complete submission; keyword arguments replace its fields."""
    fields: dict[str, Any] = {
        "conversation_id": "conversation-1",
        "request_key": "request-1",
        "roles": ("Python developer", "QA engineer"),
        "team_size": 3,
        "seniority": ("senior", "middle"),
        "tech_stack": ("Python", "Django", "PostgreSQL"),
        "engagement_model": "outstaffing",
        "start_text": "early June",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "company": "Analytical Engines Ltd",
        "consent_text": "May we store your details to contact you about this request?",
        "consent_given_at": START - timedelta(minutes=1),
        "start_date": date(2024, 6, 3),
        "duration": "6 months",
        "budget": "$40k per month",
        "phone": "+44 20 7946 0000",
        "page_url": "https://agency.example/hire?utm_source=ads",
        "transcript": (
            TranscriptTurn("visitor", "We need three developers", START - timedelta(minutes=5)),
            TranscriptTurn("bot", "Happy to help! Which roles?", START - timedelta(minutes=5)),
        ),
    }
    fields.update(overrides)
    return LeadSubmission(**fields)


@pytest.fixture
def make_submission() -> Callable[..., LeadSubmission]:
    """Builds a complete submission; keyword arguments replace its fields."""
    return default_submission
