"""Helpers for worker tests: run workers in the background, wait for a condition."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from bot.delivery.worker import DeliveryWorker
from bot.settings import DeliverySettings

# Tiny delays so retries happen within a test; many attempts so nothing gives up.
FAST = DeliverySettings(
    max_attempts=1000,
    backoff_base_seconds=0.01,
    backoff_max_seconds=0.1,
    poll_interval_seconds=0.01,
    timeout_seconds=2.0,
)


async def eventually(condition: Callable[[], bool], *, timeout: float = 20) -> None:
    """Waits until ``condition`` (sync, run in a thread) holds; fails after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await asyncio.to_thread(condition):
        if loop.time() > deadline:
            pytest.fail(f"condition not met within {timeout}s")
        await asyncio.sleep(0.02)


@asynccontextmanager
async def running(*workers: DeliveryWorker) -> AsyncIterator[None]:
    """Runs the workers' ``run_forever`` for the duration of the block."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker.run_forever(stop)) for worker in workers]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)
