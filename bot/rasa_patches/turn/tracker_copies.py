"""Copies of a conversation's tracker without replaying its events.

Rasa 3.6 copies a tracker (``DialogueStateTracker.copy``) by building a new
one and applying every event of the conversation to it again, and the
processor does so before every action it runs, at a cost growing with the
conversation. The state those events leave
is the tracker's attributes, so the copy here takes them over directly, each
as the replay would have left it: the same events (shared, as the replay
shares them) in a new list, copies of the slots, of the active loop and of
the latest action, the latest messages (new empty ones where the replay
would have made them), and no model or assistant id (a new tracker has
none). Trackers this cannot copy exactly (a subclass, a capped event
history, no domain slots) get Rasa's copy.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import deque
from functools import cache

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

RASAS_COPY = DialogueStateTracker.copy
# Attributes a replay onto DialogueStateTracker.init_copy() leaves as it finds them.
NOT_REPLAYED = {"model_id": None, "assistant_id": None, "sender_source": None}


@cache
def tracker_attributes() -> tuple[str, ...]:
    """The attributes a new tracker has (not those others add to it, such as caches)."""
    return tuple(vars(DialogueStateTracker(DEFAULT_SENDER_ID, [])))


def copy_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The tracker ``tracker.copy()`` returns, built from its attributes."""
    if (
        type(tracker) is not DialogueStateTracker
        or tracker._max_event_history is not None
        or type(tracker.slots) is not dict
    ):
        return RASAS_COPY(tracker)
    duplicate: DialogueStateTracker = object.__new__(DialogueStateTracker)
    attributes = tracker.__dict__
    duplicate.__dict__.update({name: attributes[name] for name in tracker_attributes()})
    duplicate.__dict__.update(NOT_REPLAYED)
    duplicate.sender_id = tracker.sender_id or DEFAULT_SENDER_ID
    duplicate.events = deque(tracker.events)
    duplicate.slots = {name: copy.copy(slot) for name, slot in tracker.slots.items()}
    if tracker.latest_action is not None:
        duplicate.latest_action = dict(tracker.latest_action)
    if tracker.active_loop is not None:
        duplicate.active_loop = dataclasses.replace(tracker.active_loop)
    if tracker.latest_message is not None and tracker.latest_message.is_empty():
        duplicate.latest_message = UserUttered.empty()
    if is_empty_bot_utterance(tracker.latest_bot_utterance):
        duplicate.latest_bot_utterance = BotUttered.empty()
    return duplicate


def is_empty_bot_utterance(utterance: object) -> bool:
    """``utterance == BotUttered.empty()``, without the JSON encoding of data and metadata
    that ``BotUttered.__eq__`` does (it drops ``None`` values, then compares)."""
    return (
        isinstance(utterance, BotUttered)
        and utterance.text is None
        and all(value is None for value in utterance.data.values())
        and all(value is None for value in utterance.metadata.values())
    )
