"""Turn admission: a few turns at once, the rest waiting in arrival order, and
"busy" for a message that would wait too long."""

from __future__ import annotations

import asyncio

import pytest

from bot.rasa_plugins.channels.admission import Busy, TurnAdmission, shared_admission


async def test_no_more_than_the_limit_run_at_once_and_waiting_ones_go_in_arrival_order():
    admission = TurnAdmission(limit=2, max_wait_seconds=5)
    running, most, started = 0, 0, []

    async def turn(number: int) -> None:
        nonlocal running, most
        async with admission.turn():
            started.append(number)
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.01)
            running -= 1

    tasks = []
    for number in range(8):
        tasks.append(asyncio.create_task(turn(number)))
        await asyncio.sleep(0)  # arrive one after another
    await asyncio.gather(*tasks)
    assert most == 2
    assert started == list(range(8))


async def test_a_message_that_would_wait_too_long_is_told_busy_and_takes_no_slot():
    admission = TurnAdmission(limit=1, max_wait_seconds=0.05)
    async with admission.turn():
        with pytest.raises(Busy):
            async with admission.turn():
                pass
    async with admission.turn():  # the slot came free; the busy one did not keep it
        pass


def test_the_channels_of_a_process_share_one_admission():
    assert shared_admission(8, 30.0) is shared_admission(8, 30.0)
