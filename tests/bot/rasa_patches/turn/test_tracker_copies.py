"""tracker_copies (bot.rasa_patches.turn): the copy Rasa's replay makes, for every tracker the
bot sees."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.turn.tracker_copies import RASAS_COPY, copy_tracker, is_empty_bot_utterance


def state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Every attribute of ``tracker``, the events as a list and each slot as its attributes."""
    attributes = dict(vars(tracker))
    attributes["events"] = list(tracker.events)
    attributes["slots"] = {name: (type(slot), vars(slot)) for name, slot in tracker.slots.items()}
    return attributes


def test_the_served_model_copies_without_replay(agent: Any) -> None:
    assert DialogueStateTracker.copy is copy_tracker


def test_each_project_tracker_is_copied_as_rasa_copies_it(
    project_trackers: list[DialogueStateTracker],
) -> None:
    assert len(project_trackers) > 400
    loops = 0
    for tracker in project_trackers:
        loops += tracker.active_loop is not None
        assert state(copy_tracker(tracker)) == state(RASAS_COPY(tracker))
    assert loops > 20  # the lead form's trackers are among them


def test_a_copy_has_no_model_id_nor_what_others_added_as_in_rasa_s_copy(
    project_conversations: list[DialogueStateTracker],
) -> None:
    tracker = RASAS_COPY(project_conversations[-1])
    tracker.model_id, tracker.assistant_id, tracker.sender_source = "model", "bot", "rest"
    tracker.cached_by_a_policy = ["not", "for", "the", "copy"]
    copied = copy_tracker(tracker)
    assert state(copied) == state(RASAS_COPY(tracker))
    assert not hasattr(copied, "cached_by_a_policy")
    assert (copied.model_id, copied.assistant_id, copied.sender_source) == (None, None, None)


def test_changing_the_copy_leaves_the_tracker_as_it_was(
    project_trackers: list[DialogueStateTracker],
) -> None:
    tracker = next(tracker for tracker in reversed(project_trackers) if tracker.active_loop)
    before = state(RASAS_COPY(tracker))
    copied = copy_tracker(tracker)
    copied.update(UserUttered("something else", {"name": "inform", "confidence": 1.0}))
    copied.update(ActionExecuted("action_listen"))
    copied.update(SlotSet("email", "changed@example.com"))
    copied.interrupt_loop(True)
    copied.reject_action("lead_form")
    copied.latest_action["action_name"] = "changed"
    assert state(RASAS_COPY(tracker)) == before
    assert dataclasses.asdict(tracker.active_loop) == dataclasses.asdict(before["active_loop"])


def test_a_capped_history_is_copied_by_rasa(agent: Any) -> None:
    tracker = DialogueStateTracker("capped", agent.domain.slots, max_event_history=2)
    for text in ("one", "two", "three"):
        tracker.update(UserUttered(text))
    assert state(copy_tracker(tracker)) == state(RASAS_COPY(tracker))


@pytest.mark.parametrize(
    "utterance",
    [
        BotUttered(),
        BotUttered(data={"buttons": None}, metadata={"utter_action": None}),
        BotUttered("Hello"),
        BotUttered(data={"buttons": []}),
        BotUttered(metadata={"utter_action": "utter_greet"}),
        BotUttered(""),
        UserUttered(),
        None,
    ],
)
def test_an_empty_bot_utterance_is_told_as_rasa_tells_it(utterance: Any) -> None:
    assert is_empty_bot_utterance(utterance) == (utterance == BotUttered.empty())
