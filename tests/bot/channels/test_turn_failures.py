"""A custom action that cannot run is recorded for the turn it failed in."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.channels.turn_failures import recording_failed_actions, watch_remote_actions
from tests.conftest import free_port


async def run_with_no_action_server(name: str) -> None:
    action = RemoteAction(name, EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))
    domain = Domain.empty()
    await action.run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses),
        DialogueStateTracker("visitor", []),
        domain,
    )


def test_a_failed_custom_action_is_recorded_and_still_raised():
    watch_remote_actions()
    with recording_failed_actions() as failed, pytest.raises(RasaException):
        asyncio.run(run_with_no_action_server("action_answer_from_knowledge"))
    assert failed == ["action_answer_from_knowledge"]


def test_each_turn_records_its_own_failures():
    watch_remote_actions()

    async def turn(name: str | None) -> list[str]:
        with recording_failed_actions() as failed:
            if name is not None:
                with pytest.raises(RasaException):
                    await run_with_no_action_server(name)
            await asyncio.sleep(0)
        return failed

    async def both() -> list[list[str]]:
        return await asyncio.gather(turn("action_a"), turn(None))

    assert asyncio.run(both()) == [["action_a"], []]


def test_watching_twice_wraps_once():
    watch_remote_actions()
    run = RemoteAction.run
    watch_remote_actions()
    assert RemoteAction.run is run
