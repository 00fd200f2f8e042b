"""Fixtures of the patch tests: patches installed for one test, then restored; the trained
bot's policies and the trackers they see (for the differential tests on the real model)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from bot import rasa_patches
from tests.conftest import ROOT


@pytest.fixture
def patches() -> Iterator[Callable[..., bool]]:
    """``rasa_patches.install``; what the test installs is restored after it (what
    was installed before stays, e.g. the model tests' turn patches)."""
    before = set(rasa_patches.installed_targets())
    yield rasa_patches.install
    added = tuple(target for target in rasa_patches.installed_targets() if target not in before)
    rasa_patches.restore(added)


# Conversations served by the bot: rule-only turns, the lead form, and a question
# in the middle of it (the form's unhappy path).
CONVERSATIONS = [
    ["hi", "what is outstaffing?", "who is the legal employer?", "thanks", "bye"],
    ["are you a bot?", "what can you do?", "asdfgh qwerty", "tell me a joke"],
    [
        "we need 3 senior Python developers for 6 months starting ASAP",
        "how much does it cost?",
        "dedicated team",
        "next month",
        "about 20k a month",
        "Lucia Gomez, Umbrella Corp, lucia@umbrella.example",
        "Send it",
        "thanks, bye",
    ],
    ["I want to hire a team", "stop", "what is offshoring?"],
]


def served_trackers(agent: Any, loop: asyncio.AbstractEventLoop) -> list[DialogueStateTracker]:
    """The trackers of :data:`CONVERSATIONS`, each served by the bot in process."""
    trackers = []
    for number, conversation in enumerate(CONVERSATIONS):
        sender = f"served-tracker-{number}"
        for text in conversation:
            loop.run_until_complete(agent.handle_text(text, sender_id=sender))
        trackers.append(loop.run_until_complete(agent.tracker_store.retrieve(sender)))
    events = [event for tracker in trackers for event in tracker.events]
    assert any(getattr(event, "hide_rule_turn", False) for event in events)  # rule-only turns
    return trackers


def story_trackers(agent: Any) -> list[DialogueStateTracker]:
    """The trackers of the project's stories, rules and test stories."""
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"),
        str(ROOT / "domain.yml"),
        [str(ROOT / "data"), str(ROOT / "tests/test_stories.yml")],
    )
    generator = TrainingDataGenerator(
        importer.get_stories(), agent.domain, augmentation_factor=0, use_story_concatenation=False
    )
    return generator.generate()


@pytest.fixture(scope="session")
def project_conversations(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop
) -> list[DialogueStateTracker]:
    """The trackers of the stories, rules, test stories and served conversations."""
    return [*story_trackers(agent), *served_trackers(agent, event_loop_for_model)]


@pytest.fixture(scope="session")
def project_trackers(
    agent: Any, project_conversations: list[DialogueStateTracker]
) -> list[DialogueStateTracker]:
    """Each prefix of each of the project's conversations: what the policies see, turn by
    turn, each a tracker of its own (copied by Rasa's own replay)."""
    trackers = []
    for tracker in project_conversations:
        prefix = DialogueStateTracker(
            tracker.sender_id, agent.domain.slots, is_rule_tracker=tracker.is_rule_tracker
        )
        for event in tracker.events:
            prefix.update(event)
            trackers.append(prefix.travel_back_in_time(float("inf")))
    return trackers


@pytest.fixture(scope="session")
def rule_policy(agent: Any) -> RulePolicy:
    """The trained model's RulePolicy."""
    [policy] = [
        node._component
        for node in agent.processor.graph_runner._instantiated_nodes.values()
        if node._component_class is RulePolicy
    ]
    return policy
