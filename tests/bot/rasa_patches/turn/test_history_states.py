"""history_states (bot.rasa_patches.turn): the past states Rasa's own replay gives, for every
tracker the policies see (tests/bot/rasa_patches/conftest.py), under every option they use."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.turn import history_states
from bot.rasa_patches.turn.history_states import (
    RASAS_STATES_FOR_TRACKER_HISTORY,
    STEPS_ATTRIBUTE,
    replay,
    states_for_tracker_history,
)


@pytest.fixture(scope="module")
def rule_only_data(rule_policy: RulePolicy) -> dict[str, Any]:
    data = rule_policy._get_rule_only_data()
    assert any(data.values())  # the project has rule-only slots or loops to remove
    return data


OPTIONS = [
    {"omit_unset_slots": omit, "ignore_rule_only_turns": ignore}
    for omit, ignore in itertools.product([False, True], repeat=2)
]


def test_the_served_model_uses_the_replayed_history(agent: Any) -> None:
    assert Domain.states_for_tracker_history is states_for_tracker_history


def assert_rasas_states(
    domain: Domain,
    tracker: DialogueStateTracker,
    rule_only_data: dict[str, Any],
    options: dict[str, bool],
) -> None:
    """Ours are Rasa's own states of ``tracker``, without and with rule-only data."""
    for data in (None, rule_only_data):
        expected = RASAS_STATES_FOR_TRACKER_HISTORY(domain, tracker, rule_only_data=data, **options)
        assert states_for_tracker_history(domain, tracker, rule_only_data=data, **options) == (
            expected
        )


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_states_are_rasas_own_for_every_project_tracker(
    agent: Any,
    project_trackers: list[DialogueStateTracker],
    rule_only_data: dict[str, Any],
    options: dict[str, bool],
) -> None:
    domain = agent.domain
    assert len(project_trackers) > 400
    forms = 0
    for tracker in project_trackers:
        forms += tracker.active_loop_name is not None
        assert_rasas_states(domain, tracker, rule_only_data, options)
    assert forms > 20  # the lead form's trackers are among them


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_states_are_rasas_own_as_one_tracker_grows_event_by_event(
    agent: Any,
    project_conversations: list[DialogueStateTracker],
    rule_only_data: dict[str, Any],
    options: dict[str, bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replays = {"from the start": 0, "going on": 0}

    def counted_replay(*args: Any, **kwargs: Any) -> Any:
        earlier = args[3] if len(args) > 3 else kwargs.get("earlier")
        replays["from the start" if earlier is None else "going on"] += 1
        return replay(*args, **kwargs)

    monkeypatch.setattr(history_states, "replay", counted_replay)
    domain = agent.domain
    for conversation in project_conversations:
        tracker = DialogueStateTracker(
            conversation.sender_id, domain.slots, is_rule_tracker=conversation.is_rule_tracker
        )
        for event in conversation.events:
            tracker.update(event)
            assert_rasas_states(domain, tracker, rule_only_data, options)
    assert replays["going on"] > 400, replays
    # Each conversation's first replay, and more: after restarts, undos and loop events.
    assert replays["from the start"] > len(project_conversations), replays


def test_a_caller_changing_its_states_changes_nobody_elses(
    agent: Any, project_trackers: list[DialogueStateTracker], rule_only_data: dict[str, Any]
) -> None:
    domain = agent.domain
    for tracker in project_trackers[::7]:
        for options in OPTIONS:
            first = states_for_tracker_history(
                domain, tracker, rule_only_data=rule_only_data, **options
            )
            before = copy.deepcopy(first)
            for state in first:
                for sub_state in state.values():
                    sub_state.clear()
            again = states_for_tracker_history(
                domain, tracker, rule_only_data=rule_only_data, **options
            )
            assert again == before


def test_a_new_event_is_replayed_and_a_tracker_keeps_one_replay(agent: Any) -> None:
    domain = agent.domain
    tracker = DialogueStateTracker.from_events(
        "history",
        [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet", "confidence": 1.0})],
        domain.slots,
    )
    before = states_for_tracker_history(domain, tracker)
    replayed = tracker.__dict__[STEPS_ATTRIBUTE]
    assert states_for_tracker_history(domain, tracker) == before
    assert tracker.__dict__[STEPS_ATTRIBUTE] is replayed  # no second replay
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(SlotSet("roles", ["python developer"]))
    after = states_for_tracker_history(domain, tracker)
    assert after == RASAS_STATES_FOR_TRACKER_HISTORY(domain, tracker)
    assert after != before
    assert tracker.__dict__[STEPS_ATTRIBUTE] is not replayed
