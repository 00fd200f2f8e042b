"""Running the worker: email end to end, polling, stopping, and the `deliver` entry point."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.delivery.channel import Channel
from bot.delivery.email import EmailChannel
from bot.delivery.webhook import WebhookChannel
from bot.delivery.worker import DeliveryWorker, build_channels, deliver
from bot.leads.model import LeadSubmission
from bot.leads.store import (
    LeadRepository,
    Outbox,
    create_engine_for,
    upgrade_database,
)
from bot.settings import Settings, SmtpSettings, WebhookSettings
from tests.bot.delivery.receiver import Receiver
from tests.bot.delivery.running import FAST, eventually, running
from tests.bot.delivery.smtp_sink import RecordingHandler


async def test_worker_emails_the_lead_and_posts_the_webhook(
    sqlite_engine: Engine,
    outbox: Outbox,
    receiver: Receiver,
    webhook: WebhookChannel,
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook", "email"))
    lead_id = repository.submit(make_submission(company="Acme Ltd")).lead_id
    channels: dict[str, Channel] = {
        "webhook": webhook,
        "email": EmailChannel(smtp_settings, timeout=5),
    }

    attempted = await DeliveryWorker(outbox, channels, FAST).run_once()

    by_channel = {delivery.channel: delivery for delivery in repository.deliveries(lead_id)}
    assert attempted == 2
    assert {channel: d.status for channel, d in by_channel.items()} == {
        "webhook": "delivered",
        "email": "delivered",
    }
    [mail] = smtp_handler.messages
    assert mail.message["X-Idempotency-Key"] == by_channel["email"].idempotency_key
    assert "Acme Ltd" in mail.message["Subject"]
    assert outbox.attempts(by_channel["email"].id)[0].detail.startswith("SMTP accepted for 2")
    assert receiver.successful_keys() == {by_channel["webhook"].idempotency_key: 1}


async def test_run_forever_stops_promptly_when_stop_is_set(outbox: Outbox) -> None:
    worker = DeliveryWorker(outbox, {}, replace(FAST, poll_interval_seconds=60))
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    await asyncio.sleep(0.05)

    stop.set()

    await asyncio.wait_for(task, timeout=1)


async def test_run_forever_logs_and_survives_store_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unmigrated = create_engine_for(f"sqlite:///{tmp_path / 'empty.db'}")
    worker = DeliveryWorker(Outbox(unmigrated), {}, FAST)

    with caplog.at_level(logging.ERROR, logger="bot.delivery.worker"):
        async with running(worker):
            await eventually(lambda: len(caplog.records) >= 3)
    unmigrated.dispose()

    assert all(record.exc_info for record in caplog.records)
    assert "round failed" in caplog.records[0].getMessage()


def test_build_channels_follows_the_settings() -> None:
    settings = Settings(
        webhook=WebhookSettings("https://sales.example/leads", "secret"),
        smtp=SmtpSettings("mail.example", recipients=("sales@agency.example",)),
    )

    channels = build_channels(settings)

    assert tuple(channels) == settings.channel_names == ("webhook", "email")
    assert isinstance(channels["webhook"], WebhookChannel)
    assert isinstance(channels["email"], EmailChannel)
    asyncio.run(channels["webhook"].aclose())


def test_build_channels_without_settings_is_empty() -> None:
    assert build_channels(Settings()) == {}


def settings_for(tmp_path: Path, receiver: Receiver) -> Settings:
    """Settings with a fresh SQLite file and the receiver as the webhook."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'var' / 'leads.db'}",
        webhook=WebhookSettings(receiver.url, receiver.secret),
        delivery=FAST,
    )


def submit_one(settings: Settings, submission: LeadSubmission) -> None:
    """Submits a lead the way the bot does, on a migrated database."""
    engine = create_engine_for(settings.database_url)
    try:
        upgrade_database(engine)
        LeadRepository(engine, channels=settings.channel_names).submit(submission)
    finally:
        engine.dispose()


async def test_deliver_once_sends_what_is_due_and_returns(
    tmp_path: Path, receiver: Receiver, make_submission: Callable[..., LeadSubmission]
) -> None:
    settings = settings_for(tmp_path, receiver)
    submit_one(settings, make_submission())

    delivered = await asyncio.wait_for(deliver(settings, once=True), timeout=10)

    assert delivered == 1
    assert len(receiver.successful) == 1


async def test_deliver_once_on_a_new_database_migrates_it(
    tmp_path: Path, receiver: Receiver
) -> None:
    settings = settings_for(tmp_path, receiver)

    delivered = await asyncio.wait_for(deliver(settings, once=True), timeout=10)

    assert delivered == 0
    assert (tmp_path / "var" / "leads.db").exists()


async def test_deliver_polls_until_stopped(
    tmp_path: Path, receiver: Receiver, make_submission: Callable[..., LeadSubmission]
) -> None:
    settings = settings_for(tmp_path, receiver)
    stop = asyncio.Event()
    task = asyncio.create_task(deliver(settings, once=False, stop=stop))
    await asyncio.sleep(0.2)  # the worker is polling an empty outbox

    await asyncio.to_thread(submit_one, settings, make_submission())
    await eventually(lambda: len(receiver.successful) == 1)
    stop.set()

    assert await asyncio.wait_for(task, timeout=5) == 1
