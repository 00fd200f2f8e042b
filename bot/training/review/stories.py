"""``bot review stories``: chosen real conversations as Rasa test stories.

The conversation is rebuilt from the tracker store with Rasa's own tracker and
written by Rasa's YAML story writer, as ``rasa interactive`` does. Personal
data stays out: the lead slots' values are dropped, and messages typed while
the lead form was open, or holding an email address or a phone number, keep
their intent but lose their text and entities.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.conversations.events import StoredEvent
from bot.leads.fields import ALL_LEAD_SLOTS
from bot.training.review.selection import holds_personal_data

STORY_PREFIX = "conversation "


class StoryExportError(ValueError):
    """The stories cannot be written where asked."""


def without_personal_data(events: Iterable[StoredEvent]) -> list[dict[str, Any]]:
    """The events as Rasa's dicts, without lead slot values or personal texts."""
    cleaned, form_open = [], False
    for event in events:
        data = dict(event.data)
        if event.type_name == "slot" and data.get("name") in ALL_LEAD_SLOTS:
            continue
        if event.type_name == "user" and (
            form_open or holds_personal_data(str(data.get("text") or ""))
        ):
            parse_data = dict(data.get("parse_data") or {}, entities=[], text=None)
            data.update(text=None, parse_data=parse_data)
        if event.type_name == "active_loop":
            form_open = bool(data.get("name"))
        cleaned.append(data)
    return cleaned


def render_test_stories(conversations: dict[str, list[StoredEvent]], domain_path: Path) -> str:
    """The conversations as test story items (no ``stories:`` header), one per conversation."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter

    with warnings.catch_warnings():  # raised for every domain with slots, as in validation
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed")
        slots = Domain.load(str(domain_path)).slots
    steps = []
    for sender_id, events in conversations.items():
        tracker = DialogueStateTracker.from_dict(sender_id, without_personal_data(events), slots)
        story = tracker.as_story()
        for step in story.story_steps:
            step.block_name = f"{STORY_PREFIX}{sender_id}"
        steps.extend(story.story_steps)
    return YAMLStoryWriter().dumps(steps, is_appendable=True, is_test_story=True)


def _existing_story_names(content: str) -> set[str]:
    document = yaml.safe_load(content) or {}
    if not isinstance(document, dict) or list(document)[-1:] != ["stories"]:
        raise StoryExportError("the file must end with its `stories:` list to append to it")
    return {str(story.get("story")) for story in document.get("stories") or []}


def write_test_stories(
    conversations: dict[str, list[StoredEvent]], output: Path, domain_path: Path
) -> list[str]:
    """Appends the conversations not yet in ``output`` as test stories.

    Returns:
        The conversations written (those already in the file are skipped).

    Raises:
        StoryExportError: when ``output`` exists but is not a stories file.
    """
    content = output.read_text(encoding="utf-8") if output.exists() else ""
    present = _existing_story_names(content) if content.strip() else set()
    wanted = {
        sender_id: events
        for sender_id, events in conversations.items()
        if f"{STORY_PREFIX}{sender_id}" not in present
    }
    if not wanted:
        return []
    items = render_test_stories(wanted, domain_path)
    if not content.strip():
        content = 'version: "3.1"\nstories:\n'
    elif not content.endswith("\n"):
        content += "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(content + items, encoding="utf-8")
    return list(wanted)
