"""Two-turn follow-ups through the trained bot: the held-out table follow_ups.yml.

Each case is a fresh visitor who asks a question, then a follow-up that leans
on it ("and the cons?"). The follow-up's first answer must be one of the
answers the table names for it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from bot.answers.faq.topics import RETRIEVAL_INTENT
from tests.conftest import load_yaml

pytestmark = pytest.mark.model

# The goal: at least nine follow-ups in ten answered for their subject.
MIN_RIGHT = 0.90
FAQ_PREFIX = f"utter_{RETRIEVAL_INTENT}_"


def answer_of(events: list[Any]) -> str:
    """The answer the bot gave to the last visitor message: ``faq:<topic>``,
    ``section:<id>``, or the response's name (or text) when it was neither."""
    events = list(events)
    last_user = max(i for i, event in enumerate(events) if isinstance(event, UserUttered))
    after = events[last_user + 1 :]
    for event in after:
        if isinstance(event, SlotSet) and event.key == "knowledge_shown" and event.value:
            return f"section:{event.value[-1]}"
        if isinstance(event, BotUttered):
            response = str((event.metadata or {}).get("utter_action") or "")
            if response.startswith(FAQ_PREFIX):
                return "faq:" + response.removeprefix(FAQ_PREFIX)
            knowledge_follows = any(
                isinstance(later, SlotSet) and later.key == "knowledge_shown" and later.value
                for later in after
            )
            if not knowledge_follows:
                return response or f"text:{(event.text or '')[:60]}"
    return "no answer"


@pytest.fixture(scope="module")
def results(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[dict]:
    table = load_yaml("tests/model/follow_ups.yml")
    groups = table["answers"]

    async def run_all() -> list[dict]:
        rows = []
        for case in table["cases"]:
            sender = f"follow-up-{uuid.uuid4()}"
            await agent.handle_text(case["first"], sender_id=sender)
            first = answer_of((await agent.tracker_store.retrieve(sender)).events)
            await agent.handle_text(case["then"], sender_id=sender)
            got = answer_of((await agent.tracker_store.retrieve(sender)).events)
            expect = case["expect"]
            allowed = groups[expect] if isinstance(expect, str) else expect
            rows.append({**case, "first_answer": first, "got": got, "right": got in allowed})
        return rows

    return event_loop_for_model.run_until_complete(run_all())


def test_the_table_has_at_least_sixty_follow_ups(results):
    assert len(results) >= 60


def test_follow_ups_are_answered_for_the_subject_of_the_conversation(results):
    misses = [
        f"{row['first']!r} ({row['first_answer']}) -> {row['then']!r}: got {row['got']}, "
        f"expected {row['expect']}"
        for row in results
        if not row["right"]
    ]
    right = 1 - len(misses) / len(results)
    print(f"\nfollow-ups right: {right:.3f} ({len(results) - len(misses)}/{len(results)})")
    print("\n".join(misses))
    assert right >= MIN_RIGHT, "\n".join(misses)
