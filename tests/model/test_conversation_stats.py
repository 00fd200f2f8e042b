"""``bot stats`` counts what really happens: conversations with the trained bot.

Visitors talk to the trained bot in process with the real action server; their
trackers are then saved with Rasa's SQLTrackerStore, as the running bot saves
them, and counted. This ties the definitions of :mod:`bot.conversations.stats`
to the events Rasa and the project's actions really log.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.conversations.events import read_events, tracker_store_engine
from bot.conversations.period import Period
from bot.conversations.stats import count_stats
from tests.model.test_lead_conversations import Visitor

pytestmark = pytest.mark.model

SCRIPTS = {
    "faq": ["who is the legal employer of an outstaffed developer?"],
    "knowledge hit": ["what does Apple have to do with gardeners in Seattle?", "tell me more"],
    "knowledge miss": ["explain the rules of chess"],
    # Changing a detail at the summary opens the form again for the same lead.
    "lead completed": [
        "we need 3 senior Python developers starting next month",
        "Jane Doe, Acme Ltd, jane.stats@acme.example",
        "change my email",
        "jane.doe.stats@acme.example",
        "/confirm_lead",
        "/confirm_lead",  # "Send it" twice: nothing more is sent
    ],
    "lead cancelled": ["we need a team of 4 React devs", "never mind", "cancel"],
}


def save_with_rasas_sql_store(
    agent: Any, loop: asyncio.AbstractEventLoop, senders: list[str], path: Path
) -> None:
    from rasa.core.tracker_store import SQLTrackerStore

    store = SQLTrackerStore(agent.domain, dialect="sqlite", db=str(path))
    try:
        for sender in senders:
            tracker = loop.run_until_complete(agent.tracker_store.retrieve_full_tracker(sender))
            loop.run_until_complete(store.save(tracker))
    finally:
        store.engine.dispose()


def test_the_counts_of_conversations_with_the_trained_bot(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    senders = []
    for lines in SCRIPTS.values():
        visitor = Visitor(agent, event_loop_for_model)
        for line in lines:
            visitor.say(line)
        senders.append(visitor.sender)
    save_with_rasas_sql_store(agent, event_loop_for_model, senders, tmp_path / "tracker.db")

    today = datetime.now(timezone.utc).date()
    period = Period(today - timedelta(days=1), today + timedelta(days=1))
    engine = tracker_store_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    try:
        stats = count_stats(read_events(engine, period.start, period.end), [], period)
    finally:
        engine.dispose()

    assert stats.conversations == len(SCRIPTS)
    assert stats.messages == sum(len(lines) for lines in SCRIPTS.values())
    assert stats.knowledge_answers == 1
    assert stats.fallbacks == 1
    assert (stats.forms_started, stats.forms_completed, stats.forms_cancelled) == (2, 1, 1)
