"""Fixtures for delivery: a real HTTP receiver, a real SMTP server, the real outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from bot.delivery.webhook import WebhookChannel
from bot.leads.model import LeadStatus, LeadSubmission, StoredLead
from bot.leads.serialize import lead_to_dict
from bot.leads.store import Delivery, Outbox
from bot.settings import SmtpSettings, WebhookSettings
from tests.bot.delivery.receiver import Receiver
from tests.bot.delivery.smtp_sink import RecordingHandler

# The store's fixtures: migrated engines (SQLite in tmp_path; the session's
# PostgreSQL database, skipped when no server runs; ``engine``: each in turn)
# and a submission factory.
from tests.bot.leads.conftest import (  # noqa: F401
    engine,
    make_submission,
    postgres_database_url,
    postgres_engine,
    sqlite_engine,
)
from tests.conftest import free_port

WEBHOOK_SECRET = "test-webhook-secret"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A real HTTP receiver on a free port, in the test's event loop."""
    receiver = Receiver(WEBHOOK_SECRET, free_port())
    await receiver.start()
    yield receiver
    await receiver.stop()


@pytest.fixture
def webhook_settings(receiver: Receiver) -> WebhookSettings:
    """Webhook settings pointing at the receiver."""
    return WebhookSettings(url=receiver.url, secret=WEBHOOK_SECRET)


@pytest.fixture
async def webhook(webhook_settings: WebhookSettings) -> AsyncIterator[WebhookChannel]:
    """A webhook channel posting to the receiver."""
    channel = WebhookChannel(webhook_settings, timeout=5)
    yield channel
    await channel.aclose()


@pytest.fixture
def smtp_handler() -> RecordingHandler:
    """Keeps what the SMTP server receives."""
    return RecordingHandler()


@pytest.fixture
def smtp_server(smtp_handler: RecordingHandler) -> Iterator[Controller]:
    """A real SMTP server (aiosmtpd, its own thread) on a free port, no TLS, no login."""
    controller = Controller(smtp_handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp_settings(smtp_server: Controller) -> SmtpSettings:
    """SMTP settings pointing at the local server, two recipients."""
    return SmtpSettings(
        host="127.0.0.1",
        port=smtp_server.port,
        starttls=False,
        sender="bot@agency.example",
        recipients=("sales@agency.example", "lead-desk@agency.example"),
    )


@pytest.fixture
def make_delivery(
    make_submission: Callable[..., LeadSubmission],  # noqa: F811
) -> Callable[..., Delivery]:
    """Builds an unsaved delivery of lead 7; keyword arguments override the submission."""

    def build(*, event: str = "lead.created", channel: str = "webhook", **fields: Any) -> Delivery:
        now = datetime.now(timezone.utc)
        lead = StoredLead(
            id=7,
            submission=make_submission(**fields),
            status=LeadStatus.NEW,
            notes="",
            version=1,
            created_at=now,
            updated_at=now,
        )
        return Delivery(
            id=1,
            lead_id=7,
            channel=channel,
            event=event,
            idempotency_key=f"lead-7-v1-{channel}",
            payload=lead_to_dict(lead),
            status="pending",
            attempts=0,
            next_attempt_at=now,
            last_error=None,
            delivered_at=None,
        )

    return build


@pytest.fixture
def outbox(sqlite_engine: Engine) -> Outbox:  # noqa: F811
    """The real outbox on the migrated SQLite database."""
    return Outbox(sqlite_engine)
