"""graph_runner (bot.rasa_patches.turn) on the trained model: the same outputs as Rasa's dask
runner."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.turn.graph_runner import SequentialGraphRunner, execution_order

MESSAGES = [
    "what is the difference between outsourcing and offshoring?",
    "We need three senior Python developers to start next month",
    "hi",
    "asdf qwerty",
]


def parse_with(runner_class: type, agent: Any, text: str, tracker: DialogueStateTracker) -> Any:
    """The NLU target's parse of ``text`` (each run makes its own message to fill in)."""
    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    inputs = {PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker}
    [message] = runner_class.run(runner, inputs=inputs, targets=[target])[target]
    return message.as_dict(only_output_properties=True)


def predict_with(runner_class: type, agent: Any, tracker: DialogueStateTracker) -> Any:
    """The policies' prediction for ``tracker``, as comparable values."""
    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.core_target
    prediction = runner_class.run(runner, inputs={PLACEHOLDER_TRACKER: tracker}, targets=[target])
    result = prediction[target]
    return result.policy_name, result.probabilities, result.events, result.is_end_to_end_prediction


def test_the_served_agent_runs_its_graph_without_dask(agent: Any) -> None:
    assert isinstance(agent.processor.graph_runner, SequentialGraphRunner)


@pytest.mark.parametrize("text", MESSAGES)
def test_parses_as_the_dask_runner_does(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop, text: str
) -> None:
    tracker = DialogueStateTracker("graph-runner-parse", agent.domain.slots)
    expected = parse_with(DaskGraphRunner, agent, text, tracker)
    assert expected["intent"]["name"]
    assert parse_with(SequentialGraphRunner, agent, text, tracker) == expected


def test_predicts_every_turn_of_a_lead_conversation_as_the_dask_runner_does(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop
) -> None:
    sender = "graph-runner-lead"
    for text in MESSAGES[1:3]:
        event_loop_for_model.run_until_complete(
            agent.handle_message(UserMessage(text, sender_id=sender))
        )
    tracker = event_loop_for_model.run_until_complete(agent.tracker_store.retrieve(sender))
    prefixes = [
        DialogueStateTracker.from_events(sender, list(tracker.events)[:end], agent.domain.slots)
        for end in range(1, len(tracker.events) + 1)
    ]
    compared = [
        (
            predict_with(DaskGraphRunner, agent, prefix),
            predict_with(SequentialGraphRunner, agent, prefix),
        )
        for prefix in prefixes
    ]
    assert len(compared) > 10
    assert all(dask == ours for dask, ours in compared)


def test_runs_each_node_after_the_nodes_it_needs_and_only_those(agent: Any) -> None:
    schema = agent.processor.graph_runner._graph_schema
    target = agent.processor.model_metadata.nlu_target
    order = execution_order(schema, (target,))
    position = {name: index for index, (name, _) in enumerate(order)}
    assert order[-1][0] == target
    for name, needs in order:
        assert all(position[parent] < position[name] for parent in needs if parent in schema.nodes)
    assert set(position) == set(schema.minimal_graph_schema([target]).nodes)


def test_refuses_an_input_named_like_a_node(agent: Any) -> None:
    runner = agent.processor.graph_runner
    node_name = next(iter(runner._graph_schema.nodes))
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        runner.run(inputs={PLACEHOLDER_MESSAGE: node_name})
