"""bot.rasa_patches.serving.remote_action_watch: a custom action that cannot run is
recorded for the turn it failed in, after its timeout at most."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_patches.serving.remote_action_watch import (
    recording_failed_actions,
    set_timeout_seconds,
)
from tests.conftest import free_port

TIMEOUT_SECONDS = 4.0


@pytest.fixture(autouse=True)
def watched(patches):
    """RemoteAction.run watched, as the Rasa server runs it."""
    patches("serving")


HANG_GUARD_SECONDS = 60.0


async def run_remote_action(name: str, port: int | None = None) -> None:
    url = f"http://127.0.0.1:{port or free_port()}/webhook"
    action = RemoteAction(name, EndpointConfig(url))
    domain = Domain.empty()
    await action.run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses),
        DialogueStateTracker("visitor", []),
        domain,
    )


def test_a_failed_custom_action_is_recorded_and_still_raised():
    with recording_failed_actions() as failed, pytest.raises(RasaException):
        asyncio.run(run_remote_action("action_answer_from_knowledge"))
    assert failed == ["action_answer_from_knowledge"]


def test_each_turn_records_its_own_failures():

    async def turn(name: str | None) -> list[str]:
        with recording_failed_actions() as failed:
            if name is not None:
                with pytest.raises(RasaException):
                    await run_remote_action(name)
            await asyncio.sleep(0)
        return failed

    async def both() -> list[list[str]]:
        return await asyncio.gather(turn("action_a"), turn(None))

    assert asyncio.run(both()) == [["action_a"], []]


def run_against_a_silent_action_server(
    names: list[str], timeout: float
) -> tuple[list[str], float, int]:
    """Runs the actions ``names`` in one turn against a server that accepts calls
    and never answers, with ``timeout``: the failures recorded, the seconds taken
    and how many calls reached the server."""
    calls = 0

    async def take_call(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal calls
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while await reader.readuntil(b"\r\n\r\n"):  # each request's head
                calls += 1  # and never answered

    async def scenario() -> tuple[list[str], float]:
        silent = await asyncio.start_server(take_call, "127.0.0.1", 0)
        port = silent.sockets[0].getsockname()[1]
        async with silent:
            started = asyncio.get_running_loop().time()
            with recording_failed_actions() as failed:
                for name in names:
                    with pytest.raises(RasaException):
                        # A guard against a hang: Rasa's own wait is 5 minutes.
                        await asyncio.wait_for(run_remote_action(name, port), HANG_GUARD_SECONDS)
            return failed, asyncio.get_running_loop().time() - started

    set_timeout_seconds(timeout)
    try:
        failed, seconds = asyncio.run(scenario())
        return failed, seconds, calls
    finally:
        set_timeout_seconds(TIMEOUT_SECONDS)


def test_an_action_server_that_does_not_answer_fails_the_action_after_the_timeout():
    failed, seconds, calls = run_against_a_silent_action_server(["validate_lead_form"], 0.5)
    assert failed == ["validate_lead_form"]
    assert calls == 1
    assert seconds >= 0.5  # it waited for the timeout (and no more than the guard)


def test_after_a_failed_action_the_turns_later_actions_fail_at_once():
    names = ["validate_lead_form", "action_show_lead_summary"]
    failed, _, calls = run_against_a_silent_action_server(names, 0.5)
    assert failed == names
    assert calls == 1  # the second action was never sent: one timeout, not two
